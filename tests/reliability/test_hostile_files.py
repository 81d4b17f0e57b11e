"""Corrupt, truncated, empty and hostile files are refused with a clear `ValueError` naming the file;
they write nothing anywhere, import nothing, run nothing, and leave the model unchanged."""

import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib

import h5py
import numpy as np
import pytest

import kerasish
from kerasish import layers
from kerasish.saving import zip_reader

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GIB = 1 << 30


def _model():
    return kerasish.Sequential([kerasish.Input((3,)), layers.Dense(4, name="first"),
                                layers.Dense(2, name="second")])


def _members(path):
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _write_zip(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _deflated(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _bomb_member(size, fill, prefix):
    """(raw deflate stream, crc, size) of `prefix` then `fill` bytes up to `size`, built from one
    compressed 16 MiB block repeated (a deflate stream is a sequence of blocks), so making a 1 GiB
    bomb takes a second."""
    block = fill * (16 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    count = (size - len(prefix)) // len(block)
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    tail = b"{}" if fill == b" " else b""
    crc = zlib.crc32(tail, crc)
    return head + body * count + _deflated(tail), crc, len(prefix) + count * len(block) + len(tail)


def _raw_zip(path, entries):
    """Writes a zip by hand from `(name, deflated data, crc, size)` entries (all deflated)."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in entries:
        name = name.encode()
        offset = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 33, crc, len(data), size,
                           len(name), 0) + name + data
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 33, crc,
                               len(data), size, len(name), 0, 0, 0, 0, 0, offset) + name
    out += central + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                                 len(central), len(out), 0)
    path.write_bytes(bytes(out))
    return path


def _deflate_bomb(path, members, name, size=GIB, fill=b" ", prefix=b""):
    """A zip whose member `name` inflates to about `size` bytes (about size / 1000 on disk)."""
    entries = [(other, _deflated(data), zlib.crc32(data), len(data)) for other, data in members.items()]
    return _raw_zip(path, entries + [(name, *_bomb_member(size, fill, prefix))])


@pytest.fixture(scope="module")
def good_keras(tmp_path_factory):
    path = tmp_path_factory.mktemp("good") / "m.keras"
    _model().save(path)
    return path


@pytest.fixture(scope="module")
def bombs(tmp_path_factory, good_keras):
    folder = tmp_path_factory.mktemp("bombs")
    members = _members(good_keras)
    config_bomb = _deflate_bomb(folder / "config_bomb.keras", {}, "config.json")
    weights_bomb = _deflate_bomb(folder / "weights_bomb.keras", {"config.json": members["config.json"]},
                                 "model.weights.h5", fill=b"\0", prefix=members["model.weights.h5"])
    return {"config": config_bomb, "weights": weights_bomb}


# ------------------------------------------------------------------ zip bombs
_PEAK = r"""
import sys
import kerasish

def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(key + ":")) / 1024

try:  # resets the peak (VmHWM) to the current RSS; ru_maxrss would carry the parent's peak
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
except OSError:
    pass  # then the peak includes the import's: an over-estimate
before = status("VmRSS")
try:
    kerasish.models.load_model(sys.argv[1])
    print("loaded")
except ValueError as e:
    print("refused:", str(e)[:300])
print("peak_growth_mib", status("VmHWM") - before)
"""


def _peak_growth(path):
    proc = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True, text=True,
                          timeout=600, env=dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS="1"))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    return lines[0], float(lines[-1].split()[-1])


@pytest.mark.parametrize("which", ["config", "weights"])
def test_zip_bomb_is_refused_with_bounded_memory(bombs, which):
    path = bombs[which]
    assert os.path.getsize(path) < 4 << 20  # 1 GiB inside a few MiB
    outcome, growth = _peak_growth(path)
    assert outcome.startswith("refused:") and str(path) in outcome, outcome
    assert ("config.json" if which == "config" else "decompression bomb") in outcome
    assert growth < zip_reader.CONFIG_LIMIT / (1 << 20) + 64, f"peak memory grew {growth:.0f} MiB"


_SAVE_LOAD_PEAK = r"""
import sys
import kerasish

def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(key + ":")) / 1024

def peak_growth(step):
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    before = status("VmRSS")
    step()
    return status("VmHWM") - before

model = kerasish.Sequential([kerasish.Input((1024,))] + [kerasish.layers.Dense(1024) for _ in range(16)])
model.save(sys.argv[1])  # the first save also imports h5py
print(peak_growth(lambda: model.save(sys.argv[1])),
      peak_growth(lambda: kerasish.models.load_model(sys.argv[1])))
"""


def test_save_and_load_do_not_hold_a_copy_of_the_weights(tmp_path):
    # 64 MiB of weights: a save streams them to the archive; a load holds the new model's weights
    # and about one layer more.
    proc = subprocess.run([sys.executable, "-c", _SAVE_LOAD_PEAK, str(tmp_path / "m.keras")],
                          capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS="1"))
    assert proc.returncode == 0, proc.stderr
    save, load = map(float, proc.stdout.split())
    assert save < 16, f"saving 64 MiB of weights raised the peak by {save:.0f} MiB"
    assert load < 64 + 24, f"loading 64 MiB of weights raised the peak by {load:.0f} MiB"


def test_inflated_bytes_are_counted_when_the_header_lies(bombs, monkeypatch):
    # A header that under-states the ratio passes the declared-size check; the bytes actually
    # inflated are counted and the read stops at the bound.
    monkeypatch.setattr(zip_reader, "_check_declared", lambda info, filepath: None)
    monkeypatch.setattr(zip_reader, "BOMB_FLOOR", 8 << 20)
    with pytest.raises(ValueError, match="inflates past [0-9]+ bytes from [0-9]+ stored"):
        kerasish.models.load_model(bombs["weights"])


def test_config_larger_than_its_cap_is_refused(tmp_path, good_keras, monkeypatch):
    members = _members(good_keras)
    monkeypatch.setattr(zip_reader, "CONFIG_LIMIT", len(members["config.json"]) - 1)
    with pytest.raises(ValueError, match="config.json.*more than"):
        kerasish.models.load_model(good_keras)


def test_compressed_archive_still_loads(tmp_path, good_keras):
    # Keras stores members uncompressed; a re-zipped (deflated) file is read through a temp file.
    path = _write_zip(tmp_path / "deflated.keras", _members(good_keras), zipfile.ZIP_DEFLATED)
    model = kerasish.models.load_model(path)
    for a, b in zip(model.get_weights(), kerasish.models.load_model(good_keras).get_weights()):
        np.testing.assert_array_equal(a, b)


def test_corrupt_weights_member_fails_its_checksum(tmp_path, good_keras):
    data = bytearray(good_keras.read_bytes())
    offset = data.index(b"\x89HDF") + 3000  # inside the stored weights
    data[offset] ^= 0xFF
    path = tmp_path / "flipped.keras"
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=f"checksum.*{re.escape(str(path))}"):
        kerasish.models.load_model(path)


_HUGE_DATASET_PEAK = r"""
import sys
import h5py
import kerasish

def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(key + ":")) / 1024

