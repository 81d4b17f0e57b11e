"""Saves and training runs killed with SIGKILL, and a full disk: the files stay loadable, a rerun
ends where an uninterrupted run ends, and nothing is left behind."""

import contextlib
import errno
import json
import os
import re
import signal
import subprocess
import sys
import zipfile

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = dict(os.environ, OMP_NUM_THREADS="1", KERASISH_DEVICE="cpu", PYTHONPATH=REPO)


def _spawn(script, *args):
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV)


def _kill_after_lines(proc, lines):
    """SIGKILLs `proc` once it has printed `lines` lines (it keeps running while we read)."""
    try:
        for _ in range(lines):
            if not proc.stdout.readline():
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        proc.stdout.close()
        proc.stderr.close()


def _temp_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".kerasish-tmp")))


# ------------------------------------------------------------------ kill -9 during model.save
# Saves forever; save i holds every weight equal to i, so a loaded file shows which save it is and
# whether it mixes two saves.
_SAVE_FOREVER = r"""
import sys
import numpy as np
import kerasish
path = sys.argv[1]
m = kerasish.Sequential([kerasish.Input((64,)), kerasish.layers.Dense(512), kerasish.layers.Dense(64)])
m.compile(optimizer="adam", loss="mse")
for i in range(1, 100000):
    m.set_weights([np.full(w.shape, i, "float32") for w in m.get_weights()])
    (m.save_weights if path.endswith(".weights.h5") else m.save)(path)
    print(i, flush=True)
"""


def _load_constant(path, suffix):
    if suffix == "weights.h5":
        model = kerasish.Sequential([kerasish.Input((64,)), layers.Dense(512), layers.Dense(64)])
        model.load_weights(path)
    else:
        model = kerasish.models.load_model(path)
    values = np.unique(np.concatenate([w.ravel() for w in model.get_weights()]))
    assert values.size == 1, f"the file mixes saves: {values[:10]}"
    return int(values[0])


@pytest.mark.parametrize("suffix", ["keras", "h5", "weights.h5"])
def test_kill_during_repeated_saves_leaves_a_loadable_file(tmp_path, suffix):
    path = tmp_path / f"m.{suffix}"
    rng = np.random.default_rng(len(suffix))
    for _ in range(2):  # two kills at different points of the save loop
        _kill_after_lines(_spawn(_SAVE_FOREVER, path), int(rng.integers(2, 6)))
        assert _load_constant(path, suffix) >= 1
    # The next save in this process removes whatever temp file the killed saves left.
    model = kerasish.Sequential([kerasish.Input((64,)), layers.Dense(512), layers.Dense(64)])
    (model.save_weights if suffix == "weights.h5" else model.save)(path)
    assert _temp_files(tmp_path) == []


# Writes the weights of a save, then waits to be killed: the temp file is certainly left behind.
_KILLED_MID_SAVE = r"""
import sys, time
import kerasish
from kerasish.saving import weights_store
real = weights_store.save_model_state
def write_then_hang(*args, **kwargs):
    real(*args, **kwargs)
    print("writing", flush=True)
    time.sleep(600)
weights_store.save_model_state = write_then_hang
m = kerasish.Sequential([kerasish.Input((3,)), kerasish.layers.Dense(2)])
m.save_weights(sys.argv[1])
"""


def test_next_save_removes_temp_files_of_killed_saves(tmp_path):
    path = tmp_path / "w.weights.h5"
    kerasish.Sequential([kerasish.Input((3,)), layers.Dense(2)]).save_weights(path)
    _kill_after_lines(_spawn(_KILLED_MID_SAVE, path), 1)
    first = _temp_files(tmp_path)
    assert len(first) == 1 and first[0].startswith(".w.weights.h5.")
    _kill_after_lines(_spawn(_KILLED_MID_SAVE, path), 1)  # its save removed the first one's file
    left = _temp_files(tmp_path)
    assert len(left) == 1 and left != first
    # Files that are not this destination's temp files stay, even when they look alike.
    others = [".w.weights.h5.other.tmp", ".x.weights.h5.a-1.b.kerasish-tmp", "notes.txt",
              ".w.weights.h5.kerasish-tmp"]
    for name in others:
        (tmp_path / name).write_text("keep")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:  # a save in progress in another live process is not stale
        host = re.match(r"\.w\.weights\.h5\.(.+)-\d+\.\w+\.kerasish-tmp$", left[0]).group(1)
        live = f".w.weights.h5.{host}-{sleeper.pid}.live.kerasish-tmp"
        (tmp_path / live).write_text("in progress")
        model = kerasish.Sequential([kerasish.Input((3,)), layers.Dense(2)])
        model.save_weights(path)
        assert _temp_files(tmp_path) == sorted([live, ".w.weights.h5.other.tmp",
                                                ".x.weights.h5.a-1.b.kerasish-tmp",
                                                ".w.weights.h5.kerasish-tmp"])
    finally:
        sleeper.kill()
        sleeper.wait()
    assert (tmp_path / "notes.txt").read_text() == "keep"
    model.load_weights(path)


