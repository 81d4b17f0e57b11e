"""Private helpers shared by the op implementations: cheap input conversion, casts, Keras's type
promotion on torch dtypes (cached), and axis arguments.

Everything here is on the hot path of eager ops, so each helper first checks the common case (a
torch tensor that already has the right dtype) and returns at once.
"""

import functools

import torch

from kerasish.backend import config, dtypes
from kerasish.ops.convert import to_tensor

Tensor = torch.Tensor

INT_DTYPES = frozenset((torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8,
                        torch.uint16, torch.uint32, torch.uint64))
INT_OR_BOOL = INT_DTYPES | {torch.bool}
FLOAT_DTYPES = frozenset((torch.float16, torch.bfloat16, torch.float32, torch.float64))
# Reductions that Keras (following JAX) accumulates in int32 rather than in the input's width.
# Keras's promotion on the torch backend narrows these to 32 bits, even when both operands
# have them.
WIDE_DTYPES = frozenset((torch.int64, torch.uint64, torch.float64, torch.complex128))
_WIDE_ENOUGH = frozenset((torch.int32, torch.int64)) | FLOAT_DTYPES
SMALL_INTS = frozenset((torch.bool, torch.uint8, torch.int8, torch.int16))


# Keras's dtypes of Python ints and bools, for a quicker conversion (floats take floatx).
_PY_SCALARS = {int: torch.int32, bool: torch.bool}


def tensor(x):
    """`x` as a torch tensor (tensors and Keras variables pass through)."""
    if isinstance(x, Tensor):
        return x
    if type(x) is float:
        return torch.tensor(x, dtype=floatx(), device=config.get_device())
    dtype = _PY_SCALARS.get(type(x))
    if dtype is not None:
        return torch.tensor(x, dtype=dtype, device=config.get_device())
    return to_tensor(x)


def pair(x1, x2):
    """Both operands as tensors; one converted here follows the other's device (so that lists and
    arrays next to CUDA or meta tensors work) unless it is a 0-d scalar, which torch accepts."""
    t1, t2 = tensor(x1), tensor(x2)
    if t1.device != t2.device:
        if t1 is not x1 and t1.ndim:
            t1 = t1.to(t2.device)
        elif t2 is not x2 and t2.ndim:
            t2 = t2.to(t1.device)
    return t1, t2


def scalar_ok(t, s):
    """Whether a torch op given the Python number `s` itself (a weak scalar) returns what it returns
    for Keras's conversion of `s` (a 0-d int32/floatx/bool tensor) next to the tensor `t`: floats
    next to float tensors; next to others when floatx is float32 (torch's default float); for ints
    unless `t` is bool (torch would give int64) or `s` overflows int32."""
    ts = type(s)
    if ts is float:
        return t.dtype.is_floating_point or t.dtype.is_complex or config.floatx() == "float32"
    if ts is int:
        return t.dtype is not torch.bool and -2147483648 <= s <= 2147483647 and (
            0 <= s < 128 or t.dtype in _WIDE_ENOUGH)
    return ts is bool



def cast(x, dtype):
    """`x` in the torch dtype `dtype` (no copy when it already is)."""
    return x if x.dtype == dtype else x.to(dtype)


def floatx():
    return dtypes.to_torch_dtype(config.floatx())


def torch_dtype(dtype):
    return dtypes.to_torch_dtype(dtype)


@functools.lru_cache(2048)
def _promote(key, fx):
    names = [d if d in (int, float, bool) else dtypes.dtype_name(d) for d in key]
    return dtypes.to_torch_dtype(dtypes.result_type(*names))


def promote(*dts):
    """Keras's `result_type` of torch dtypes / Python types (`int`, `float`: weak), as a torch
    dtype."""
    return _promote(dts, config.floatx())


def dtype_of(x):
    """The torch dtype of a tensor, or the Python type of a number (a weak type for promotion)."""
    if isinstance(x, Tensor):
        return x.dtype
    if isinstance(x, bool):
        return bool
    if isinstance(x, int):
        return int
    if isinstance(x, float):
        return float
    return tensor(x).dtype


def to_float(x, int64_to=None):
    """Integer and bool tensors as floatx (int64 as `int64_to` when given), others unchanged."""
    if x.dtype in INT_OR_BOOL:
        if int64_to is not None and x.dtype == torch.int64:
            return x.to(int64_to)
        return x.to(floatx())
    return x


def axis_arg(axis):
    """Keras's `axis` argument as None, or a tuple of ints (an int becomes a 1-tuple)."""
    if axis is None:
        return None
    if isinstance(axis, int):
        return (axis,)
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    if isinstance(axis, Tensor) and axis.ndim == 0:
        return (int(axis),)
    raise TypeError(f"`axis` must be None, an int or a tuple of ints. Received: axis={axis!r}")


def canonical_axes(axis, ndim, op="op"):
    """Non-negative axes of a tuple of axes, checked against `ndim`."""
    out = []
    for a in axis:
        if not -ndim <= a < max(ndim, 1):
            raise ValueError(
                f"`ops.{op}`: axis {a} is out of bounds for a tensor of rank {ndim}. "
                f"Received: axis={axis}"
            )
        out.append(a % ndim if ndim else 0)
    return tuple(out)


def is_empty_axis(axis):
    return isinstance(axis, (tuple, list)) and len(axis) == 0
