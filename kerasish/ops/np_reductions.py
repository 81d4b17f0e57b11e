"""numpy-style reductions: sums, products, extrema, logic reductions, moments, cumulative ops and
their NaN-ignoring variants (re-exported by `np_math`).

`axis` is None (every axis), an int, or a tuple of ints; an empty tuple reduces nothing. Where
Keras's torch backend drops `keepdims` with `axis=None` (it returns a scalar), these ops keep the
reduced dimensions as numpy, Keras's other backends and Keras's own symbolic shapes do.
"""

import torch

from kerasish.ops._utils import INT_OR_BOOL, SMALL_INTS, Tensor, axis_arg, canonical_axes, cast
from kerasish.ops._utils import floatx, is_empty_axis, promote, torch_dtype
from kerasish.ops._utils import tensor as _t
from kerasish.ops.dispatch import keras_op


def _all_dims(x):
    return tuple(range(x.ndim))


def _stacked(x):
    # Keras stacks the converted elements of a list/tuple before reducing (`ops.sum([a, b])`).
    if isinstance(x, (list, tuple)):
        return torch.stack([_t(e) for e in x])
    return _t(x)


def _reduce(fn, x, axis, keepdims, **kw):
    """`fn(x, dim, keepdim)` with Keras's axis conventions (None: all axes)."""
    if axis is None:
        if keepdims and x.ndim:
            return fn(x, dim=_all_dims(x), keepdim=True, **kw)
        return fn(x, **kw)
    try:
        if type(axis) is int:
            return fn(x, dim=axis, keepdim=keepdims, **kw)
        return fn(x, dim=axis_arg(axis), keepdim=keepdims, **kw)
    except IndexError as e:
        raise _axis_error(x, axis) from e


def _axis_error(x, axis):
    return ValueError(
        f"`axis` is out of bounds for a tensor of rank {x.ndim} (valid axes: {-x.ndim} to "
        f"{x.ndim - 1}). Received: axis={axis}"
    )


@keras_op
def sum(x, axis=None, keepdims=False):  # noqa: A001 (Keras's name)
    """Sum of elements over `axis`.

    Bool and 8/16-bit integer inputs are summed in int32; int32 stays int32.

    Args:
        x: Input tensor.
        axis: Axis or axes to sum over (default: all).
        keepdims: Whether to keep the reduced axes with size 1.

    Returns:
        The sum.

    Example:

    >>> ops.sum(ops.convert_to_tensor([[1, 2], [3, 4]]), axis=0)  # [4, 6]
    tensor([4, 6], dtype=torch.int32)
    """
    if isinstance(x, Tensor):
        if x.dtype.is_floating_point:
            if axis is None and not keepdims:
                return torch.sum(x)
            if type(axis) is int and -x.ndim <= axis < x.ndim:
                return torch.sum(x, axis, keepdims)
        elif axis is None and not keepdims and (x.dtype in SMALL_INTS or x.dtype == torch.int32):
            return torch.sum(x, dtype=torch.int32)
    x = _stacked(x)
    if is_empty_axis(axis):
        return x
    if x.dtype in SMALL_INTS or x.dtype == torch.int32:
        # torch would sum these in int64; int32 accumulation wraps the same way after the cast.
        return _reduce(torch.sum, x, axis, keepdims, dtype=torch.int32)
    return _reduce(torch.sum, x, axis, keepdims)


@keras_op
def mean(x, axis=None, keepdims=False):
    """Arithmetic mean over `axis` (integer and bool inputs give float32).

    Example:

    >>> ops.mean(ops.convert_to_tensor([1, 2, 4]))  # 2.3333333 (float32)
    tensor(2.3333)
    """
    if isinstance(x, Tensor) and x.dtype == torch.float32:
        if axis is None and not keepdims:
            return torch.mean(x)
        if type(axis) is int and -x.ndim <= axis < x.ndim:
            return torch.mean(x, axis, keepdims)
    x = _stacked(x)
    if is_empty_axis(axis):
        return x
    if x.dtype == torch.float32:
        return _reduce(torch.mean, x, axis, keepdims)
    compute = promote(x.dtype, torch.float32)
    out_dtype = compute if x.dtype in INT_OR_BOOL else x.dtype
    return cast(_reduce(torch.mean, cast(x, compute), axis, keepdims), out_dtype)


