"""numpy-style array creation, shape manipulation, joining/splitting, indexing, sorting, searching
and products (dot, matmul, einsum, ...).

Creation ops live here; the others in parts re-exported below: `np_shape.py` (shape, joining,
splitting), `np_pad.py`, `np_index.py` (indexing, sorting, searching, `where`; `unique` and
`vectorize` in their own files) and `np_products.py` (dot, matmul, einsum, ...).
"""

import builtins
import math

import torch

from kerasish.backend import dtypes
from kerasish.ops._np_arrays_util import Tensor, device, tensor, torch_dtype
from kerasish.ops.dispatch import keras_op
from kerasish.ops.np_index import *  # noqa: F401,F403
from kerasish.ops.np_pad import pad  # noqa: F401
from kerasish.ops.np_index import __all__ as _index_all
from kerasish.ops.np_products import *  # noqa: F401,F403
from kerasish.ops.np_products import __all__ as _products_all
from kerasish.ops.np_shape import *  # noqa: F401,F403
from kerasish.ops.np_shape import __all__ as _shape_all

_CREATION = [
    "arange", "array", "copy", "empty", "empty_like", "eye", "full", "full_like", "geomspace",
    "identity", "linspace", "logspace", "ndim", "ones", "ones_like", "size", "tri", "view",
    "zeros", "zeros_like",
]
__all__ = sorted(_CREATION + ["pad"] + _shape_all + _index_all + _products_all)


def _shape_tuple(op, shape):
    if isinstance(shape, int) or (isinstance(shape, Tensor) and shape.ndim == 0):
        return (int(shape),)
    try:
        return tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise TypeError(
            f"`ops.{op}`: `shape` must be an integer or a sequence of integers. "
            f"Received: shape={shape!r}"
        ) from None


def _dtype_of_value(v):
    """What Keras resolves an argument's dtype from: the array's dtype, or the Python type."""
    d = getattr(v, "dtype", None)
    return d if d is not None else type(v)


@keras_op
def zeros(shape, dtype=None):
    """A tensor of zeros.

    Args:
        shape: Shape of the new tensor (an integer or a tuple of integers).
        dtype: Its dtype. Defaults to `floatx()`.

    Returns:
        The tensor.

    Example:

    >>> ops.zeros((2, 3)).shape
    torch.Size([2, 3])
    """
    return torch.zeros(_shape_tuple("zeros", shape), dtype=torch_dtype(dtype), device=device())


@keras_op
def ones(shape, dtype=None):
    """A tensor of ones.

    Args:
        shape: Shape of the new tensor (an integer or a tuple of integers).
        dtype: Its dtype. Defaults to `floatx()`.

    Returns:
        The tensor.

    Example:

    >>> ops.ones(3, dtype="int32")
    tensor([1, 1, 1], dtype=torch.int32)
    """
    return torch.ones(_shape_tuple("ones", shape), dtype=torch_dtype(dtype), device=device())


@keras_op
def empty(shape, dtype=None):
    """A tensor of the given shape whose values are not initialized.

    Args:
        shape: Shape of the new tensor.
        dtype: Its dtype. Defaults to `floatx()`.

    Returns:
        The tensor.

    Example:

    >>> ops.empty((2, 2)).shape
    torch.Size([2, 2])
    """
    return torch.empty(_shape_tuple("empty", shape), dtype=torch_dtype(dtype), device=device())


def _like_dtype(x, dtype):
    return x.dtype if dtype is None else torch_dtype(dtype)


@keras_op
def zeros_like(x, dtype=None):
    """Zeros with the shape of `x` (and its dtype unless `dtype` is given).

    Example:

    >>> ops.zeros_like([1, 2])
    tensor([0, 0], dtype=torch.int32)
    """
    x = tensor(x)
    return torch.zeros_like(x, dtype=_like_dtype(x, dtype))


@keras_op
def ones_like(x, dtype=None):
    """Ones with the shape of `x` (and its dtype unless `dtype` is given).

    Example:

    >>> ops.ones_like([1.0, 2.0])
    tensor([1., 1.])
    """
    x = tensor(x)
    return torch.ones_like(x, dtype=_like_dtype(x, dtype))


@keras_op
def empty_like(x, dtype=None):
    """An uninitialized tensor with the shape of `x` (and its dtype unless `dtype` is given).

    Example:

    >>> ops.empty_like([1.0, 2.0]).shape
    torch.Size([2])
    """
    x = tensor(x)
    return torch.empty_like(x, dtype=_like_dtype(x, dtype))


