"""Indexing, sorting, searching and counting (part of `np_arrays`; import from `kerasish.ops`)."""

import numpy as np
import torch

from kerasish.backend import dtypes
from kerasish.ops._np_arrays_util import Tensor, canonicalize_axis, tensor, tensors
from kerasish.ops.dispatch import fast_path, keras_op
from kerasish.ops.np_unique import unique  # noqa: F401  (listed in this part's __all__)
from kerasish.ops.np_vectorize import vectorize  # noqa: F401

__all__ = [
    "argpartition", "argsort", "bincount", "digitize", "get_item", "histogram", "isin",
    "nonzero", "searchsorted", "select", "sort", "take", "take_along_axis", "unique",
    "unravel_index", "vectorize", "where",
]

_LONG = torch.long
_NUMBERS = (int, float)


@keras_op
def where(condition, x1=None, x2=None):
    """Elements of `x1` where `condition` holds, else of `x2`; with `condition` alone, the
    indices of its non-zero elements (a `(ndim, count)` int64 tensor, as on Keras's torch
    backend).

    Args:
        condition: The condition (cast to bool).
        x1: Values where it holds.
        x2: Values where it does not.

    Example:

    >>> ops.where([True, False], 1, 0)
    tensor([1, 0], dtype=torch.int32)
    """
    if (x1 is None) != (x2 is None):
        raise ValueError(
            "`ops.where`: `x1` and `x2` must both be given or both be None. "
            f"Received: x1={x1!r}, x2={x2!r}"
        )
    if type(condition) is not Tensor or condition.dtype is not torch.bool:
        condition = tensor(condition, "bool")
    if x1 is None:
        return torch.stack(torch.where(condition), dim=0)
    if type(x1) is not Tensor or type(x2) is not Tensor:
        # A Python number next to a float tensor gives torch's where the dtype Keras's 0-d
        # tensor would (the tensor's), without making that tensor.
        if not ((type(x1) is Tensor and type(x2) in _NUMBERS and x1.is_floating_point())
                or (type(x2) is Tensor and type(x1) in _NUMBERS and x2.is_floating_point())):
            condition, x1, x2 = tensors(condition, x1, x2)
    return torch.where(condition, x1, x2)


@keras_op
def select(condlist, choicelist, default=0):
    """For each element, the value of the first choice whose condition holds (else `default`).

    Args:
        condlist: A list of boolean tensors.
        choicelist: A list of tensors, one per condition.
        default: The value where no condition holds. Defaults to 0.

    Example:

    >>> x = ops.arange(4)
    >>> ops.select([x < 1, x > 2], [x, -x], default=9)
    tensor([ 0,  9,  9, -3], dtype=torch.int32)
    """
    if not isinstance(condlist, (list, tuple)) or not isinstance(choicelist, (list, tuple)):
        raise ValueError(
            "`ops.select`: `condlist` and `choicelist` must be lists. "
            f"Received: condlist={type(condlist).__name__}, choicelist={type(choicelist).__name__}"
        )
    if not condlist or not choicelist:
        raise ValueError(
            "`ops.select`: `condlist` and `choicelist` must not be empty. "
            f"Received: condlist={condlist!r}, choicelist={choicelist!r}"
        )
    converted = tensors(*condlist, *choicelist, default)
    conds, choices = converted[:len(condlist)], converted[len(condlist):-1]
    out = converted[-1]
    for c, v in reversed(list(zip(conds, choices))):
        out = torch.where(c, v, out)
    return out


@keras_op(name="take")
def _take(x, indices, axis=None):
    """Elements of `x` at `indices` along `axis` (of the flattened `x` when None).

    Args:
        x: Input tensor.
        indices: Integer indices (negative ones count from the end).
        axis: The axis. Defaults to None.

    Returns:
        A tensor of shape `x.shape[:axis] + indices.shape + x.shape[axis + 1:]`.

    Example:

    >>> ops.take([[1, 2], [3, 4]], [1, -1], axis=1)
    tensor([[2, 2],
            [4, 4]], dtype=torch.int32)
    """
    if type(x) is not Tensor or type(indices) is not Tensor:
        x, indices = tensors(x, indices)
    if indices.dtype is not _LONG and indices.dtype is not torch.int32:
        indices = indices.long()
    if axis is None:
        # As on Keras's torch backend, axis=None wraps negative indices by x.shape[0].
        wrap, x, axis = x.shape[0], x.reshape(-1), 0
    else:
        if type(axis) is not int or not 0 <= axis < x.ndim:
            axis = canonicalize_axis("take", axis, x.ndim)
        wrap = x.shape[axis]
    if x.is_cpu:
        # The CPU kernels check bounds: gather first, wrap negative indices only if one failed.
        try:
            return _gather(x, indices, axis)
        except (IndexError, RuntimeError):
            pass
    # Keras's torch backend wraps negative indices once ("fill" mode of JAX).
    return _gather(x, torch.where(indices < 0, indices + wrap, indices), axis)


