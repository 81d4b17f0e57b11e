"""CPU float settings kerasish uses inside its own loops, restored afterwards.

Optimizer state that decays towards zero (RMSprop's and Adam's second moments) drifts into the
denormal float range, where x86 CPUs run some elementwise kernels (square roots above all) many
times slower. TensorFlow — and so Keras 2 — flushes denormals to zero by default; kerasish does the
same inside `fit`, and inside `evaluate` and `predict` on large inputs (see `trainers/inference.py`),
and restores the previous mode when they return (or raise).
Values below ~1.2e-38 become 0, which changes no result at float32 tolerance. Set
`KERASISH_FLUSH_DENORMAL=0` to opt out.

The flush mode is a per-thread CPU register (MXCSR), and `torch.set_flush_denormal` sets only the
calling thread's. torch's intra-op work runs on an OpenMP thread pool whose threads keep the mode
they were created with: flushing on the calling thread alone speeds up half of every parallel
kernel (with two threads), and a pool created inside the loop would keep flushing after it. So the
calling thread's float environment is copied to every thread of its pool, on entry and on exit:
libgomp's `GOMP_parallel` (what torch's own `#pragma omp parallel` compiles to) runs the C library's
`fesetenv` on each pool thread with the environment the calling thread saved — about 2 µs, no Python
on the pool threads. Where torch does not use libgomp (macOS, Windows, other OpenMP runtimes), only
the calling thread is switched, after its pool exists.
"""

import contextlib
import ctypes
import os
import threading

import torch

_lock = threading.Lock()
_ENV_BYTES = 64  # sizeof(fenv_t) is 32 on x86-64 glibc; room to spare


class _PoolEnvironment:
    """Copies the calling thread's float environment to each thread of its OpenMP pool."""

    def __init__(self, gomp_parallel, fesetenv, fegetenv):
        self._parallel = gomp_parallel
        self._fesetenv_address = ctypes.cast(fesetenv, ctypes.c_void_p).value
        self._fesetenv = fesetenv
        self._fegetenv = fegetenv

    def save(self):
        env = ctypes.create_string_buffer(_ENV_BYTES)
        if self._fegetenv(env) != 0:
            raise OSError("fegetenv failed")
        return env

    def apply(self, env, threads):
        """Makes `env` the environment of the calling thread and of `threads` pool threads."""
        self._fesetenv(env)
        self._parallel(self._fesetenv_address, ctypes.addressof(env), threads, 0)


_pool_environment = None  # a _PoolEnvironment once looked up, False where unavailable


def _pool():
    global _pool_environment
    if _pool_environment is None:
        _pool_environment = False
        gomp_path = os.path.join(os.path.dirname(torch.__file__), "lib", "libgomp.so.1")
        if os.path.exists(gomp_path) and "OpenMP" in torch.__config__.parallel_info():
            try:
                parallel = ctypes.CDLL(gomp_path).GOMP_parallel
                fesetenv, fegetenv = _fenv_functions()
            except (OSError, AttributeError, TypeError):
                return False
            parallel.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint, ctypes.c_uint]
            parallel.restype = None
            fesetenv.argtypes = fegetenv.argtypes = [ctypes.c_void_p]
            fesetenv.restype = fegetenv.restype = ctypes.c_int
            _pool_environment = _PoolEnvironment(parallel, fesetenv, fegetenv)
    return _pool_environment


def _fenv_functions():
    # Python itself links the C maths library, so its symbols are usually found without a search.
    try:
        libm = ctypes.CDLL(None)
        return libm.fesetenv, libm.fegetenv
    except (OSError, AttributeError):
        from ctypes.util import find_library

        libm = ctypes.CDLL(find_library("m"))
        return libm.fesetenv, libm.fegetenv


def _flush_denormal_enabled():
    # torch has no getter: a denormal survives a multiply only when flushing is off.
    return bool((torch.tensor([1e-39], dtype=torch.float32) * 1.0)[0] == 0)


_supported_cpu = None


def _supported():
    global _supported_cpu
    if _supported_cpu is None:
        # Setting the mode it already has changes nothing and says whether this CPU has the mode.
        _supported_cpu = torch.set_flush_denormal(_flush_denormal_enabled())
    return _supported_cpu


@contextlib.contextmanager
def fast_cpu_math(enabled=True):
    """Flushes denormals to zero until the block ends (on the calling thread and its OpenMP pool).

    Args:
        enabled: `False` makes this a no-op: `evaluate`/`predict` on small inputs skip the flush,
            whose two pool-wide switches cost more than they save there.
    """
    if not enabled or os.environ.get("KERASISH_FLUSH_DENORMAL", "1") == "0" or not _supported():
        yield
        return
    pool = _pool()
    with _lock:
        threads = max(torch.get_num_threads(), 1)
        if pool:
            previous = pool.save()
            torch.set_flush_denormal(True)
            pool.apply(pool.save(), threads)
        else:
            # The pool must exist before the calling thread's mode changes, or its threads would
            # be created flushing and keep doing so after the loop.
            torch.ones(1 << 16).add_(1)
            previous = _flush_denormal_enabled()
            torch.set_flush_denormal(True)
    try:
        yield
    finally:
        with _lock:
            if pool:
                pool.apply(previous, max(threads, torch.get_num_threads()))
            else:
                torch.set_flush_denormal(previous)