# ------------------------------------------------------------------ kill -9 during fit
# Adam (slots matter), shuffling and dropout (the random state matters). Prints one line per batch.
_FIT = r"""
import os, sys
import numpy as np
import kerasish
from kerasish import layers
from kerasish.callbacks import backup_and_restore
out, backup_dir, save_freq = sys.argv[1], sys.argv[2], sys.argv[3]
save_freq = save_freq if save_freq == "epoch" else int(save_freq)
kerasish.utils.set_random_seed(7)
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 4)).astype("float32")
y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
model = kerasish.Sequential([kerasish.Input((4,)), layers.Dense(32, activation="relu"),
                             layers.Dropout(0.3), layers.Dense(1, activation="sigmoid")])
model.compile(kerasish.optimizers.Adam(0.01), "binary_crossentropy")
crash_in_metadata = int(os.environ.get("CRASH_IN_METADATA_WRITE", "0"))
if crash_in_metadata:
    real_write = backup_and_restore._write_text
    calls = []
    def write_text(path, text):
        calls.append(path)
        if len(calls) == crash_in_metadata:
            os._exit(3)  # latest.pt of this backup is written, its metadata is not
        real_write(path, text)
    backup_and_restore._write_text = write_text

class Progress(kerasish.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        print("batch", batch, flush=True)

backup = kerasish.callbacks.BackupAndRestore(backup_dir, save_freq=save_freq)
history = model.fit(x, y, batch_size=8, epochs=6, verbose=0, callbacks=[backup, Progress()])
np.savez(out, *model.get_weights(), epochs=np.array(history.epoch),
         iterations=np.array(model.optimizer._iterations))
"""


def _fit(tmp_path, name, save_freq="epoch", **env):
    out = tmp_path / f"{name}.npz"
    proc = subprocess.run([sys.executable, "-c", _FIT, str(out), str(tmp_path / f"bk_{name}"),
                           str(save_freq)], env=dict(ENV, **env), capture_output=True, text=True,
                          timeout=300)
    return proc, out


def _assert_same_weights(a, b):
    a, b = np.load(a), np.load(b)
    assert int(a["iterations"]) == int(b["iterations"]) == 48
    keys = [k for k in a.files if k.startswith("arr_")]
    assert keys
    for key in keys:
        np.testing.assert_array_equal(a[key], b[key])