path, dataset, save = sys.argv[1:4]
model = kerasish.Sequential([kerasish.Input((3,)), kerasish.layers.Dense(4, name="first"),
                             kerasish.layers.Dense(2, name="second")])
getattr(model, save)(path)
with h5py.File(path, "r+") as f:  # 1 GiB declared, a few KiB stored: chunks never written
    del f[dataset]
    f.create_dataset(dataset, shape=(1 << 28,), dtype="float32", chunks=(1 << 16,),
                     compression="gzip")
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
before = status("VmRSS")
try:
    model.load_weights(path)
    print("loaded")
except ValueError as e:
    print("refused:", str(e).replace("\n", " ")[:300])
print(status("VmHWM") - before)
"""


@pytest.mark.parametrize("filename,dataset,save", [
    ("w.h5", "second/second/kernel", "save_weights"),
    ("m.h5", "model_weights/second/second/kernel", "save"),
    ("w.weights.h5", "layers/dense_1/vars/0", "save_weights")])
def test_huge_declared_dataset_is_refused_before_reading(tmp_path, filename, dataset, save):
    proc = subprocess.run([sys.executable, "-c", _HUGE_DATASET_PEAK, str(tmp_path / filename), dataset,
                           save],
                          capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS="1"))
    assert proc.returncode == 0, proc.stderr
    outcome, growth = proc.stdout.strip().splitlines()
    assert outcome.startswith("refused:") and "268435456" in outcome, outcome
    assert float(growth) < 64, f"peak memory grew {float(growth):.0f} MiB"


# ------------------------------------------------------------------ path traversal
def _tree(root):
    return sorted(os.path.join(d, f) for d, _, files in os.walk(root) for f in files)


@pytest.mark.parametrize("load", ["load_model", "load_weights"])
def test_path_traversal_members_write_nothing(tmp_path, good_keras, monkeypatch, load):
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    members = _members(good_keras)
    outside = tmp_path.parent / f"kerasish_evil_{load}.txt"
    members.update({"../../evil.txt": b"x", "../../../evil2.txt": b"x", str(outside): b"x",
                    "assets/../../../evil3.txt": b"x"})
    path = _write_zip(inner / "m.keras", members)
    monkeypatch.chdir(inner)
    before = _tree(tmp_path)
    if load == "load_model":
        model = kerasish.models.load_model(path)
    else:
        model = _model()
        model.load_weights(path)
    assert len(model.get_weights()) == 4
    assert _tree(tmp_path) == before
    assert not outside.exists() and not (tmp_path.parent / "evil2.txt").exists()


# ------------------------------------------------------------------ hostile configs
def _with_config(tmp_path, good_keras, edit, name="hostile.keras"):
    members = _members(good_keras)
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config).encode()
    return _write_zip(tmp_path / name, members)


def _set_layer(config, index, layer):
    config["config"]["layers"][index] = layer


_EVIL_MODULE = """
import pathlib
pathlib.Path(__file__).with_name("imported.txt").write_text("imported")
class Boom:
    pass