@fast_path(_take)
def take(x, indices, axis=None):
    # The common call: a 1-D index tensor along an axis of a CPU tensor (CPU kernels check bounds;
    # a negative or out-of-range index raises, and the dispatched op handles it and the rest).
    if (type(x) is Tensor and type(indices) is Tensor and type(axis) is int and indices.ndim == 1
            and x.is_cpu and 0 <= axis < x.ndim
            and (indices.dtype is _LONG or indices.dtype is torch.int32)):
        try:
            return torch.index_select(x, axis, indices)
        except (IndexError, RuntimeError):
            pass
    return _take(x, indices, axis)


def _gather(x, indices, axis):
    if indices.ndim == 1:
        return torch.index_select(x, axis, indices)
    out = torch.index_select(x, axis, indices.reshape(-1))
    return out.reshape(x.shape[:axis] + indices.shape + x.shape[axis + 1:])


@keras_op
def take_along_axis(x, indices, axis=None):
    """Elements of `x` at `indices` matched along `axis` (as `np.take_along_axis`).

    Example:

    >>> ops.take_along_axis([[3, 1], [2, 4]], [[1], [0]], axis=1)
    tensor([[1],
            [2]], dtype=torch.int32)
    """
    x, indices = tensors(x, indices)
    indices = indices.long()
    dim = x.shape[0 if axis is None else axis]
    indices = torch.where(indices < 0, indices + dim, indices)  # as Keras: wrap once
    return torch.take_along_dim(x, indices, dim=axis)


@keras_op
def get_item(x, key):
    """`x[key]`: ints, slices, None, Ellipsis, integer or boolean tensors (or tuples of these).

    Example:

    >>> ops.get_item(ops.arange(6).reshape(2, 3), (slice(None), -1))
    tensor([2, 5], dtype=torch.int32)
    """
    x = tensor(x)
    if type(key) is tuple:
        key = tuple(_index_key(k) for k in key)
    else:
        key = _index_key(key)
    return x[key]


def _index_key(k):
    if isinstance(k, np.ndarray):
        k = torch.from_numpy(k)
    if isinstance(k, Tensor) and k.dtype not in (_LONG, torch.bool) and not k.is_floating_point():
        return k.long()
    return k


@keras_op
def sort(x, axis=-1):
    """`x` sorted along `axis` (the flattened `x` when None).

    Example:

    >>> ops.sort([3, 1, 2])
    tensor([1, 2, 3], dtype=torch.int32)
    """
    x = tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    if x.dtype is torch.bool and x.device.type == "cuda":
        return torch.sort(x.to(torch.uint8), dim=axis).values.bool()
    return torch.sort(x, dim=axis).values


@keras_op
def argsort(x, axis=-1):
    """The int32 indices that sort `x` along `axis` (stable; the flattened `x` when None).

    Example:

    >>> ops.argsort([3, 1, 2])
    tensor([1, 2, 0], dtype=torch.int32)
    """
    x = tensor(x)
    if x.dtype is torch.bool:
        x = x.to(torch.uint8)
    if axis is None:
        x, axis = x.reshape(-1), -1
    return torch.argsort(x, dim=axis, stable=True).int()


@keras_op
def argpartition(x, kth, axis=-1):
    """int32 indices that partition `x` along `axis`: the element at position `kth` is where
    sorting would put it, smaller ones before, larger ones after. As on Keras's torch backend,
    `x` is compared as int32.

    Example:

    >>> ops.argpartition([3, 4, 2, 1], 2)[2]
    tensor(0, dtype=torch.int32)
    """
    x = tensor(x, "int32")
    if axis is None:
        x, axis = x.reshape(-1), -1
    x = torch.transpose(x, axis, -1)
    n = x.shape[-1]
    bottom = torch.topk(-x, kth + 1).indices
    rest = torch.ones_like(x, dtype=torch.int32).scatter(-1, bottom, 0)
    top = torch.topk(rest, n - kth - 1).indices
    out = torch.cat([bottom, top], dim=-1)
    return torch.transpose(out, -1, axis).int()


@keras_op
def searchsorted(sorted_sequence, values, side="left"):
    """Indices where `values` would be inserted into the 1-D `sorted_sequence` to keep it
    sorted (int32).

    Args:
        sorted_sequence: A sorted 1-D tensor.
        values: Values to insert.
        side: `"left"` (first suitable index) or `"right"` (last).

    Example:

    >>> ops.searchsorted([1, 3, 5], [3, 6])
    tensor([1, 3], dtype=torch.int32)
    """
    sorted_sequence, values = tensors(sorted_sequence, values)
    if sorted_sequence.ndim != 1:
        raise ValueError(
            "`ops.searchsorted` only supports 1-D sorted sequences (use "
            "`ops.vectorized_map` for N-D). "
            f"Received: sorted_sequence.shape={tuple(sorted_sequence.shape)}"
        )
    if side not in ("left", "right"):
        raise ValueError(
            f"`ops.searchsorted`: `side` must be 'left' or 'right'. Received: side={side!r}"
        )
    out_int32 = sorted_sequence.shape[0] <= np.iinfo(np.int32).max
    return torch.searchsorted(sorted_sequence, values, side=side, out_int32=out_int32)