def _extremum(name, x, axis, keepdims, initial, fn, combine):
    x = _t(x)
    if initial is None and type(axis) is int and x.numel() and -x.ndim <= axis < x.ndim:
        return fn(x, axis, keepdims)
    if is_empty_axis(axis) and initial is None:
        return x
    if 0 in x.shape:
        if initial is None:
            raise ValueError(
                f"`ops.{name}` of an empty tensor needs `initial`. "
                f"Received: x.shape={tuple(x.shape)}"
            )
        shape = (1,) * x.ndim if keepdims else ()
        return torch.full(shape, initial, device=x.device)
    out = _reduce(fn, x, axis, keepdims)
    if initial is not None:
        out = combine(out, torch.full(out.shape, initial, dtype=out.dtype, device=out.device))
    return out


@keras_op
def max(x, axis=None, keepdims=False, initial=None):  # noqa: A001 (Keras's name)
    """Maximum over `axis`; `initial` is a lower bound of the result (needed for empty inputs).

    Example:

    >>> ops.max(ops.convert_to_tensor([[1, 5], [3, 2]]), axis=1)  # [5, 3]
    tensor([5, 3], dtype=torch.int32)
    """
    if initial is None and type(axis) is int and isinstance(x, Tensor) and x.numel() \
            and -x.ndim <= axis < x.ndim:
        return torch.amax(x, axis, keepdims)
    return _extremum("max", x, axis, keepdims, initial, torch.amax, torch.maximum)


@keras_op
def min(x, axis=None, keepdims=False, initial=None):  # noqa: A001 (Keras's name)
    """Minimum over `axis`; `initial` is an upper bound of the result (needed for empty inputs).

    Example:

    >>> x = ops.convert_to_tensor([[3.0, 1.0], [2.0, 5.0]])
    >>> ops.min(x)
    tensor(1.)
    >>> ops.min(x, axis=0)
    tensor([2., 1.])
    >>> ops.min(ops.convert_to_tensor([], dtype="float32"), initial=10.0)
    tensor(10.)
    """
    if initial is None and type(axis) is int and isinstance(x, Tensor) and x.numel() \
            and -x.ndim <= axis < x.ndim:
        return torch.amin(x, axis, keepdims)
    return _extremum("min", x, axis, keepdims, initial, torch.amin, torch.minimum)


@keras_op
def amax(x, axis=None, keepdims=False):
    """Maximum over `axis` (same as `max` without `initial`).

    Example:

    >>> ops.amax(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    tensor([3., 4.])
    """
    x = _t(x)
    return x if is_empty_axis(axis) else _reduce(torch.amax, x, axis, keepdims)


@keras_op
def amin(x, axis=None, keepdims=False):
    """Minimum over `axis` (same as `min` without `initial`).

    Example:

    >>> ops.amin(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    tensor([1., 2.])
    """
    x = _t(x)
    return x if is_empty_axis(axis) else _reduce(torch.amin, x, axis, keepdims)


def _logic(fn, x, axis, keepdims):
    x = _t(x)
    if is_empty_axis(axis):
        return cast(x, torch.bool)
    return cast(_reduce(fn, x, axis, keepdims), torch.bool)


@keras_op
def all(x, axis=None, keepdims=False):  # noqa: A001 (Keras's name)
    """Whether every element over `axis` is true (non-zero); a bool tensor.

    Example:

    >>> x = ops.convert_to_tensor([[True, False], [True, True]])
    >>> ops.all(x)
    tensor(False)
    >>> ops.all(x, axis=1)
    tensor([False,  True])
    """
    return _logic(torch.all, x, axis, keepdims)


