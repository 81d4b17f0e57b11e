"""`fit`/`evaluate`/`predict` under `torchrun --nproc_per_node=2` (gloo, CPU) equal one process
training on the same global batches; only rank 0 prints and writes; a failing rank ends the run."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

SCRIPT = os.path.join(os.path.dirname(__file__), "ddp_script.py")


def _run(cmd, cwd, timeout=600):
    env = dict(os.environ, OMP_NUM_THREADS="1", KERASISH_DEVICE="cpu")
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _torchrun(*args):
    return [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port=0",
            "--rdzv_backend=c10d", "--rdzv_endpoint=127.0.0.1:0", SCRIPT, *args]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ddp")
    single = _run([sys.executable, SCRIPT, "single"], tmp)
    assert single.returncode == 0, single.stderr[-3000:]
    multi = _run(_torchrun("ddp"), tmp)
    assert multi.returncode == 0, multi.stderr[-3000:]
    return tmp, single, multi


def test_two_processes_match_one(runs):
    tmp, _, _ = runs
    ref = np.load(tmp / "single_rank0.npz")
    ref_logs = json.loads((tmp / "single_rank0.json").read_text())
    for rank in (0, 1):
        got = np.load(tmp / f"ddp_rank{rank}.npz")
        for key in ref.files:
            np.testing.assert_allclose(got[key], ref[key], rtol=1e-5, atol=1e-6)
        logs = json.loads((tmp / f"ddp_rank{rank}.json").read_text())
        for key, values in ref_logs["history"].items():
            np.testing.assert_allclose(logs["history"][key], values, rtol=1e-5, atol=1e-6)
        for key, value in ref_logs["evaluate"].items():
            np.testing.assert_allclose(logs["evaluate"][key], value, rtol=1e-5, atol=1e-6)


def test_only_rank_zero_prints_and_writes(runs):
    tmp, _, multi = runs
    assert multi.stdout.count("Epoch 1/3") == 1
    assert (tmp / "ddp_log.csv").exists() and (tmp / "ddp.weights.h5").exists()
    rows = (tmp / "ddp_log.csv").read_text().strip().splitlines()
    assert len(rows) == 4  # header + 3 epochs, written once


def test_failure_on_one_rank_ends_all_ranks(tmp_path):
    proc = _run(_torchrun("fail", "1"), tmp_path, timeout=300)
    assert proc.returncode != 0
    assert "injected failure on rank 1" in proc.stderr + proc.stdout
    assert not (tmp_path / "fail_rank0.npz").exists()
