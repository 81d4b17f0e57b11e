"""`kerasish.distribution` under `torchrun --nproc_per_node=2` (gloo, CPU): ModelParallel with a
layout splitting the Dense kernels, and DataParallel(fully_shard=True), equal one process to
1e-5 (losses, metrics, weights, predictions); each rank holds only its shards; the saved file
holds the whole model and loads back into the layout; a failing rank ends the run."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from filelock import FileLock

SCRIPT = os.path.join(os.path.dirname(__file__), "dist_script.py")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODES = ("model", "batch_model", "fsdp")


def _run(cmd, cwd, timeout=300):
    env = dict(os.environ, OMP_NUM_THREADS="1", KERASISH_DEVICE="cpu", KERASISH_DIST_TIMEOUT="60",
               PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _torchrun(*args):
    return [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port=0",
            "--rdzv_backend=c10d", "--rdzv_endpoint=127.0.0.1:0", SCRIPT, *args]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    # One run for the session, also under pytest-xdist (whose workers would each run a module
    # fixture): the first worker runs it under a file lock, the others find it done.
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    tmp = base / "distribution_runs"
    with FileLock(str(base / "distribution_runs.lock")):
        if not (tmp / "done").exists():
            tmp.mkdir(exist_ok=True)
            single = _run([sys.executable, SCRIPT, "ref", "single"], tmp)
            assert single.returncode == 0, single.stderr[-3000:]
            multi = _run(_torchrun("dist", ",".join(MODES)), tmp)
            assert multi.returncode == 0, multi.stderr[-3000:]
            (tmp / "done").write_text("ok")
    return tmp


def _close(got, want):
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("mode", MODES)
def test_two_processes_match_one(runs, mode):
    ref = np.load(runs / "ref_single_rank0.npz")
    ref_logs = json.loads((runs / "ref_single_rank0.json").read_text())
    for rank in (0, 1):
        got = np.load(runs / f"dist_{mode}_rank{rank}.npz")
        assert got.files == ref.files
        for key in ref.files:  # the final weights (gathered) and the predictions
            _close(got[key], ref[key])
        logs = json.loads((runs / f"dist_{mode}_rank{rank}.json").read_text())
        assert logs["history"].keys() == ref_logs["history"].keys()
        for key, values in ref_logs["history"].items():
            _close(logs["history"][key], values)
        for key, value in ref_logs["evaluate"].items():
            _close(logs["evaluate"][key], value)


# Whole shapes: conv1d kernel (3, 1, 4) (stored (4, 1, 3)), bias (4,); dense kernel (24, 16),
# bias (16,); dense_1 kernel (16, 6), bias (6,).
LOCAL_SHAPES = {
    # split by filters / units on the "model" axis of the (1, 2) mesh
    "model": [[2, 1, 3], [2], [24, 8], [8], [16, 3], [3]],
    # a model axis of 1: whole variables
    "batch_model": [[4, 1, 3], [4], [24, 16], [16], [16, 6], [6]],
    # split along the largest (Keras) axis on the batch axis of the (2,) mesh
    "fsdp": [[2, 1, 3], [2], [12, 16], [8], [8, 6], [3]],
}


@pytest.mark.parametrize("mode", MODES)
def test_each_rank_holds_only_its_shards(runs, mode):
    for rank in (0, 1):
        logs = json.loads((runs / f"dist_{mode}_rank{rank}.json").read_text())
        # (the second model of the run has other layer names: compare in order)
        assert list(logs["local_shapes"].values()) == LOCAL_SHAPES[mode]
        # Adam's two slots per variable are split like their variable.
        assert logs["slot_shapes"] == [shape for shape in LOCAL_SHAPES[mode] for _ in range(2)]
        assert logs["count_params"] == 3 * 4 + 4 + 24 * 16 + 16 + 16 * 6 + 6  # the whole model's


@pytest.mark.parametrize("mode", MODES)
def test_saved_whole_and_loaded_back_into_the_layout(runs, mode):
    import kerasish

    ref = np.load(runs / "ref_single_rank0.npz")
    whole = kerasish.models.load_model(runs / f"dist_{mode}.keras")  # one process, no layout
    weights = whole.get_weights()
    assert len(weights) == len(ref.files) - 1  # the weights, then the predictions
    for i, got in enumerate(weights):
        _close(got, ref[f"arr_{i}"])
    for rank in (0, 1):
        restored = np.load(runs / f"dist_{mode}_restored_rank{rank}.npz")
        for key in ref.files:
            _close(restored[key], ref[key])


def test_what_needs_whole_variables_is_refused(runs):
    for rank in (0, 1):
        clip, lamb, backup = json.loads((runs / f"dist_model_refusals_rank{rank}.json").read_text())
        assert "each process holds a shard" in clip and clip.endswith("Received: clipnorm=1.0")
        assert "The Lamb optimizer's update reads whole variables" in lamb
        assert backup.startswith("BackupAndRestore does not support models whose variables are split")


def test_failure_on_one_rank_ends_all_ranks(tmp_path):
    proc = _run(_torchrun("fail", "model", "1"), tmp_path, timeout=200)
    assert proc.returncode != 0
    assert "injected failure on rank 1" in proc.stderr + proc.stdout
    assert not list(tmp_path.glob("fail_model_rank*.npz"))
