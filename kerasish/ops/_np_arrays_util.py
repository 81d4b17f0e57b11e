"""Small helpers shared by the array ops (`np_arrays.py` and its private parts)."""

import torch

from kerasish.backend import config, dtypes
from kerasish.backend.dtypes import _TORCH_TO_NAME
from kerasish.ops.convert import to_tensor

Tensor = torch.Tensor


def tensor(x, dtype=None):
    """`x` as a torch tensor; tensors (of the wanted dtype) come back untouched, at no cost."""
    if type(x) is Tensor and dtype is None:
        return x
    return to_tensor(x, dtype)


def tensors(*xs):
    """`xs` as tensors on one device: non-tensors (numbers, lists, arrays) follow the first
    tensor among them (a meta tensor during symbolic shape inference, a CUDA tensor, ...)."""
    dev = None
    for x in xs:
        if isinstance(x, Tensor):
            dev = x.device
            break
    out = []
    for x in xs:
        if not isinstance(x, Tensor):
            x = to_tensor(x)
            if dev is not None and x.device != dev:
                x = x.to(dev)
        out.append(x)
    return out


def name(t):
    """Keras's dtype name of a tensor."""
    return _TORCH_TO_NAME[t.dtype]


def cast(t, dtype):
    """`t` in `dtype` (a Keras name or torch dtype); no copy when it already is."""
    td = dtypes.to_torch_dtype(dtype)
    return t if t.dtype == td else t.to(td)


def torch_dtype(dtype):
    """A Keras dtype argument as a torch dtype; None is floatx."""
    return dtypes.to_torch_dtype(dtype if dtype is not None else config.floatx())


def device():
    return config.get_device()


def canonicalize_axis(op, axis, ndim, arg="axis"):
    """`axis` in [0, ndim), or a ValueError naming the op."""
    if not isinstance(axis, int) and not hasattr(axis, "__index__"):
        raise TypeError(f"`ops.{op}`: `{arg}` must be an integer. Received: {arg}={axis!r}")
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"`ops.{op}`: `{arg}` is out of bounds for a tensor of rank {ndim}. "
            f"Received: {arg}={axis}"
        )
    return axis + ndim if axis < 0 else axis


def float_compute(result_name, dev):
    """The dtype Keras's torch backend computes products in for a result dtype: a float type
    (torch's CPU kernels lack some float16 products, so float16 computes in float32 there)."""
    compute = dtypes.result_type(result_name, float)
    if compute == "float16" and dev.type == "cpu":
        compute = "float32"
    return compute


def check_int(op, arg, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"`ops.{op}`: `{arg}` must be an integer. Received: {arg}={value!r}")
    return value