@keras_op
def digitize(x, bins):
    """The int32 index of the bin each element of `x` falls in (`bins[i-1] <= x < bins[i]`).

    Example:

    >>> ops.digitize([0.5, 1.5], [0.0, 1.0, 2.0])
    tensor([1, 2], dtype=torch.int32)
    """
    x, bins = tensors(x, bins)
    if x.dtype is torch.bool:
        x = x.to(torch.uint8)
    return torch.bucketize(x, bins, right=True).int()


@keras_op
def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts (or sums of `weights`) of each non-negative integer in `x` (1-D, or 2-D row-wise).

    Args:
        x: Non-negative integers.
        weights: Optional weights, one per element of `x`.
        minlength: The least number of bins. Defaults to 0.
        sparse: Unsupported on torch (raises).

    Returns:
        int32 counts, or the weights' promoted dtype.

    Example:

    >>> ops.bincount([0, 1, 1, 3])
    tensor([1, 2, 0, 1], dtype=torch.int32)
    """
    if sparse:
        raise ValueError("`ops.bincount`: `sparse=True` is not supported on torch. "
                         f"Received: sparse={sparse}")
    x = tensor(x)
    if weights is None:
        out_dtype = "int32"
    else:
        x, weights = tensors(x, weights)
        out_dtype = dtypes.result_type(x.dtype, weights.dtype)
    out_td = dtypes.to_torch_dtype(out_dtype)
    if x.ndim == 2:
        # One length for all rows (Keras's torch backend fails on rows of different maxima).
        minlength = max(minlength, int(x.max()) + 1) if x.numel() else minlength
        if weights is None:
            rows = [torch.bincount(r, minlength=minlength) for r in x]
        else:
            rows = [torch.bincount(r, weights=w, minlength=minlength) for r, w in zip(x, weights)]
        return torch.stack(rows).to(out_td)
    return torch.bincount(x, weights, minlength).to(out_td)


@keras_op
def histogram(x, bins=10, range=None):
    """The histogram of a 1-D `x`: counts in `bins` equal bins over `range` (default: `x`'s
    min and max), and the bin edges.

    Returns:
        `(counts, bin_edges)`.

    Example:

    >>> counts, edges = ops.histogram([0.0, 0.5, 1.0], bins=2)
    >>> counts
    tensor([1., 2.])
    """
    if isinstance(bins, bool) or not isinstance(bins, int):
        raise TypeError(f"`ops.histogram`: `bins` must be an integer. Received: bins={bins!r}")
    if bins < 0:
        raise ValueError(f"`ops.histogram`: `bins` must be non-negative. Received: bins={bins}")
    if range:
        if not isinstance(range, tuple) or len(range) < 2:
            raise ValueError(
                "`ops.histogram`: `range` must be a tuple of two numbers. "
                f"Received: range={range!r}"
            )
        if range[1] < range[0]:
            raise ValueError(
                "`ops.histogram`: the second element of `range` must be greater than the first. "
                f"Received: range={range!r}"
            )
    x = tensor(x)
    if x.ndim > 1:
        raise ValueError(
            f"`ops.histogram`: `x` must be 1-D. Received: x.shape={tuple(x.shape)}"
        )
    if x.device.type == "meta":  # the shapes do not depend on the data
        return (torch.empty(bins, dtype=x.dtype, device=x.device),
                torch.empty(bins + 1, dtype=x.dtype, device=x.device))
    result = torch.histogram(x, bins=bins, range=range)
    return result.hist, result.bin_edges


@keras_op
def isin(x1, x2, assume_unique=False, invert=False):
    """Whether each element of `x1` is in `x2` (bool, shaped like `x1`).

    Example:

    >>> ops.isin([1, 2, 3], [2])
    tensor([False,  True, False])
    """
    x1, x2 = tensors(x1, x2)
    if x1.dtype is torch.bool and x2.dtype is torch.bool:
        x1, x2 = x1.int(), x2.int()
    elif x1.dtype is torch.bool:
        x1 = x1.to(x2.dtype)
    elif x2.dtype is torch.bool:
        x2 = x2.to(x1.dtype)
    return torch.isin(x1, x2, assume_unique=assume_unique, invert=invert)


@keras_op
def nonzero(x):
    """The indices of the non-zero elements of `x`, as a `(ndim, count)` int32 tensor (as on
    Keras's torch backend).

    Example:

    >>> ops.nonzero([0, 3, 0, 5])
    tensor([[1, 3]], dtype=torch.int32)
    """
    return torch.nonzero(tensor(x)).T.int()


@keras_op
def unravel_index(indices, shape):
    """Flat `indices` as a tuple of coordinate tensors into an array of `shape`.

    Example:

    >>> ops.unravel_index([5], (2, 3))
    (tensor([1], dtype=torch.int32), tensor([2], dtype=torch.int32))
    """
    indices = tensor(indices)
    td = dtypes.to_torch_dtype(dtypes.result_type(indices.dtype))
    return tuple(i.to(td) for i in torch.unravel_index(indices, tuple(shape)))


