"""`benchmarks/bench_ops.py` runs every row of its table and prints it (no timings asserted)."""

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_every_entry_runs_and_prints_a_row():
    sys.path.insert(0, os.path.join(REPO, "benchmarks"))
    try:
        import bench_ops
    finally:
        sys.path.pop(0)
    cmd = [sys.executable, os.path.join(REPO, "benchmarks", "bench_ops.py"), "--rounds", "1",
           "--calls", "1", "--threads", "1"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=REPO,
                         env=dict(os.environ, KERAS_BACKEND="torch"))
    assert out.returncode == 0, out.stderr
    rows = [line for line in out.stdout.splitlines() if line.startswith("| ") and "---" not in line]
    assert [r.split("|")[1].strip() for r in rows[1:]] == [e[0] for e in bench_ops.ENTRIES]
    assert "Keras 3: yes" in out.stdout
    assert all(r.split("|")[4].strip() != "-" for r in rows[1:])  # Keras timed on every row
