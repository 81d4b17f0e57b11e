"""numpy-style statistics: weighted average, median, quantiles/percentiles (and their NaN-ignoring
variants), correlation coefficients and the window functions (re-exported by `np_math`)."""

import math

import torch

from kerasish.ops._utils import Tensor, axis_arg, canonical_axes, cast, floatx, is_empty_axis
from kerasish.ops._utils import pair, promote
from kerasish.ops._utils import tensor as _t
from kerasish.ops.convert import to_tensor
from kerasish.ops.dispatch import keras_op

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


@keras_op
def average(x, axis=None, weights=None):
    """Weighted average over `axis` (integer inputs give floats).

    Args:
        x: Input tensor.
        axis: The axis to average over (default: all).
        weights: Optional weights: the shape of `x`, or 1-D of the length of `x` along `axis`.

    Returns:
        The (weighted) average.

    Example:

    >>> ops.average(ops.convert_to_tensor([1.0, 2.0, 4.0]), weights=[1.0, 1.0, 2.0])  # 2.75
    tensor(2.7500)
    """
    x = _t(x)
    if weights is None:
        x = cast(x, promote(x.dtype, float))
        if is_empty_axis(axis):
            return x
        return torch.mean(x) if axis is None else torch.mean(x, dim=axis_arg(axis))
    x, weights = pair(x, weights)
    dtype = promote(x.dtype, float, weights.dtype)
    x, weights = cast(x, dtype), cast(weights, dtype)
    if is_empty_axis(axis):
        return x
    if axis is not None and weights.ndim == 1 and x.ndim > 1:
        # numpy's rule: 1-D weights run along `axis`.
        (a,) = canonical_axes(axis_arg(axis), x.ndim, "average")
        if weights.shape[0] != x.shape[a]:
            raise ValueError(
                f"`ops.average`: 1-D weights must have the length of `x` along `axis` "
                f"({x.shape[a]}). Received: weights.shape={tuple(weights.shape)}"
            )
        weights = weights.reshape([-1 if i == a else 1 for i in range(x.ndim)])
        weights = weights.expand(x.shape)
    elif weights.shape != x.shape and not (axis is None and weights.ndim == 1 and x.ndim == 1):
        raise ValueError(
            "`ops.average`: `weights` must have the shape of `x`, or be 1-D along `axis`. "
            f"Received: weights.shape={tuple(weights.shape)} for x.shape={tuple(x.shape)}"
        )
    dim = None if axis is None else axis_arg(axis)
    if dim is None:
        return torch.sum(x * weights) / torch.sum(weights)
    return torch.sum(x * weights, dim=dim) / torch.sum(weights, dim=dim)


def _quantile(fn, name, x, q, axis, method, keepdims):
    if method not in _METHODS:
        raise ValueError(
            f"`ops.{name}`: `method` must be one of {_METHODS}. Received: method={method!r}"
        )
    x, q = _t(x), _t(q)
    axis = axis_arg(axis)
    compute, out = promote(x.dtype, torch.float32), promote(x.dtype, float)
    x = cast(x, compute)
    q = q.to(device=x.device, dtype=x.dtype)
    if axis is None:
        y = x.reshape(-1)
    else:
        axis = canonical_axes(axis, x.ndim, name)
        rest = [i for i in range(x.ndim) if i not in axis]
        kept = [x.shape[i] for i in rest]
        y = x.permute(rest + list(axis)).reshape(kept + [math.prod(x.shape[i] for i in axis)])
    y = fn(y, q, dim=-1, interpolation=method)
    if keepdims:
        dims = range(x.ndim) if axis is None else sorted(axis)
        for i in dims:
            y = y.unsqueeze(-1 if axis is None else (i + 1 if q.ndim > 0 else i))
    return cast(y, out)


@keras_op
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles (`q` in [0, 1], a number or 1-D) of `x` over `axis`.

    Args:
        x: Input tensor.
        q: Quantile(s) in [0, 1].
        axis: Axis or axes (default: all).
        method: "linear", "lower", "higher", "midpoint" or "nearest".
        keepdims: Whether to keep the reduced axes with size 1.

    Returns:
        The quantiles; with a 1-D `q`, the first axis runs over `q`.

    Example:

    >>> ops.quantile(ops.convert_to_tensor([1.0, 2.0, 3.0, 4.0]), 0.5)  # 2.5
    tensor(2.5000)
    """
    return _quantile(torch.quantile, "quantile", x, q, axis, method, keepdims)


@keras_op
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """`quantile` ignoring NaNs.

    Example:

    >>> ops.nanquantile(ops.convert_to_tensor([1.0, float('nan'), 3.0]), 0.5)
    tensor(2.)
    """
    return _quantile(torch.nanquantile, "nanquantile", x, q, axis, method, keepdims)


def _percent(q):
    return to_tensor(q, floatx()) / 100.0


@keras_op
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles (`q` in [0, 100]) of `x` over `axis` (see `quantile`).

    Example:

    >>> ops.percentile(ops.convert_to_tensor([1.0, 2.0, 3.0, 4.0]), 50)
    tensor(2.5000)
    """
    return _quantile(torch.quantile, "percentile", x, _percent(q), axis, method, keepdims)


