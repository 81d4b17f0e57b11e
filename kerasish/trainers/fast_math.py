"""CPU float settings kerasish uses inside its own loops, restored afterwards.

Optimizer state that decays towards zero (RMSprop's and Adam's second moments) drifts into the
denormal float range, where x86 CPUs run some elementwise kernels (square roots above all) many
times slower. TensorFlow — and so Keras 2 — flushes denormals to zero by default; kerasish does the
same inside `fit`, `evaluate` and `predict` only, and restores the previous mode when they return.
Values below ~1.2e-38 become 0, which changes no result at float32 tolerance. Set
`KERASISH_FLUSH_DENORMAL=0` to opt out.

The flush mode is a per-thread CPU register (MXCSR), and `torch.set_flush_denormal` sets only the
calling thread's. torch's intra-op work runs on an OpenMP thread pool whose threads keep the mode
they were created with: flushing on the main thread alone speeds up half of every parallel kernel,
and a pool created inside the loop would keep flushing after it. So the mode is set, and restored,
on every pool thread too: an OpenMP parallel region (libgomp's `GOMP_parallel`, the entry point
torch's own `#pragma omp parallel` compiles to) runs a callback on each thread of the pool.
Where torch was not built with libgomp, only the main thread is switched, after the pool exists.
"""

import contextlib
import ctypes
import os
import threading

import torch

_lock = threading.Lock()
_gomp = None  # (GOMP_parallel, callback type) once looked up; False where unavailable


def _flush_denormal_enabled():
    # torch has no getter: a denormal survives a multiply only when flushing is off.
    return bool((torch.tensor([1e-39], dtype=torch.float32) * 1.0)[0] == 0)


def _gomp_parallel():
    global _gomp
    if _gomp is None:
        _gomp = False
        path = os.path.join(os.path.dirname(torch.__file__), "lib", "libgomp.so.1")
        if "OpenMP" in torch.__config__.parallel_info() and os.path.exists(path):
            try:
                fn = ctypes.CDLL(path).GOMP_parallel
            except (OSError, AttributeError):
                fn = None
            if fn is not None:
                callback = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
                fn.argtypes = [callback, ctypes.c_void_p, ctypes.c_uint, ctypes.c_uint]
                fn.restype = None
                _gomp = (fn, callback)
    return _gomp


def _on_pool_threads(body, threads):
    """Runs `body()` once on each of `threads` OpenMP threads (the caller is thread 0); False when
    that cannot be done here."""
    gomp = _gomp_parallel()
    if not gomp:
        return False
    fn, callback_type = gomp
    errors = []

    def run(_):
        try:
            body()
        except BaseException as e:  # noqa: BLE001 - an exception must not cross the C frame
            errors.append(e)

    fn(callback_type(run), None, threads, 0)
    if errors:
        raise errors[0]
    return True


def _set_everywhere(flags_by_thread, threads):
    """Sets each pool thread's flush mode; `flags_by_thread` maps thread ids to modes, and the key
    None gives the mode of threads not in it."""
    def body():
        ident = threading.get_ident()
        torch.set_flush_denormal(flags_by_thread.get(ident, flags_by_thread.get(None)))

    return _on_pool_threads(body, threads)


def _supported():
    # Setting the mode it already has changes nothing and says whether this CPU has the mode.
    return torch.set_flush_denormal(_flush_denormal_enabled())


@contextlib.contextmanager
def fast_cpu_math():
    if os.environ.get("KERASISH_FLUSH_DENORMAL", "1") == "0" or not _supported():
        yield
        return
    with _lock:
        threads = max(torch.get_num_threads(), 1)
        previous = {}

        def record():
            previous[threading.get_ident()] = _flush_denormal_enabled()

        if _on_pool_threads(record, threads):
            _set_everywhere({None: True}, threads)
        else:
            # The pool must exist before the main thread's mode changes, or its threads would be
            # created flushing and keep doing so after the loop.
            torch.ones(1 << 16).add_(1)
            previous = {threading.get_ident(): _flush_denormal_enabled()}
            torch.set_flush_denormal(True)
    try:
        yield
    finally:
        with _lock:
            main = previous.get(threading.get_ident(), False)
            threads = max(threads, torch.get_num_threads())
            if not _set_everywhere({**previous, None: main}, threads):
                torch.set_flush_denormal(main)
