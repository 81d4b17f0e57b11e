"""`benchmarks/run.py` runs end to end and prints its table (no timings are asserted)."""

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_quick_seed_mlp_prints_the_table_without_keras_or_tf():
    cmd = [sys.executable, os.path.join(REPO, "benchmarks", "run.py"), "--quick", "--only", "seed_mlp",
           "--no-keras", "--no-tf", "--rounds", "1", "--threads", "1"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=REPO,
                         env=dict(os.environ, OMP_NUM_THREADS="1"))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert any(line.startswith("Machine:") for line in lines)
    assert "Contenders: torch loop, kerasish;" in out.stdout
    assert "keras 3" not in out.stdout and "tf-keras (subprocess)" not in out.stdout
    rows = [line for line in lines if line.startswith("| seed_mlp |")]
    assert [row.split("|")[2].strip() for row in rows] == ["torch loop", "kerasish"]
    assert rows[0].split("|")[4].strip() == "1.00x"


def test_unknown_workload_is_rejected():
    cmd = [sys.executable, os.path.join(REPO, "benchmarks", "run.py"), "--only", "nope"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=REPO)
    assert out.returncode != 0
    assert "invalid choice" in out.stderr