@keras_op
def any(x, axis=None, keepdims=False):  # noqa: A001 (Keras's name)
    """Whether some element over `axis` is true (non-zero); a bool tensor.

    Example:

    >>> ops.any(ops.convert_to_tensor([[0, 1], [0, 0]]), axis=1)
    tensor([ True, False])
    """
    return _logic(torch.any, x, axis, keepdims)


def _arg(fn, x, axis, keepdims):
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is not None and not isinstance(axis, int):
        raise TypeError(f"`axis` must be None or an int. Received: axis={axis!r}")
    try:
        return fn(x, dim=axis, keepdim=keepdims).to(torch.int32)
    except IndexError as e:
        raise _axis_error(x, axis) from e


@keras_op
def argmax(x, axis=None, keepdims=False):
    """Indices (int32) of the maxima along `axis` (of the flattened tensor when None).

    Example:

    >>> ops.argmax(ops.convert_to_tensor([[1, 5], [3, 2]]), axis=1)  # [1, 0]
    tensor([1, 0], dtype=torch.int32)
    """
    return _arg(torch.argmax, x, axis, keepdims)


@keras_op
def argmin(x, axis=None, keepdims=False):
    """Indices (int32) of the minima along `axis` (of the flattened tensor when None).

    Example:

    >>> ops.argmin(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    tensor([0, 0], dtype=torch.int32)
    """
    return _arg(torch.argmin, x, axis, keepdims)


def _nanarg(fn, fill, x, axis, keepdims):
    x = _t(x)
    if not x.is_floating_point():
        return _arg(fn, x, axis, keepdims)
    nan = torch.isnan(x)
    best = _arg(fn, torch.where(nan, fill, x), axis, keepdims)
    all_nan = _reduce(torch.all, nan, axis, keepdims).reshape(best.shape)
    return torch.where(all_nan, torch.tensor(-1, dtype=torch.int32, device=x.device), best)


@keras_op
def nanargmax(x, axis=None, keepdims=False):
    """`argmax` ignoring NaNs (-1 where every value is NaN).

    Example:

    >>> ops.nanargmax(ops.convert_to_tensor([1.0, float('nan'), 3.0]))
    tensor(2, dtype=torch.int32)
    """
    return _nanarg(torch.argmax, float("-inf"), x, axis, keepdims)


@keras_op
def nanargmin(x, axis=None, keepdims=False):
    """`argmin` ignoring NaNs (-1 where every value is NaN).

    Example:

    >>> ops.nanargmin(ops.convert_to_tensor([1.0, float('nan'), 3.0]))
    tensor(0, dtype=torch.int32)
    """
    return _nanarg(torch.argmin, float("inf"), x, axis, keepdims)


def _prod_dtypes(x, dtype):
    if dtype is not None:
        out = torch_dtype(dtype)
    else:
        out = promote(x.dtype)
        if out in SMALL_INTS:
            out = torch.int32
    compute = torch.float32 if out == torch.float16 and x.device.type == "cpu" else out
    return out, compute


@keras_op
def prod(x, axis=None, keepdims=False, dtype=None):
    """Product of elements over `axis`, in `dtype` (default: bool and small ints give int32).

    Example:

    >>> ops.prod(ops.convert_to_tensor([[1, 2], [3, 4]]), axis=0)  # [3, 8]
    tensor([3, 8], dtype=torch.int32)
    """
    x = _t(x)
    out, compute = _prod_dtypes(x, dtype)
    if axis is None:
        result = torch.prod(x, dtype=compute)
        return cast(result.reshape((1,) * x.ndim) if keepdims else result, out)
    for a in sorted(canonical_axes(axis_arg(axis), x.ndim, "prod"), reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims, dtype=compute)
    return cast(x, out)


@keras_op
def std(x, axis=None, keepdims=False):
    """Population standard deviation over `axis` (integer and bool inputs give float32).

    Example:

    >>> ops.std(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    tensor([1., 1.])
    """
    x = _t(x)
    if x.dtype in INT_OR_BOOL:
        x = x.to(torch.float32)
    return _reduce(torch.std, x, axis, keepdims, correction=0)


