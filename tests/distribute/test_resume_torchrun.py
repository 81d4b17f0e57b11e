"""BackupAndRestore and ModelCheckpoint under `torchrun --nproc_per_node=2`: every rank resumes at
rank 0's epoch and state, only rank 0 writes, and the result equals one process."""

import json
import os
import sys

import numpy as np
import pytest

from tests.distribute.test_torchrun import _run

SCRIPT = os.path.join(os.path.dirname(__file__), "resume_script.py")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("resume")
    single = _run([sys.executable, SCRIPT, "single"], tmp)
    assert single.returncode == 0, single.stderr[-3000:]
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port=0",
           "--rdzv_backend=c10d", "--rdzv_endpoint=127.0.0.1:0", SCRIPT, "ddp"]
    multi = _run(cmd, tmp)
    assert multi.returncode == 0, multi.stderr[-3000:]
    return tmp


def test_all_ranks_resume_from_rank_zeros_backup(runs):
    ref = np.load(runs / "single_rank0.npz")
    ref_logs = json.loads((runs / "single_rank0.json").read_text())
    assert ref_logs["epochs"] == [2, 3] and ref_logs["iterations"] == 16
    for rank in (0, 1):
        logs = json.loads((runs / f"ddp_rank{rank}.json").read_text())
        assert logs["epochs"] == [2, 3] and logs["iterations"] == 16
        np.testing.assert_allclose(logs["history"]["loss"], ref_logs["history"]["loss"], rtol=1e-5)
        got = np.load(runs / f"ddp_rank{rank}.npz")
        assert got.files == ref.files  # weights, then Adam's slots
        for key in ref.files:
            np.testing.assert_allclose(got[key], ref[key], rtol=1e-5, atol=1e-6)


def test_only_rank_zero_writes_and_deletes(runs):
    import kerasish

    # The resumed run deleted its backup (delete_checkpoint=True) once, on rank 0, after all ranks read it.
    assert not json.loads((runs / "ddp_rank0.json").read_text())["backup_left"]
    restored = kerasish.models.load_model(runs / "ddp_ckpt.keras")
    for a, b in zip(restored.get_weights(), np.load(runs / "ddp_rank0.npz").values()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert sorted(p.name for p in runs.iterdir() if p.name.startswith("ddp")) == [
        "ddp_ckpt.keras", "ddp_rank0.json", "ddp_rank0.npz", "ddp_rank1.json", "ddp_rank1.npz"]