def boom(*args, **kwargs):
    pathlib.Path(__file__).with_name("called.txt").write_text("called")
"""


@pytest.fixture
def evil_module(tmp_path, monkeypatch):
    (tmp_path / "kerasish_evil_mod.py").write_text(_EVIL_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "kerasish_evil_mod"
    assert "kerasish_evil_mod" not in sys.modules
    assert not (tmp_path / "imported.txt").exists() and not (tmp_path / "called.txt").exists()


@pytest.mark.parametrize("module,class_name,registered", [
    ("os", "system", None), ("builtins", "eval", None), ("kerasish_evil_mod", "Boom", None),
    ("my_package.layers", "MyLayer", "my_package>MyLayer")])
def test_layer_class_outside_keras_is_refused(tmp_path, good_keras, evil_module, module, class_name,
                                              registered):
    layer = {"module": module, "class_name": class_name, "registered_name": registered,
             "config": {"name": "x", "command": "touch pwned"}}
    path = _with_config(tmp_path, good_keras, lambda c: _set_layer(c, 1, layer))
    with pytest.raises(ValueError, match=f"(?s)class '{class_name}' \\(module '{module}'.*"
                                         "custom_objects.*Received") as info:
        kerasish.models.load_model(path)
    assert "never imports" in str(info.value)
    assert not os.path.exists("pwned")


@pytest.mark.parametrize("function", [
    {"module": "builtins", "class_name": "function", "config": "eval", "registered_name": "eval"},
    {"module": "kerasish_evil_mod", "class_name": "function", "config": "boom", "registered_name": "boom"},
    "exec"])
def test_activation_function_outside_keras_is_refused(tmp_path, good_keras, evil_module, function):
    def edit(config):
        config["config"]["layers"][1]["config"]["activation"] = function

    path = _with_config(tmp_path, good_keras, edit)
    with pytest.raises(ValueError, match="(?s)Unknown activation.*custom_objects"):
        kerasish.models.load_model(path)


def test_model_class_outside_keras_is_refused(tmp_path, good_keras, evil_module):
    def edit(config):
        config.update({"module": "kerasish_evil_mod", "class_name": "Boom", "registered_name": None})

    path = _with_config(tmp_path, good_keras, edit)
    with pytest.raises(ValueError, match="class 'Boom' \\(module 'kerasish_evil_mod'"):
        kerasish.models.load_model(path)


def test_custom_objects_allow_a_named_class(tmp_path, good_keras):
    class Doubling(layers.Layer):
        def call(self, x):
            return x * 2

    layer = {"module": "my_package.layers", "class_name": "Doubling", "registered_name": "pkg>Doubling",
             "config": {"name": "doubling"}}
    path = _with_config(tmp_path, good_keras, lambda c: c["config"]["layers"].insert(2, layer))
    model = kerasish.models.load_model(path, custom_objects={"Doubling": Doubling})
    assert isinstance(model.layers[1], Doubling)


def _keras2_lambda_h5(tmp_path):
    import base64
    import marshal

    path = tmp_path / "lambda.h5"
    _model().save(path)
    code = base64.b64encode(marshal.dumps((lambda x: x * 2).__code__)).decode("ascii")
    with h5py.File(path, "r+") as f:
        config = json.loads(f.attrs["model_config"])
        config["config"]["layers"].insert(1, {"class_name": "Lambda", "config": {
            "name": "times_two", "function": [code, None, None], "function_type": "lambda",
            "module": "__main__", "output_shape": None, "arguments": {}}})
        f.attrs["model_config"] = json.dumps(config)
    return path


def test_keras2_lambda_bytecode_in_h5_is_refused_in_safe_mode(tmp_path):
    with pytest.raises(ValueError, match="(?s)times_two.*Lambda.*safe_mode=False"):
        kerasish.models.load_model(_keras2_lambda_h5(tmp_path))


# ------------------------------------------------------------------ corrupt, truncated, empty files
def _truncated(data):
    return data[: len(data) // 2]


def _garbage(data):
    return bytes(np.random.default_rng(0).integers(0, 256, len(data), dtype=np.uint8))


def _zeroed_middle(data):
    third = len(data) // 3
    return data[:third] + b"\0" * third + data[2 * third:]


_DAMAGE = {"empty": lambda data: b"", "truncated": _truncated, "garbage": _garbage,
           "header only": lambda data: data[:8], "zeroed middle": _zeroed_middle}


@pytest.mark.parametrize("damage", sorted(_DAMAGE))
@pytest.mark.parametrize("suffix", ["keras", "h5", "weights.h5"])
def test_damaged_file_gives_a_clear_error_and_leaves_the_model(tmp_path, suffix, damage):
    source = _model()
    path = tmp_path / f"m.{suffix}"
    (source.save_weights if suffix == "weights.h5" else source.save)(path)
    path.write_bytes(_DAMAGE[damage](path.read_bytes()))
    target = _model()
    before = [np.array(w, copy=True) for w in target.get_weights()]
    loaders = [target.load_weights] + ([] if suffix == "weights.h5" else [kerasish.models.load_model])
    for load in loaders:
        with pytest.raises(ValueError) as info:
            load(path)
        assert str(path) in str(info.value)
        assert "Received" in str(info.value)
    for a, b in zip(target.get_weights(), before):
        np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------ dataset caches
class _Payload:
    def __reduce__(self):
        return (os.system, ("touch pwned_by_pickle",))


def test_pickle_bearing_npz_is_refused_not_run(tmp_path, monkeypatch):
    from kerasish.datasets import _safe_npz, mnist

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=np.array([_Payload()], dtype=object), y_train=np.zeros(1),
             x_test=np.zeros(1), y_test=np.zeros(1))
    with pytest.raises(ValueError, match=f"(?s){re.escape(str(path))}.*never unpickles.*Received"):
        mnist._read(str(path))
    with pytest.raises(ValueError, match=f"(?s){re.escape(str(path))}.*(os|posix).system"):
        _safe_npz.load_npz(str(path))  # the imdb/reuters reader parses, it does not unpickle
    assert not (tmp_path / "pwned_by_pickle").exists()


def test_pickled_cache_file_is_refused(tmp_path, monkeypatch):
    import pickle

    from kerasish.datasets import _safe_npz

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "boston_housing.npz"
    path.write_bytes(pickle.dumps({"x": _Payload(), "y": np.zeros(3)}))
    for read in (lambda: _safe_npz.read_arrays(str(path), ["x", "y"]), lambda: _safe_npz.load_npz(str(path))):
        with pytest.raises(ValueError, match=f"(?s){re.escape(str(path))}.*Received"):
            read()
    assert not (tmp_path / "pwned_by_pickle").exists()


def test_tampered_cached_dataset_is_never_read(tmp_path, monkeypatch):
    # A cached file that fails its sha256 is downloaded again, not read: offline, mnist falls back to
    # the bundled sample with a warning.
    from kerasish.datasets import mnist

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("KERASISH_DATASETS_ORIGIN", (tmp_path / "no_such_mirror").as_uri())
    monkeypatch.chdir(tmp_path)
    (tmp_path / "datasets").mkdir()
    np.savez(tmp_path / "datasets" / "mnist.npz", x_train=np.array([_Payload()], dtype=object))
    with pytest.warns(UserWarning, match="sample"):
        (x_train, _), _ = mnist.load_data()
    assert x_train.shape[1:] == (28, 28)
    assert not (tmp_path / "pwned_by_pickle").exists()


def test_weights_member_is_not_read_into_memory(tmp_path, good_keras, monkeypatch):
    # The stored weights reach h5py as a window onto the archive: `ZipFile.read` is never called.
    def refuse(*args, **kwargs):
        raise AssertionError("a whole member was read into memory")

    monkeypatch.setattr(zipfile.ZipFile, "read", refuse)
    model = kerasish.models.load_model(good_keras)
    assert len(model.get_weights()) == 4
