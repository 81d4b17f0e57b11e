"""The process group behind `fit()` under `torchrun`: set up from torchrun's environment on first
use (gloo on CPU, nccl on CUDA), torn down at exit."""

import atexit
import datetime
import os
import sys

import torch
import torch.distributed as dist

_OWNED = False


def launched_distributed():
    """Whether this process was started by torchrun (or similar) as one of several."""
    return int(os.environ.get("WORLD_SIZE", "1")) > 1 and "RANK" in os.environ


def is_initialized():
    return dist.is_available() and dist.is_initialized()


def ensure_initialized(device=None):
    """Initializes the default process group from the environment, if launched distributed."""
    global _OWNED
    if is_initialized() or not launched_distributed():
        return is_initialized()
    if not dist.is_available():
        raise RuntimeError("This torch build has no torch.distributed support; cannot run under torchrun.")
    device = torch.device(device) if device is not None else None
    backend = "nccl" if device is not None and device.type == "cuda" and dist.is_nccl_available() else "gloo"
    if backend == "nccl":
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
    timeout = datetime.timedelta(seconds=float(os.environ.get("KERASISH_DIST_TIMEOUT", "600")))
    dist.init_process_group(backend=backend, timeout=timeout)
    _OWNED = True
    atexit.register(shutdown)
    return True


def shutdown():
    """Destroys the process group kerasish created (a no-op otherwise)."""
    global _OWNED
    if _OWNED and is_initialized():
        try:
            # Leave together: a rank tearing down its gloo threads while a peer still talks to it
            # can abort the peer at exit.
            # Not after an uncaught exception: the failing rank must exit at once so torchrun
            # ends the others.
            if getattr(sys, "last_value", None) is None and dist.get_backend() == "gloo":
                dist.monitored_barrier(timeout=datetime.timedelta(seconds=30))
            dist.destroy_process_group()
        except Exception:  # at interpreter exit a peer may already be gone; nothing to save
            pass
        finally:
            _OWNED = False


def rank():
    return dist.get_rank() if is_initialized() else int(os.environ.get("RANK", "0"))


def world_size():
    return dist.get_world_size() if is_initialized() else int(os.environ.get("WORLD_SIZE", "1"))


def is_chief():
    """Rank 0 (or a single process): the one that prints progress and writes files."""
    return rank() == 0


def local_device():
    """The device this rank trains on: its own GPU under torchrun (LOCAL_RANK), else the default."""
    from kerasish.backend import config

    device = config.get_device()
    if device.type == "cuda" and launched_distributed():
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    return device
