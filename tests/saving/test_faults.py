"""Failures while saving or loading: the old file survives, bad files raise clear `ValueError`s."""

import base64
import json
import marshal
import os
import signal
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest

import kerasish
from kerasish import layers
from kerasish.saving import weights_store
from tests.conftest import assert_close

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _model(units=4):
    model = kerasish.Sequential([kerasish.Input((3,)), layers.Dense(units), layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    return model


@pytest.mark.parametrize("suffix", ["keras", "h5", "weights.h5"])
def test_writer_failing_halfway_keeps_old_file(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"m.{suffix}"
    old = _model()
    save = old.save_weights if suffix == "weights.h5" else old.save
    save(path)
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    new = _model()
    monkeypatch.setattr("kerasish.backend.layouts.to_keras", boom)  # fails once weights are written
    with pytest.raises(RuntimeError, match="disk full"):
        (new.save_weights if suffix == "weights.h5" else new.save)(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left behind


_SAVE_FOREVER = """
import sys
import kerasish
m = kerasish.Sequential([kerasish.Input((256,)), kerasish.layers.Dense(2048), kerasish.layers.Dense(256)])
m.save(sys.argv[1])
print("saved", flush=True)
while True:
    m.save(sys.argv[1])
"""


def test_killed_during_save_leaves_a_loadable_file(tmp_path):
    path = tmp_path / "m.keras"
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=REPO)
    proc = subprocess.Popen([sys.executable, "-c", _SAVE_FOREVER, str(path)], stdout=subprocess.PIPE,
                            env=env)
    try:
        assert proc.stdout.readline().strip() == b"saved"
        time.sleep(0.3)  # now mid-way through one of the following saves
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    model = kerasish.models.load_model(path)
    assert [w.shape for w in model.get_weights()] == [(256, 2048), (2048,), (2048, 256), (256,)]


@pytest.mark.parametrize("suffix", ["keras", "h5"])
def test_truncated_file(tmp_path, suffix):
    path = tmp_path / f"m.{suffix}"
    _model().save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="truncated|corrupt"):
        kerasish.models.load_model(path)


def test_truncated_weights_file(tmp_path):
    model = _model()
    model.save_weights(tmp_path / "w.weights.h5")
    data = (tmp_path / "w.weights.h5").read_bytes()
    (tmp_path / "w.weights.h5").write_bytes(data[:300])
    with pytest.raises(ValueError, match="truncated|corrupt"):
        model.load_weights(tmp_path / "w.weights.h5")


def test_wrong_file_types(tmp_path):
    text = tmp_path / "notes.keras"
    text.write_text("not a model")
    with pytest.raises(ValueError, match="neither a `.keras` zip archive nor an HDF5"):
        kerasish.models.load_model(text)
    other_zip = tmp_path / "other.keras"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ValueError, match="no config.json"):
        kerasish.models.load_model(other_zip)
    weights_only = tmp_path / "w.h5"
    _model().save_weights(weights_only)
    with pytest.raises(ValueError, match="No model config"):
        kerasish.models.load_model(weights_only)
    with pytest.raises(ValueError, match="File not found"):
        kerasish.models.load_model(tmp_path / "missing.keras")
    with pytest.raises(ValueError, match="extension"):
        _model().save(tmp_path / "m.pkl")
    with pytest.raises(ValueError, match=".weights.h5"):
        _model().save_weights(tmp_path / "w.bin")


@pytest.mark.parametrize("filename", ["m.keras", "w.weights.h5", "w.h5"])
def test_mismatched_architecture_names_layer_and_shapes(tmp_path, filename):
    source = _model(units=4)
    path = tmp_path / filename
    (source.save if filename.endswith(".keras") else source.save_weights)(path)
    target = _model(units=5)
    with pytest.raises(ValueError, match=r"dense.*\(3, 5\).*\(3, 4\)"):
        target.load_weights(path)
    before = target.get_weights()
    with pytest.warns(UserWarning, match="Skipping"):
        target.load_weights(path, skip_mismatch=True)
    for a, b in zip(target.get_weights(), before):
        assert_close(a, b)


def test_layer_count_mismatch(tmp_path):
    _model().save_weights(tmp_path / "w.h5")
    bigger = kerasish.Sequential([kerasish.Input((3,)), layers.Dense(4), layers.Dense(2), layers.Dense(2)])
    with pytest.raises(ValueError, match="Layer count mismatch"):
        bigger.load_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match="no entry"):
        bigger.load_weights(_keras_weights(tmp_path))


def _keras_weights(tmp_path):
    _model().save_weights(tmp_path / "w.weights.h5")
    return tmp_path / "w.weights.h5"


def _lambda_file(tmp_path):
    code = base64.b64encode(marshal.dumps((lambda x: x * 2).__code__)).decode("ascii")
    model = kerasish.Sequential([kerasish.Input((3,)), layers.Dense(2)])
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as z:
        config = json.loads(z.read("config.json"))
        weights = z.read("model.weights.h5")
    config["config"]["layers"].insert(1, {
        "module": "keras.layers", "class_name": "Lambda", "registered_name": None,
        "config": {"name": "times_two", "function": {"class_name": "__lambda__", "config": {
            "code": code, "defaults": None, "closure": None}}, "arguments": {}}})
    with zipfile.ZipFile(tmp_path / "lambda.keras", "w") as z:
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", weights)
    return tmp_path / "lambda.keras"


def test_lambda_bytecode_needs_safe_mode_false(tmp_path):
    path = _lambda_file(tmp_path)
    with pytest.raises(ValueError, match="safe_mode=False"):
        kerasish.models.load_model(path)
    model = kerasish.models.load_model(path, safe_mode=False)
    x = np.ones((1, 3), dtype="float32")
    dense = model.layers[-1]
    assert_close(model.predict(x, verbose=0), dense(x * 2).detach().numpy())


def test_no_pickle_in_saving_code():
    folder = os.path.dirname(weights_store.__file__)
    for name in os.listdir(folder):
        if name.endswith(".py"):
            with open(os.path.join(folder, name)) as f:
                source = f.read()
            assert "import pickle" not in source and "torch.load" not in source, name
