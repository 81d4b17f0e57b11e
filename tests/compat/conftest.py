"""Helpers for running scripts through `python -m kerasish` in a subprocess."""

import os
import subprocess
import sys
import textwrap

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_kerasish(tmp_path, source, *args, env=None, name="script.py", cwd=None, timeout=240):
    """Writes `source` to `tmp_path/name` and runs `python -m kerasish` on it; returns the result."""
    script = tmp_path / name
    script.write_text(textwrap.dedent(source))
    full_env = dict(os.environ, OMP_NUM_THREADS="1", KERASISH_DEVICE="cpu", CUDA_VISIBLE_DEVICES="")
    full_env.pop("KERAS_BACKEND", None)
    full_env["PYTHONPATH"] = os.pathsep.join(p for p in (REPO, (env or {}).pop("PYTHONPATH", None)) if p)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "kerasish", str(script), *args], capture_output=True,
                          text=True, env=full_env, cwd=str(cwd or tmp_path), timeout=timeout)


@pytest.fixture
def run_script(tmp_path):
    def run(source, *args, **kwargs):
        return run_kerasish(tmp_path, source, *args, **kwargs)

    return run
