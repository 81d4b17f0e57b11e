"""A training process killed mid-epoch and restarted ends with the weights of an uninterrupted run."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from kerasish import callbacks

from tests.callbacks.helpers import tiny_data, tiny_model

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Trains 5 epochs with Adam (optimizer slots matter), shuffling and dropout (the random state
# matters); with CRASH_AT set, the process dies (os._exit, no cleanup) in that epoch's 3rd batch.
_SCRIPT = r"""
import os, sys
import numpy as np
import kerasish
from kerasish import layers
kerasish.utils.set_random_seed(7)
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 4)).astype("float32")
y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
model = kerasish.Sequential([layers.Dense(8, activation="relu"), layers.Dropout(0.3),
                             layers.Dense(1, activation="sigmoid")])
model.compile(kerasish.optimizers.Adam(0.01), "binary_crossentropy")
crash_at = int(os.environ.get("CRASH_AT", "-1"))

class Crash(kerasish.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
    def on_train_batch_end(self, batch, logs=None):
        if self.epoch == crash_at and batch == 2:
            os._exit(3)

backup = kerasish.callbacks.BackupAndRestore(sys.argv[2])
history = model.fit(x, y, batch_size=8, epochs=5, verbose=0, callbacks=[backup, Crash()])
np.savez(sys.argv[1], *model.get_weights(), epochs=np.array(history.epoch),
         iterations=np.array(model.optimizer._iterations))
"""


def _run(tmp_path, name, crash_at=None):
    env = dict(os.environ, OMP_NUM_THREADS="1", KERASISH_DEVICE="cpu", PYTHONPATH=REPO)
    if crash_at is not None:
        env["CRASH_AT"] = str(crash_at)
    script = tmp_path / "train.py"
    script.write_text(_SCRIPT)
    out = tmp_path / f"{name}.npz"
    proc = subprocess.run([sys.executable, str(script), str(out), str(tmp_path / f"backup_{name}")],
                          env=env, capture_output=True, text=True, timeout=240)
    return proc, out


def test_killed_run_resumes_to_the_uninterrupted_weights(tmp_path):
    proc, reference = _run(tmp_path, "straight")
    assert proc.returncode == 0, proc.stderr
    crashed, _ = _run(tmp_path, "resumed", crash_at=3)
    assert crashed.returncode == 3, crashed.stderr
    backup_dir = tmp_path / "backup_resumed"
    assert json.loads((backup_dir / "training_metadata.json").read_text())["epoch"] == 3
    proc, resumed = _run(tmp_path, "resumed")
    assert proc.returncode == 0, proc.stderr
    assert not backup_dir.exists()  # delete_checkpoint=True after a finished run
    a, b = np.load(reference), np.load(resumed)
    assert list(b["epochs"]) == [3, 4] and list(a["epochs"]) == [0, 1, 2, 3, 4]
    assert int(a["iterations"]) == int(b["iterations"]) == 40
    for key in a.files:
        if key.startswith("arr_"):
            np.testing.assert_array_equal(a[key], b[key])


def test_backup_files_are_plain_tensors(tmp_path):
    import torch

    x, y = tiny_data()
    model = tiny_model()
    cb = callbacks.BackupAndRestore(str(tmp_path / "bk"), delete_checkpoint=False, double_checkpoint=True)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[cb])
    state = torch.load(tmp_path / "bk" / "latest.pt", weights_only=True)
    assert set(state) == {"model", "optimizer", "rng", "progress"}
    assert (tmp_path / "bk" / "latest.pt.bkp").exists()
    # A finished backup at epoch 2 of 2: a rerun resumes past the end and trains nothing.
    again = tiny_model()
    history = again.fit(x, y, epochs=2, verbose=0, callbacks=[callbacks.BackupAndRestore(str(tmp_path / "bk"))])
    assert history.epoch == []
    for w, v in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(w, v)


@pytest.mark.parametrize("kwargs", [dict(backup_dir=""), dict(backup_dir="d", save_freq="batch")])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match="Received"):
        callbacks.BackupAndRestore(**kwargs)