@keras_op
def var(x, axis=None, keepdims=False):
    """Population variance over `axis` (integer and bool inputs give float32).

    Example:

    >>> ops.var(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    tensor([1., 1.])
    """
    x = _t(x)
    if x.dtype == torch.float32 and axis is None and not keepdims:
        return torch.var(x, correction=0)
    compute, out = promote(x.dtype, torch.float32), promote(x.dtype, float)
    if is_empty_axis(axis):
        return torch.zeros_like(x, dtype=out)
    return cast(_reduce(torch.var, cast(x, compute), axis, keepdims, correction=0), out)


@keras_op
def ptp(x, axis=None, keepdims=False):
    """Range (`max - min`) of values over `axis`.

    Example:

    >>> ops.ptp(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    tensor([2., 2.])
    """
    x = _t(x)
    if is_empty_axis(axis):
        return torch.zeros_like(x)
    return _reduce(torch.amax, x, axis, keepdims) - _reduce(torch.amin, x, axis, keepdims)


@keras_op
def count_nonzero(x, axis=None):
    """Number of non-zero values over `axis` (int32).

    Example:

    >>> ops.count_nonzero(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    tensor([2, 2], dtype=torch.int32)
    """
    x = _t(x)
    if is_empty_axis(axis):
        return torch.ne(x, 0).to(torch.int32)
    try:
        return torch.count_nonzero(x, dim=axis_arg(axis)).to(torch.int32)
    except IndexError as e:
        raise _axis_error(x, axis) from e


def _cumulative(fn, x, axis, dtype):
    x = _t(x)
    if axis is None:
        x, axis = x.flatten(), 0
    elif not isinstance(axis, int) or not -(x.ndim or 1) <= axis < (x.ndim or 1):
        raise _axis_error(x, axis)
    out = promote(torch_dtype(dtype) if dtype is not None else x.dtype)
    if out == torch.bool:
        out = torch.int32
    elif out == torch.float16 and x.device.type == "cpu":
        return fn(x, dim=axis, dtype=torch.float32).to(torch.float16)
    if out == x.dtype and out.is_floating_point:  # (torch would widen integers to int64)
        return fn(x, dim=axis)
    return fn(x, dim=axis, dtype=out)


