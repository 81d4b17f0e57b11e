"""Shape manipulation, joining and splitting (part of `np_arrays`; import from `kerasish.ops`)."""

import numpy as np
import torch

from kerasish.ops._np_arrays_util import (
    Tensor, canonicalize_axis, check_int, tensor, tensors,
)
from kerasish.ops.dispatch import fast_path, keras_op
from kerasish.ops.np_split import *  # noqa: F401,F403
from kerasish.ops.np_split import __all__ as _split_all

__all__ = [
    "append", "broadcast_to", "concatenate", "diag", "diagflat", "diagonal", "diff", "dstack",
    "expand_dims", "flip", "fliplr", "flipud", "hstack", "meshgrid", "moveaxis", "ravel",
    "repeat", "reshape", "roll", "rot90", "squeeze", "stack", "swapaxes", "tile", "transpose",
    "tril", "triu", "vstack",
] + _split_all


def _tensors(xs):
    for x in xs:
        if type(x) is not Tensor:
            return tensors(*xs)
    return xs


@keras_op(name="reshape")
def _reshape(x, newshape):
    """`x` with a new shape (one dimension may be -1, inferred).

    Args:
        x: Input tensor.
        newshape: The new shape (an int or a tuple of ints).

    Returns:
        The reshaped tensor (a view where possible).

    Example:

    >>> ops.reshape(ops.arange(6), (2, -1)).shape
    torch.Size([2, 3])
    """
    if type(newshape) is not tuple:
        if isinstance(newshape, Tensor):
            newshape = tuple(int(d) for d in newshape)
        else:
            try:
                newshape = tuple(newshape)
            except TypeError:
                newshape = (newshape,)
    if type(x) is not Tensor:
        x = tensor(x)
    try:
        return x.reshape(newshape)
    except RuntimeError:
        _check_newshape(newshape)  # Keras's ValueError for bad shapes, torch's error otherwise
        raise


@fast_path(_reshape)
def reshape(x, newshape):
    if type(x) is Tensor:
        try:
            return x.reshape(newshape)
        except (TypeError, RuntimeError):  # a KerasTensor, an array shape, a bad shape: below
            pass
    return _reshape(x, newshape)


def _check_newshape(newshape):
    if any(isinstance(d, int) and d < -1 for d in newshape) or newshape.count(-1) > 1:
        raise ValueError(
            "`ops.reshape`: each dimension of `newshape` must be a non-negative integer, or -1 "
            f"for a single unknown dimension. Received: newshape={newshape}"
        )


@keras_op(name="transpose")
def _transpose(x, axes=None):
    """`x` with its axes permuted (reversed by default).

    Args:
        x: Input tensor.
        axes: The permutation. Defaults to reversing the axes.

    Example:

    >>> ops.transpose(ops.zeros((2, 3))).shape
    torch.Size([3, 2])
    """
    if type(x) is not Tensor:
        x = tensor(x)
    if axes is None:
        return x.permute(tuple(range(x.ndim - 1, -1, -1))) if x.ndim > 2 else x.t()
    return x.permute(axes)


@fast_path(_transpose)
def transpose(x, axes=None):
    if type(x) is Tensor:
        if axes is None:
            return x.permute(tuple(range(x.ndim - 1, -1, -1))) if x.ndim > 2 else x.t()
        try:
            return x.permute(axes)
        except (TypeError, RuntimeError):  # a KerasTensor or a bad permutation: below
            pass
    return _transpose(x, axes)


@keras_op
def concatenate(xs, axis=0):
    """Joins tensors along an existing axis (mixed dtypes promote).

    Args:
        xs: A sequence of tensors.
        axis: The axis to join along. Defaults to 0.

    Example:

    >>> ops.concatenate([ops.zeros((1, 2)), ops.ones((1, 2))]).shape
    torch.Size([2, 2])
    """
    return torch.cat(_tensors(xs), dim=axis)


@keras_op
def stack(x, axis=0):
    """Joins tensors of one shape along a new axis.

    Example:

    >>> ops.stack([ops.zeros(2), ops.ones(2)], axis=1).shape
    torch.Size([2, 2])
    """
    return torch.stack(_tensors(x), dim=axis)


@keras_op
def hstack(xs):
    """Joins tensors column-wise (along axis 1; axis 0 for 1-D tensors).

    Example:

    >>> ops.hstack([[1, 2], [3]])
    tensor([1, 2, 3], dtype=torch.int32)
    """
    return torch.hstack(_tensors(xs))


@keras_op
def vstack(xs):
    """Joins tensors row-wise (1-D tensors become rows).

    Example:

    >>> ops.vstack([[1, 2], [3, 4]]).shape
    torch.Size([2, 2])
    """
    return torch.vstack(_tensors(xs))


@keras_op
def dstack(xs):
    """Joins tensors along the third axis (depth), after making them at least 3-D.

    Example:

    >>> ops.dstack([[1, 2], [3, 4]]).shape
    torch.Size([1, 2, 2])
    """
    return torch.dstack(_tensors(xs))