def test_kill_during_fit_then_rerun_matches_uninterrupted(tmp_path):
    proc, reference = _fit(tmp_path, "straight")
    assert proc.returncode == 0, proc.stderr
    rng = np.random.default_rng(3)
    backup_dir = tmp_path / "bk_resumed"
    for _ in range(3):  # 8 batches an epoch: kill somewhere in the next two epochs or so
        proc = subprocess.Popen([sys.executable, "-c", _FIT, str(tmp_path / "resumed.npz"),
                                 str(backup_dir), "epoch"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=ENV)
        _kill_after_lines(proc, int(rng.integers(4, 18)))
        if backup_dir.exists():
            state = torch.load(backup_dir / "latest.pt", weights_only=True)  # never half-written
            assert set(state) >= {"model", "optimizer", "rng", "progress"}
    proc, resumed = _fit(tmp_path, "resumed")
    assert proc.returncode == 0, proc.stderr
    _assert_same_weights(reference, resumed)
    assert not backup_dir.exists()


def test_crash_between_backup_files_resumes_from_the_weights_epoch(tmp_path):
    proc, reference = _fit(tmp_path, "straight")
    assert proc.returncode == 0, proc.stderr
    # The 3rd backup (end of epoch 2): latest.pt is replaced, training_metadata.json is not.
    crashed, _ = _fit(tmp_path, "resumed", CRASH_IN_METADATA_WRITE="3")
    assert crashed.returncode == 3, crashed.stderr
    metadata = json.loads((tmp_path / "bk_resumed" / "training_metadata.json").read_text())
    assert metadata["epoch"] == 2  # one behind the weights
    proc, resumed = _fit(tmp_path, "resumed")
    assert proc.returncode == 0, proc.stderr
    assert list(np.load(resumed)["epochs"]) == [3, 4, 5]
    _assert_same_weights(reference, resumed)


def test_kill_during_fit_with_integer_save_freq_leaves_a_usable_backup(tmp_path):
    # Keras's rule for `save_freq=<int>`: a restart re-runs the interrupted epoch from the last
    # mid-epoch backup, so the result differs from an uninterrupted run; the backup must load.
    backup_dir = tmp_path / "bk_resumed"
    rng = np.random.default_rng(5)
    for _ in range(2):
        proc = subprocess.Popen([sys.executable, "-c", _FIT, str(tmp_path / "resumed.npz"),
                                 str(backup_dir), "3"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=ENV)
        _kill_after_lines(proc, int(rng.integers(4, 20)))
        state = torch.load(backup_dir / "latest.pt", weights_only=True)
        metadata = json.loads((backup_dir / "training_metadata.json").read_text())
        epoch, batch = state["progress"].tolist()
        # The metadata is the same backup's, or (killed between the two writes) the one before.
        assert [metadata["epoch"], metadata["batch"]] == [epoch, batch] or \
            metadata["epoch"] * 8 + metadata["batch"] < epoch * 8 + batch
    proc, resumed = _fit(tmp_path, "resumed", save_freq=3)
    assert proc.returncode == 0, proc.stderr
    assert np.load(resumed)["epochs"][-1] == 5
    assert not backup_dir.exists()


# ------------------------------------------------------------------ full disk
@contextlib.contextmanager
def _tiny_disk(tmp_path, monkeypatch):
    """A 1 MiB tmpfs when this process may mount one; otherwise writes fail with ENOSPC once past
    1 MiB (patched where the zip and h5 writers reach the disk)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                             capture_output=True).returncode == 0
    if not mounted:
        _patch_writes_to_fail_past(monkeypatch, 1 << 20)
    try:
        yield mount
    finally:
        if mounted:
            subprocess.run(["umount", str(mount)], check=True)


def _patch_writes_to_fail_past(monkeypatch, limit):
    import h5py

    def no_space():
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    real_writestr, real_dataset = zipfile.ZipFile.writestr, h5py.Group.create_dataset

    def writestr(self, name, data, *args, **kwargs):
        if len(data) > limit:
            raise no_space()
        return real_writestr(self, name, data, *args, **kwargs)

    def create_dataset(self, name, *args, data=None, **kwargs):
        if data is not None and np.asarray(data).nbytes > limit:
            raise no_space()
        return real_dataset(self, name, *args, data=data, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)
    monkeypatch.setattr(h5py.Group, "create_dataset", create_dataset)


@pytest.mark.parametrize("suffix", ["keras", "h5", "weights.h5"])
def test_full_disk_raises_and_keeps_the_previous_file(tmp_path, monkeypatch, suffix):
    small = kerasish.Sequential([kerasish.Input((3,)), layers.Dense(4)])
    big = kerasish.Sequential([kerasish.Input((256,)), layers.Dense(2048)])  # 2 MiB of weights
    with _tiny_disk(tmp_path, monkeypatch) as disk:
        path = disk / f"m.{suffix}"
        (small.save_weights if suffix == "weights.h5" else small.save)(path)
        before = path.read_bytes()
        with pytest.raises(OSError, match=r"(?s)Could not save to .*m\..*space.*unchanged") as info:
            (big.save_weights if suffix == "weights.h5" else big.save)(path)
        assert info.value.errno == errno.ENOSPC
        assert path.read_bytes() == before
        assert sorted(p.name for p in disk.iterdir()) == [path.name]
        restored = kerasish.Sequential([kerasish.Input((3,)), layers.Dense(4)])
        if suffix == "weights.h5":
            restored.load_weights(path)
        else:
            restored = kerasish.models.load_model(path)
        for a, b in zip(restored.get_weights(), small.get_weights()):
            np.testing.assert_array_equal(a, b)