@keras_op
def full(shape, fill_value, dtype=None):
    """A tensor filled with `fill_value`.

    Args:
        shape: Shape of the new tensor.
        fill_value: The value (a scalar, or a tensor broadcast along the leading dimensions).
        dtype: Its dtype. Defaults to `floatx()`.

    Returns:
        The tensor.

    Example:

    >>> ops.full((2,), 7, dtype="int32")
    tensor([7, 7], dtype=torch.int32)
    """
    td = torch_dtype(dtype)
    shape = _shape_tuple("full", shape)
    if isinstance(fill_value, (int, float, bool)):
        return torch.full(shape, fill_value, dtype=td, device=device())
    fill_value = tensor(fill_value, td)
    if fill_value.ndim:
        lead = len(shape) - fill_value.ndim
        return torch.tile(fill_value, shape[:lead] + (1,) * fill_value.ndim)
    # A tensor value broadcast, not `torch.full` (which reads the value: no meta tensors).
    return fill_value.expand(shape).contiguous()


@keras_op
def full_like(x, fill_value, dtype=None):
    """A tensor with the shape of `x` filled with `fill_value` (dtype: `dtype`, else `x`'s).

    Example:

    >>> ops.full_like([1, 2], 5)
    tensor([5, 5], dtype=torch.int32)
    """
    x = tensor(x)
    td = x.dtype if dtype is None else torch_dtype(dtype)
    if isinstance(fill_value, (int, float, bool)):
        return torch.full_like(x, fill_value, dtype=td)  # on x's device (meta when symbolic)
    return full(tuple(x.shape), tensor(fill_value, td).to(x.device), dtype=td)


@keras_op
def eye(N, M=None, k=0, dtype=None):
    """A 2-D tensor with ones on the `k`-th diagonal and zeros elsewhere.

    Args:
        N: Number of rows.
        M: Number of columns. Defaults to `N`.
        k: Index of the diagonal: 0 the main one, positive above, negative below.
        dtype: Its dtype. Defaults to `floatx()`.

    Returns:
        The tensor of shape `(N, M)`.

    Example:

    >>> ops.eye(2, dtype="int32")
    tensor([[1, 0],
            [0, 1]], dtype=torch.int32)
    """
    if isinstance(N, float) or getattr(N, "is_floating_point", lambda: False)():
        raise TypeError(f"`ops.eye`: `N` must be an integer. Received: N={N!r}")
    if isinstance(M, float) or getattr(M, "is_floating_point", lambda: False)():
        raise TypeError(f"`ops.eye`: `M` must be an integer or None. Received: M={M!r}")
    td = torch_dtype(dtype)
    N = int(N)
    M = N if M is None else int(M)
    k = 0 if k is None else int(k)
    if k == 0 and td != torch.bfloat16:
        return torch.eye(N, M, dtype=td, device=device())
    out = torch.ones((N, M), dtype=torch.float32, device=device()).triu(k).tril(k)
    return out.to(td)


@keras_op
def identity(n, dtype=None):
    """The `n x n` identity matrix (dtype defaults to `floatx()`).

    Example:

    >>> ops.identity(2)
    tensor([[1., 0.],
            [0., 1.]])
    """
    return eye(n, dtype=dtype)


@keras_op
def tri(N, M=None, k=0, dtype=None):
    """A `(N, M)` tensor with ones at and below the `k`-th diagonal, zeros above.

    Args:
        N: Number of rows.
        M: Number of columns. Defaults to `N` (as in Keras, also when `M=0`).
        k: The diagonal at and below which the tensor is filled.
        dtype: Its dtype. Defaults to `floatx()`.

    Example:

    >>> ops.tri(2)
    tensor([[1., 0.],
            [1., 1.]])
    """
    M = M or N
    return torch.ones((N, M), dtype=torch_dtype(dtype), device=device()).tril(k)


