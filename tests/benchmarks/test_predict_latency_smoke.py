"""`benchmarks/bench_predict_latency.py` runs end to end, Keras 3 worker included, and prints both
tables (no timings are asserted)."""

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_prints_idle_and_busy_tables_with_ratios():
    cmd = [sys.executable, os.path.join(REPO, "benchmarks", "bench_predict_latency.py"),
           "--rounds", "1", "--calls", "2"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=REPO,
                         env=dict(os.environ, KERAS_BACKEND="torch", OMP_NUM_THREADS="1"))
    assert out.returncode == 0, out.stderr
    assert "## idle" in out.stdout and "## busy" in out.stdout
    rows = [line.split("|")[1].strip() for line in out.stdout.splitlines() if line.startswith("| ")]
    assert rows.count("torch forward (no_grad)") == 2 and rows.count("kerasish predict") == 2
    assert rows.count("keras 3 predict") == 2