@keras_op
def append(x1, x2, axis=None):
    """`x2` appended to `x1` along `axis` (both flattened when `axis` is None).

    Example:

    >>> ops.append([1, 2], [[3]])
    tensor([1, 2, 3], dtype=torch.int32)
    """
    x1, x2 = tensors(x1, x2)
    if axis is None:
        return torch.cat((x1.flatten(), x2.flatten()))
    return torch.cat((x1, x2), dim=axis)


def _axes_tuple(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)


@keras_op
def expand_dims(x, axis):
    """`x` with new axes of size 1 at the positions `axis` (an int or a tuple) of the result.

    Example:

    >>> ops.expand_dims(ops.zeros((2, 3)), -1).shape
    torch.Size([2, 3, 1])
    """
    x = tensor(x)
    axes = _axes_tuple(axis)
    out_ndim = x.ndim + len(axes)
    for a in sorted(canonicalize_axis("expand_dims", a, out_ndim) for a in axes):
        x = x.unsqueeze(a)
    return x


@keras_op
def squeeze(x, axis=None):
    """`x` without its axes of size 1 (all of them, or those in `axis`).

    Example:

    >>> ops.squeeze(ops.zeros((1, 2, 1))).shape
    torch.Size([2])
    """
    x = tensor(x)
    if axis is None:
        return x.squeeze()
    return x.squeeze(tuple(axis) if isinstance(axis, list) else axis)


@keras_op
def broadcast_to(x, shape):
    """`x` broadcast to `shape` (a view).

    Example:

    >>> ops.broadcast_to([1, 2], (3, 2)).shape
    torch.Size([3, 2])
    """
    return torch.broadcast_to(tensor(x), tuple(shape) if isinstance(shape, list) else shape)


@keras_op
def ravel(x):
    """`x` flattened to 1-D.

    Example:

    >>> ops.ravel([[1, 2], [3, 4]])
    tensor([1, 2, 3, 4], dtype=torch.int32)
    """
    return torch.ravel(tensor(x))


@keras_op
def flip(x, axis=None):
    """`x` with the order of elements reversed along `axis` (all axes when None).

    Example:

    >>> ops.flip([1, 2, 3])
    tensor([3, 2, 1], dtype=torch.int32)
    """
    x = tensor(x)
    dims = tuple(range(x.ndim)) if axis is None else _axes_tuple(axis)
    return torch.flip(x, dims)


@keras_op
def fliplr(x):
    """`x` reversed along axis 1 (left/right); `x` needs at least 2 dimensions.

    Example:

    >>> ops.fliplr([[1, 2]])
    tensor([[2, 1]], dtype=torch.int32)
    """
    return torch.fliplr(tensor(x))


@keras_op
def flipud(x):
    """`x` reversed along axis 0 (up/down).

    Example:

    >>> ops.flipud([[1], [2]])
    tensor([[2],
            [1]], dtype=torch.int32)
    """
    return torch.flipud(tensor(x))


@keras_op
def rot90(array, k=1, axes=(0, 1)):
    """`array` rotated by 90 degrees `k` times in the plane of `axes` (from the first axis
    towards the second).

    Example:

    >>> ops.rot90([[1, 2], [3, 4]])
    tensor([[2, 4],
            [1, 3]], dtype=torch.int32)
    """
    array = tensor(array)
    if array.ndim < 2:
        raise ValueError(
            f"`ops.rot90`: `array` needs at least 2 dimensions. Received: array.ndim={array.ndim}"
        )
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ValueError(f"`ops.rot90`: `axes` must be two different axes. Received: axes={axes}")
    axes = tuple(canonicalize_axis("rot90", a, array.ndim, "axes") for a in axes)
    return torch.rot90(array, k, axes)


@keras_op
def moveaxis(x, source, destination):
    """`x` with axes `source` moved to positions `destination` (ints or tuples).

    Example:

    >>> ops.moveaxis(ops.zeros((2, 3, 4)), 0, -1).shape
    torch.Size([3, 4, 2])
    """
    return torch.moveaxis(tensor(x), source, destination)


@keras_op
def swapaxes(x, axis1, axis2):
    """`x` with two axes interchanged.

    Example:

    >>> ops.swapaxes(ops.zeros((2, 3)), 0, 1).shape
    torch.Size([3, 2])
    """
    return torch.swapaxes(tensor(x), axis1, axis2)


@keras_op
def roll(x, shift, axis=None):
    """`x` with elements shifted cyclically along `axis` (over the flattened tensor when None).

    Example:

    >>> ops.roll([1, 2, 3], 1)
    tensor([3, 1, 2], dtype=torch.int32)
    """
    if axis is None:
        return torch.roll(tensor(x), shift)
    return torch.roll(tensor(x), shift, axis)