@keras_op
def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in `[start, stop)` (or `[0, start)` when `stop` is not given).

    Args:
        start: The first value (or the end, when `stop` is None).
        stop: The end (excluded).
        step: The spacing. Defaults to 1.
        dtype: The dtype. Defaults to the promotion of the arguments' types (int32 for Python
            ints, float32 when any is a float).

    Returns:
        A 1-D tensor.

    Example:

    >>> ops.arange(3)
    tensor([0, 1, 2], dtype=torch.int32)
    """
    if dtype is None:
        found = [_dtype_of_value(v) for v in (start, stop, step) if v is not None]
        dtype = dtypes.result_type(*found)
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    return torch.arange(start, stop, step, dtype=torch_dtype(dtype), device=device())


def _space_dtype(start, stop, dtype):
    if dtype is None:
        return torch_dtype(dtypes.result_type(_dtype_of_value(start), _dtype_of_value(stop),
                                              float))
    return torch_dtype(dtype)


def _check_axis0(op, axis):
    if axis != 0:
        raise ValueError(f"`ops.{op}`: only `axis=0` is supported on torch. Received: axis={axis}")


def _ramp(start, stop, num, td):
    """`start + i / (num - 1) * (stop - start)` for i < num, along a new leading axis."""
    start = tensor(start, td)
    stop = tensor(stop, td)
    steps = torch.arange(num, dtype=td, device=start.device) / (num - 1)
    steps = steps.reshape((num,) + (1,) * start.ndim)
    return start[None] + steps * (stop - start)[None]


@keras_op
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop`.

    Args:
        start: The first value (a scalar or an array).
        stop: The last value (included when `endpoint` is True).
        num: How many values. Defaults to 50.
        endpoint: Whether `stop` is the last value. Defaults to True.
        retstep: Also return the spacing. Defaults to False.
        dtype: The dtype. Defaults to the promotion of the inputs with float (float32).
        axis: Only 0 is supported on torch.

    Returns:
        The values; `(values, step)` when `retstep` is True.

    Example:

    >>> ops.linspace(0, 1, 3)
    tensor([0.0000, 0.5000, 1.0000])
    """
    _check_axis0("linspace", axis)
    td = _space_dtype(start, stop, dtype)
    step = torch.tensor(math.nan)
    if endpoint:
        if num > 1:
            step = (stop - start) / (num - 1)
    else:
        if num > 0:
            step = (stop - start) / num
        if num > 1:
            stop = stop - ((stop - start) / num)
    if hasattr(start, "__len__") and hasattr(stop, "__len__"):
        out = _ramp(start, stop, num, td)
    else:
        out = torch.linspace(start, stop, num, dtype=td, device=device())
    return (out, step) if retstep is True else out


@keras_op
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`num` values evenly spaced on a log scale, from `base**start` to `base**stop`.

    Args:
        start: The first exponent.
        stop: The last exponent (included when `endpoint` is True).
        num: How many values. Defaults to 50.
        endpoint: Whether `base**stop` is the last value. Defaults to True.
        base: The base. Defaults to 10.
        dtype: The dtype. Defaults to the promotion of the inputs with float (float32).
        axis: Only 0 is supported on torch.

    Example:

    >>> ops.logspace(0, 2, 3)
    tensor([  1.,  10., 100.])
    """
    _check_axis0("logspace", axis)
    td = _space_dtype(start, stop, dtype)
    if endpoint is False:
        stop = stop - ((stop - start) / num)
    if hasattr(start, "__len__") and hasattr(stop, "__len__"):
        return base ** _ramp(start, stop, num, td)
    compute = torch.float32 if td == torch.float16 and device().type == "cpu" else td
    out = torch.logspace(start, stop, num, base=base, dtype=compute, device=device())
    return out.to(td)


@keras_op
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` values evenly spaced on a log scale (a geometric progression) from `start` to `stop`.

    Example:

    >>> ops.geomspace(1, 100, 3)
    tensor([  1.,  10., 100.])
    """
    _check_axis0("geomspace", axis)
    td = _space_dtype(start, stop, dtype)
    start = tensor(start, td)
    stop = tensor(stop, td)
    out = logspace(torch.log10(torch.abs(start)), torch.log10(torch.abs(stop)), num=num,
                   endpoint=endpoint, base=10, dtype=td)
    return out * torch.sign(start)


@keras_op
def array(x, dtype=None):
    """`x` as a tensor (Python numbers take int32/float32/bool; arrays keep their dtype).

    Example:

    >>> ops.array([1, 2])
    tensor([1, 2], dtype=torch.int32)
    """
    return tensor(x, dtype)


@keras_op
def copy(x):
    """A copy of `x` (a new tensor, not a view).

    Example:

    >>> ops.copy([1.0, 2.0])
    tensor([1., 2.])
    """
    return torch.clone(tensor(x))


@keras_op
def view(x, dtype=None):
    """`x`'s memory reinterpreted as `dtype` (default `floatx()`); the last axis scales with
    the ratio of the item sizes.

    Example:

    >>> ops.view(ops.array([1.0]), "int32")
    tensor([1065353216], dtype=torch.int32)
    """
    return tensor(x).view(torch_dtype(dtype))


@keras_op
def ndim(x):
    """The number of dimensions of `x`, as a Python int.

    Example:

    >>> ops.ndim([[1, 2]])
    2
    """
    return tensor(x).ndim


@keras_op
def size(x):
    """The number of elements of `x`, as a 0-d int64 tensor (as Keras's torch backend returns).

    Example:

    >>> ops.size([[1, 2, 3]])
    tensor(3)
    """
    shape = x.shape if hasattr(x, "shape") else tensor(x).shape
    return torch.tensor(builtins.int(math.prod(shape)), dtype=torch.int64, device=device())


