"""The seed tutorial runs unmodified through `python -m kerasish`, offline."""

import os
import subprocess
import sys

from tests.conftest import REPO


def test_seed_tutorial_runs_end_to_end(tmp_path):
    # An origin nothing listens on: the download fails at once, whatever network there is, and
    # mnist.load_data() falls back to the bundled sample as it does offline.
    env = dict(os.environ, KERAS_HOME=str(tmp_path / "keras_home"), OMP_NUM_THREADS="1",
               KERASISH_DATASETS_ORIGIN="http://127.0.0.1:9/")
    proc = subprocess.run(
        [sys.executable, "-m", "kerasish", os.path.join(REPO, "examples", "seed_tutorial.py"), "--quick"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900,
    )
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr[-3000:]
    for section in ("Sequentialモデルの作成", "コンパイル", "学習", "MNIST Training Tutorial", "== CNN ==", "== RNN =="):
        assert section in out
    assert 'Model: "sequential_3"' in out and "Total params: 25,120" in out
    assert "history keys: ['accuracy', 'loss', 'val_accuracy', 'val_loss']" in out
    assert "with mean_pred: ['accuracy', 'loss', 'mean_pred']" in out
    assert "bundled with kerasish" in proc.stderr  # offline: the MNIST sample, said in a warning
    accuracy = float(out.split("Test accuracy:")[1].split()[0])
    assert accuracy > 0.8