@keras_op
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """`percentile` ignoring NaNs.

    Example:

    >>> ops.nanpercentile(ops.convert_to_tensor([1.0, float('nan'), 3.0]), 50)
    tensor(2.)
    """
    return _quantile(torch.nanquantile, "nanpercentile", x, _percent(q), axis, method, keepdims)


@keras_op
def median(x, axis=None, keepdims=False):
    """Median over `axis` (the mean of the two middle values for even counts; a float).

    Example:

    >>> ops.median(ops.convert_to_tensor([1, 3, 2, 4]))  # 2.5
    tensor(2.5000)
    """
    return _quantile(torch.quantile, "median", x, 0.5, axis, "linear", keepdims)


@keras_op
def nanmedian(x, axis=None, keepdims=False):
    """`median` ignoring NaNs.

    Example:

    >>> ops.nanmedian(ops.convert_to_tensor([1.0, float('nan'), 3.0]))
    tensor(2.)
    """
    x = _t(x)
    if is_empty_axis(axis):
        return x
    return _quantile(torch.nanquantile, "nanmedian", x, 0.5, axis, "linear", keepdims)


@keras_op
def corrcoef(x):
    """Pearson correlation coefficients of the rows of `x` (variables in rows).

    Example:

    >>> ops.corrcoef(ops.convert_to_tensor([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]))
    tensor([[ 1., -1.],
            [-1.,  1.]])
    """
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(floatx())
    elif x.dtype == torch.int64:
        x = x.to(torch.float64)
    if x.device.type == "meta":  # torch.corrcoef has no meta kernel; shapes for symbolic calls
        n = x.shape[0] if x.ndim == 2 else None
        dtype = x.dtype if x.is_floating_point() or x.is_complex() else torch.float32
        return torch.empty((n, n) if n is not None else (), dtype=dtype, device=x.device)
    return torch.corrcoef(x)


# ------------------------------------------------------------------ windows
def _length(name, x):
    if isinstance(x, Tensor):
        if x.ndim or x.is_floating_point() or x.is_complex():
            raise TypeError(f"`ops.{name}`: `x` must be an integer window length. Received: x={x}")
        return int(x)
    if isinstance(x, bool) or not isinstance(x, int):
        raise TypeError(f"`ops.{name}`: `x` must be an integer window length. Received: x={x!r}")
    return x


# Each window's docstring example: `ops.<name>(5)` (run by tests/docs).
_WINDOW_EXAMPLES = {
    "bartlett": "tensor([0.0000, 0.5000, 1.0000, 0.5000, 0.0000])",
    "blackman": "tensor([-1.4901e-08,  3.4000e-01,  1.0000e+00,  3.4000e-01, -1.4901e-08])",
    "hamming": "tensor([0.0800, 0.5400, 1.0000, 0.5400, 0.0800])",
    "hanning": "tensor([0.0000, 0.5000, 1.0000, 0.5000, 0.0000])",
}


def _window(name, torch_fn, what):
    def op(x):
        return torch_fn(_length(name, x))
    op.__name__ = op.__qualname__ = name
    op.__module__ = __name__
    op.__doc__ = (f"The {what} window of `x` points (float32), as numpy's `{name}`.\n\nArgs:\n"
                  f"    x: The number of points.\n\nReturns:\n    A 1-D tensor.\n\nExample:\n\n"
                  f">>> ops.{name}(5)\n{_WINDOW_EXAMPLES[name]}\n")
    return keras_op(op, name=name)


bartlett = _window("bartlett", torch.signal.windows.bartlett, "Bartlett (triangular)")
blackman = _window("blackman", torch.signal.windows.blackman, "Blackman")
hamming = _window("hamming", torch.signal.windows.hamming, "Hamming")
hanning = _window("hanning", torch.signal.windows.hann, "Hann")


@keras_op
def kaiser(x, beta):
    """The Kaiser window of `x` points with shape parameter `beta` (float32).

    Example:

    >>> ops.kaiser(5, beta=14.0)
    tensor([7.7269e-06, 1.6493e-01, 1.0000e+00, 1.6493e-01, 7.7269e-06])
    """
    return torch.signal.windows.kaiser(_length("kaiser", x), beta=float(beta))


__all__ = sorted([
    "average", "quantile", "nanquantile", "percentile", "nanpercentile", "median", "nanmedian",
    "corrcoef", "bartlett", "blackman", "hamming", "hanning", "kaiser",
])