@keras_op
def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis` (of the flattened tensor when None), in `dtype`.

    Example:

    >>> ops.cumsum(ops.convert_to_tensor([1, 2, 3]))  # [1, 3, 6]
    tensor([1, 3, 6], dtype=torch.int32)
    """
    return _cumulative(torch.cumsum, x, axis, dtype)


@keras_op
def cumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis` (of the flattened tensor when None), in `dtype`.

    Example:

    >>> ops.cumprod(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    tensor([[1., 2.],
            [3., 8.]])
    """
    return _cumulative(torch.cumprod, x, axis, dtype)


def _nan_as(x, value):
    return torch.where(torch.isnan(x), value, x) if x.is_floating_point() else x


@keras_op
def nancumsum(x, axis=None, dtype=None):
    """`cumsum` counting NaNs as zero.

    Example:

    >>> ops.nancumsum(ops.convert_to_tensor([1.0, float('nan'), 3.0]))
    tensor([1., 1., 4.])
    """
    return _cumulative(torch.cumsum, _nan_as(_t(x), 0.0), axis, dtype)


@keras_op
def nancumprod(x, axis=None, dtype=None):
    """`cumprod` counting NaNs as one.

    Example:

    >>> ops.nancumprod(ops.convert_to_tensor([1.0, float('nan'), 3.0]))
    tensor([1., 1., 3.])
    """
    return _cumulative(torch.cumprod, _nan_as(_t(x), 1.0), axis, dtype)


def _nanextremum(fn, fill, x, axis, keepdims):
    x = _t(x)
    if not x.is_floating_point():
        return _reduce(fn, x, axis, keepdims)
    if is_empty_axis(axis):
        return x
    nan = torch.isnan(x)
    out = _reduce(fn, torch.where(nan, fill, x), axis, keepdims)
    return torch.where(_reduce(torch.all, nan, axis, keepdims), float("nan"), out)


@keras_op
def nanmax(x, axis=None, keepdims=False):
    """`max` ignoring NaNs (NaN where every value is NaN).

    Example:

    >>> ops.nanmax(ops.convert_to_tensor([1.0, float('nan'), 3.0]))
    tensor(3.)
    """
    return _nanextremum(torch.amax, float("-inf"), x, axis, keepdims)


@keras_op
def nanmin(x, axis=None, keepdims=False):
    """`min` ignoring NaNs (NaN where every value is NaN).

    Example:

    >>> ops.nanmin(ops.convert_to_tensor([1.0, float('nan'), 3.0]))
    tensor(1.)
    """
    return _nanextremum(torch.amin, float("inf"), x, axis, keepdims)


@keras_op
def nanmean(x, axis=None, keepdims=False):
    """`mean` ignoring NaNs (integer inputs give float32).

    Example:

    >>> ops.nanmean(ops.convert_to_tensor([1.0, float('nan'), 3.0]))
    tensor(2.)
    """
    x = _t(x)
    if is_empty_axis(axis):
        return x
    return _reduce(torch.nanmean, cast(x, promote(x.dtype, float)), axis, keepdims)


@keras_op
def nansum(x, axis=None, keepdims=False):
    """`sum` counting NaNs as zero (bool and small ints give int32).

    Example:

    >>> ops.nansum(ops.convert_to_tensor([1.0, float('nan'), 3.0]))
    tensor(4.)
    """
    x = _stacked(x)
    dtype = torch.int32 if x.dtype in SMALL_INTS else x.dtype
    if is_empty_axis(axis):
        return cast(torch.nan_to_num(x, nan=0), dtype)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return cast(_reduce(torch.nansum, x, axis, keepdims), dtype)


@keras_op
def nanprod(x, axis=None, keepdims=False):
    """`prod` counting NaNs as one.

    Example:

    >>> ops.nanprod(ops.convert_to_tensor([1.0, float('nan'), 3.0]))
    tensor(3.)
    """
    x = _t(x)
    if is_empty_axis(axis):
        return torch.nan_to_num(x, nan=1)
    return prod(_nan_as(x, 1.0), axis=axis, keepdims=keepdims)


@keras_op
def nanvar(x, axis=None, keepdims=False):
    """`var` ignoring NaNs (integer inputs give float32).

    Example:

    >>> ops.nanvar(ops.convert_to_tensor([1.0, float('nan'), 3.0]))
    tensor(1.)
    """
    x = _t(x)
    x = cast(x, promote(x.dtype, float))
    if is_empty_axis(axis):
        return torch.where(torch.isnan(x), x, torch.zeros((), dtype=x.dtype, device=x.device))
    valid = ~torch.isnan(x)
    centered = torch.where(valid, x - nanmean(x, axis=axis, keepdims=True), 0)
    if centered.is_complex():
        centered = centered.real.square() + centered.imag.square()
    else:
        centered = centered.square()
    count = _reduce(torch.sum, valid, axis, keepdims)
    return _reduce(torch.sum, centered, axis, keepdims) / count


@keras_op
def nanstd(x, axis=None, keepdims=False):
    """`std` ignoring NaNs (integer inputs give float32).

    Example:

    >>> ops.nanstd(ops.convert_to_tensor([1.0, float('nan'), 3.0]))
    tensor(1.)
    """
    return torch.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


__all__ = sorted([
    "sum", "mean", "max", "min", "amax", "amin", "all", "any", "argmax", "argmin", "nanargmax",
    "nanargmin", "prod", "std", "var", "ptp", "count_nonzero", "cumsum", "cumprod", "nancumsum",
    "nancumprod", "nanmax", "nanmin", "nanmean", "nansum", "nanprod", "nanvar", "nanstd",
])
