"""`unique` (part of `np_arrays`; import from `kerasish.ops`)."""

import torch
import torch.nn.functional as F

from kerasish.ops._np_arrays_util import canonicalize_axis, tensor
from kerasish.ops.dispatch import keras_op


@keras_op
def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):
    """The unique elements of `x` (or unique slices along `axis`).

    Args:
        x: Input tensor.
        sorted: Whether to sort the unique values. Defaults to True.
        return_index: Also return the index of each value's first occurrence.
        return_inverse: Also return, for each element of `x`, the index of its unique value.
        return_counts: Also return how often each unique value occurs.
        axis: Find unique slices along this axis. Defaults to None (the flattened `x`).
        size: A fixed number of unique values: more are cut, fewer are padded with
            `fill_value` (counts with 0), so that the output shape is static.
        fill_value: The padding value when `size` is given. Defaults to 0.

    Returns:
        The unique values, or a tuple `(values, index, inverse, counts)` of those asked for.

    Example:

    >>> ops.unique([3, 1, 3])
    tensor([1, 3], dtype=torch.int32)
    """
    x = tensor(x)
    dim = 0 if axis is None else canonicalize_axis("unique", axis, x.ndim)
    if size is not None and x.device.type == "meta":
        return _meta_unique(x, dim, axis, size, return_index, return_inverse, return_counts)
    out = torch.unique(x, sorted=sorted, return_inverse=return_inverse or return_index,
                       return_counts=return_counts, dim=axis)
    out = list(out) if isinstance(out, tuple) else [out]
    values = out[0]
    counts = out[-1] if return_counts else None
    first = _first_indices(out[1], values.shape[dim]) if return_index else None
    if size is not None:
        values, counts, first = _fix_size(values, counts, first, dim, size, fill_value)
    result = [values]
    if return_index:
        result.append(first)
    if return_inverse:
        result.append(out[1])
    if return_counts:
        result.append(counts)
    return result[0] if len(result) == 1 else tuple(result)


def _first_indices(inverse, n):
    """The position of each unique value's first occurrence (the least index mapping to it)."""
    inverse = inverse.reshape(-1)
    positions = torch.arange(inverse.numel(), dtype=inverse.dtype, device=inverse.device)
    return inverse.new_empty(n).scatter_reduce_(0, inverse, positions, reduce="min",
                                                include_self=False)


def _fix_size(values, counts, first, dim, size, fill_value):
    n = values.shape[dim]
    if n > size:
        values = values.narrow(dim, 0, size)
        counts = None if counts is None else counts[:size]
        first = None if first is None else first[:size]
    elif n < size:
        extra = size - n
        widths = [0, 0] * values.ndim
        widths[2 * (values.ndim - 1 - dim) + 1] = extra
        values = F.pad(values, widths, value=0 if fill_value is None else fill_value)
        counts = None if counts is None else F.pad(counts, (0, extra), value=0)
        # Keras's torch backend pads the first-occurrence indices with 1.
        first = None if first is None else F.pad(first, (0, extra), value=1)
    return values, counts, first


def _meta_unique(x, dim, axis, size, return_index, return_inverse, return_counts):
    """Outputs of the right shapes without the data: with `size`, `unique`'s shapes are static."""
    shape = (size,) if axis is None else x.shape[:dim] + (size,) + x.shape[dim + 1:]
    ints = dict(dtype=torch.int64, device=x.device)
    result = [torch.empty(shape, dtype=x.dtype, device=x.device)]
    if return_index:
        result.append(torch.empty(size, **ints))
    if return_inverse:
        result.append(torch.empty(x.shape if axis is None else (x.shape[dim],), **ints))
    if return_counts:
        result.append(torch.empty(size, **ints))
    return result[0] if len(result) == 1 else tuple(result)