@keras_op
def tile(x, repeats):
    """`x` repeated `repeats` times along each axis (a tuple, or an int for the last axis).

    Example:

    >>> ops.tile([1, 2], 2)
    tensor([1, 2, 1, 2], dtype=torch.int32)
    """
    if isinstance(repeats, Tensor):
        repeats = tuple(int(r) for r in repeats.reshape(-1))
    elif isinstance(repeats, int):
        repeats = (repeats,)
    return torch.tile(tensor(x), tuple(repeats))


@keras_op
def repeat(x, repeats, axis=None):
    """Each element of `x` repeated `repeats` times along `axis` (over the flattened tensor
    when None).

    Args:
        x: Input tensor.
        repeats: An int, or one count per element along `axis`.
        axis: The axis. Defaults to None (flatten first).

    Example:

    >>> ops.repeat([1, 2], 2)
    tensor([1, 1, 2, 2], dtype=torch.int32)
    """
    x = tensor(x)
    if isinstance(repeats, np.ndarray) or (isinstance(repeats, Tensor)
                                           and repeats.device.type != "meta"):
        repeats = repeats.tolist()  # known counts: Python ints keep the output shape static
    if isinstance(repeats, (list, tuple)) and len(repeats) == 1:
        repeats = repeats[0]
    if axis is None:
        x, axis = x.reshape(-1), 0
    else:
        axis = canonicalize_axis("repeat", axis, x.ndim)
    if isinstance(repeats, int):
        # unsqueeze + expand + reshape, not repeat_interleave: a static output shape (meta
        # tensors, export).
        shape = list(x.shape)
        expanded = [-1] * (x.ndim + 1)
        expanded[axis + 1] = repeats
        shape[axis] *= repeats
        return x.unsqueeze(axis + 1).expand(expanded).reshape(shape)
    if isinstance(repeats, (list, tuple)):
        index = [i for i, r in enumerate(repeats) for _ in range(int(r))]
        return x.index_select(axis, torch.tensor(index, dtype=torch.long, device=x.device))
    return torch.repeat_interleave(x, repeats, dim=axis)


@keras_op
def diag(x, k=0):
    """The `k`-th diagonal of a 2-D `x`, or a 2-D tensor with 1-D `x` on its `k`-th diagonal.

    Example:

    >>> ops.diag([1, 2])
    tensor([[1, 0],
            [0, 2]], dtype=torch.int32)
    """
    return torch.diag(tensor(x), k)


@keras_op
def diagflat(x, k=0):
    """A 2-D tensor with the flattened `x` on its `k`-th diagonal.

    Example:

    >>> ops.diagflat([[1, 2]]).shape
    torch.Size([2, 2])
    """
    return torch.diagflat(tensor(x), k)


@keras_op
def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonals of `x` in the plane of `axis1` and `axis2` (as the last axis).

    Example:

    >>> ops.diagonal([[1, 2], [3, 4]])
    tensor([1, 4], dtype=torch.int32)
    """
    x = tensor(x)
    a1 = canonicalize_axis("diagonal", axis1, x.ndim, "axis1")
    a2 = canonicalize_axis("diagonal", axis2, x.ndim, "axis2")
    if a1 == a2:
        raise ValueError(
            "`ops.diagonal`: `axis1` and `axis2` cannot be the same. "
            f"Received: axis1={axis1}, axis2={axis2}"
        )
    return torch.diagonal(x, offset, a1, a2)


@keras_op
def diff(a, n=1, axis=-1):
    """The `n`-th discrete difference of `a` along `axis`.

    Example:

    >>> ops.diff([1, 4, 9])
    tensor([3, 5], dtype=torch.int32)
    """
    check_int("diff", "n", n)
    return torch.diff(tensor(a), n=n, dim=axis)


@keras_op
def tril(x, k=0):
    """`x` with the elements above the `k`-th diagonal zeroed.

    Example:

    >>> ops.tril([[1, 2], [3, 4]])
    tensor([[1, 0],
            [3, 4]], dtype=torch.int32)
    """
    return torch.tril(tensor(x), k)


@keras_op
def triu(x, k=0):
    """`x` with the elements below the `k`-th diagonal zeroed.

    Example:

    >>> ops.triu([[1, 2], [3, 4]])
    tensor([[1, 2],
            [0, 4]], dtype=torch.int32)
    """
    return torch.triu(tensor(x), k)


@keras_op
def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D coordinate vectors.

    Args:
        *x: 1-D tensors.
        indexing: `"xy"` (Cartesian, default) or `"ij"` (matrix indexing).

    Returns:
        A tuple of N-D tensors.

    Example:

    ```python
    >>> [g.shape for g in ops.meshgrid([1, 2, 3], [4, 5])]
    [torch.Size([2, 3]), torch.Size([2, 3])]
    ```
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(
            f"`ops.meshgrid`: `indexing` must be 'xy' or 'ij'. Received: indexing={indexing!r}"
        )
    return torch.meshgrid(_tensors(x), indexing=indexing)
