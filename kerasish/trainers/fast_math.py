"""CPU float settings kerasish uses inside its own loops, restored afterwards.

Optimizer state that decays towards zero (RMSprop's and Adam's second moments) drifts into the
denormal float range, where x86 CPUs run elementwise kernels many times slower. TensorFlow — and so
Keras 2 — flushes denormals to zero by default; kerasish does the same inside `fit`, `evaluate` and
`predict` only, and restores the previous mode when they return. Values below ~1.2e-38 become 0,
which changes no result at float32 tolerance. Set `KERASISH_FLUSH_DENORMAL=0` to opt out.
"""

import contextlib
import os

import torch


def _flush_denormal_enabled():
    # torch has no getter: a denormal survives a multiply only when flushing is off.
    return bool((torch.tensor([1e-39], dtype=torch.float32) * 1.0)[0] == 0)


@contextlib.contextmanager
def fast_cpu_math():
    if os.environ.get("KERASISH_FLUSH_DENORMAL", "1") == "0":
        yield
        return
    previous = _flush_denormal_enabled()
    changed = not previous and torch.set_flush_denormal(True)
    try:
        yield
    finally:
        if changed:
            torch.set_flush_denormal(False)
