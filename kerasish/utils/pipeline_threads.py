"""Threads of a data pipeline (`Dataset.map` workers, the `prefetch` producer) run torch ops with
ONE intra-op thread, as torch's DataLoader workers do (`torch.set_num_threads(1)` in each
worker process).

Why: every Python thread that calls a parallel torch op gets its own OpenMP team. With a few
pipeline threads plus the training thread, each running teams of `torch.get_num_threads()`
spinning threads, the cores are oversubscribed: on a busy 2-core machine one 320x420 image
resize went from 2 ms to 36 ms. `torch.set_num_threads(1)` cannot be used here: it also changes
the process-wide count that the training thread's new teams read. OpenMP's own
`omp_set_num_threads` is per thread, so the pipeline threads call it (in torch's libgomp) after
torch's lazy per-thread set-up has run. Where torch does not use libgomp, nothing changes.
"""

import ctypes
import os

import torch

_omp_set_num_threads = []


def _setter():
    if not _omp_set_num_threads:
        setter = None
        path = os.path.join(os.path.dirname(torch.__file__), "lib", "libgomp.so.1")
        if os.path.exists(path) and "OpenMP" in torch.__config__.parallel_info():
            try:
                setter = ctypes.CDLL(path).omp_set_num_threads
                setter.argtypes, setter.restype = [ctypes.c_int], None
            except (OSError, AttributeError):
                setter = None
        _omp_set_num_threads.append(setter)
    return _omp_set_num_threads[0]


def use_one_intraop_thread():
    """Called at the start of a pipeline thread: its torch ops use one OpenMP thread."""
    torch.get_num_threads()  # runs torch's lazy per-thread init first, so it cannot undo the next line
    setter = _setter()
    if setter is not None:
        setter(1)
