"""The Keras 3 transformer examples (keras.io's text and time-series classifiers, on data they
make themselves) run unchanged through `python -m kerasish`: a few training steps, then a `.keras`
round trip that must give identical predictions."""

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import REPO

SCRIPTS = {
    "transformer_text_classification": r"Validation accuracy: (\S+)",
    "transformer_timeseries_classification": r"Test accuracy: (\S+)",
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_transformer_example_trains_saves_and_reloads(name, tmp_path):
    # The kerasish under test (this checkout), not whichever one is installed.
    path = os.pathsep.join(p for p in (REPO, os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, OMP_NUM_THREADS="1", KERAS_HOME=str(tmp_path / "keras_home"),
               PYTHONPATH=path)
    proc = subprocess.run(
        [sys.executable, "-m", "kerasish", os.path.join(REPO, "examples", name + ".py"), "--quick",
         "--save-dir", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    accuracy = float(re.search(SCRIPTS[name], proc.stdout).group(1))
    assert 0.0 <= accuracy <= 1.0
    assert re.search(r"Epoch 1/1\n\d+/\d+ - ", proc.stdout), proc.stdout[-2000:]
    assert os.path.exists(tmp_path / f"{name}.keras")
    assert "identical predictions: True" in proc.stdout, proc.stdout[-2000:]
