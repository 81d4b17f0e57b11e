"""Splitting: split, array_split, hsplit, vsplit, dsplit (part of `np_arrays`; import from
`kerasish.ops`)."""

import torch

from kerasish.ops._np_arrays_util import Tensor, tensor
from kerasish.ops.dispatch import keras_op

__all__ = ["array_split", "dsplit", "hsplit", "split", "vsplit"]


def _sections(op, indices_or_sections):
    if isinstance(indices_or_sections, int):
        return indices_or_sections
    if isinstance(indices_or_sections, Tensor):
        return [int(i) for i in indices_or_sections.reshape(-1)]
    return [int(i) for i in indices_or_sections]


@keras_op
def split(x, indices_or_sections, axis=0):
    """Splits `x` into equal sections, or at the given indices, along `axis`.

    Args:
        x: Input tensor.
        indices_or_sections: A number of equal sections (that must divide the axis), or the
            sorted indices to split at.
        axis: The axis. Defaults to 0.

    Returns:
        A list of tensors.

    Example:

    ```python
    >>> [t.tolist() for t in ops.split(ops.arange(4), 2)]
    [[0, 1], [2, 3]]
    ```
    """
    x = tensor(x)
    dim = x.shape[axis]
    sections = _sections("split", indices_or_sections)
    if isinstance(sections, int):
        if sections <= 0 or dim % sections:
            raise ValueError(
                f"`ops.split`: the axis {axis} of size {dim} cannot be split into "
                f"{sections} equal sections. Received: indices_or_sections={sections}"
            )
        out = torch.split(x, dim // sections, dim=axis)
        if dim == 0:
            return [out[0].clone() for _ in range(sections)]
        return list(out)
    return list(torch.tensor_split(x, sections, dim=axis))


@keras_op
def array_split(x, indices_or_sections, axis=0):
    """Splits `x` into `indices_or_sections` nearly equal sections along `axis` (the first
    sections are one longer when the axis does not divide evenly).

    Example:

    ```python
    >>> [t.tolist() for t in ops.array_split(ops.arange(5), 2)]
    [[0, 1, 2], [3, 4]]
    ```
    """
    if not isinstance(indices_or_sections, int):
        raise TypeError(
            "`ops.array_split`: `indices_or_sections` must be an integer. "
            f"Received: indices_or_sections={indices_or_sections!r}"
        )
    if indices_or_sections <= 0:
        raise ValueError(
            "`ops.array_split`: `indices_or_sections` must be a positive integer. "
            f"Received: indices_or_sections={indices_or_sections}"
        )
    if not isinstance(axis, int):
        raise TypeError(f"`ops.array_split`: `axis` must be an integer. Received: axis={axis!r}")
    return list(torch.tensor_split(tensor(x), indices_or_sections, dim=axis))


@keras_op
def hsplit(x, indices_or_sections):
    """Splits `x` column-wise (axis 1; axis 0 for 1-D tensors).

    Example:

    >>> len(ops.hsplit(ops.zeros((2, 4)), 2))
    2
    """
    return list(torch.hsplit(tensor(x), _sections("hsplit", indices_or_sections)))


@keras_op
def vsplit(x, indices_or_sections):
    """Splits `x` row-wise (axis 0).

    Example:

    >>> len(ops.vsplit(ops.zeros((4, 2)), [1]))
    2
    """
    return list(torch.vsplit(tensor(x), _sections("vsplit", indices_or_sections)))


@keras_op
def dsplit(x, indices_or_sections):
    """Splits `x` along its third axis.

    Example:

    >>> len(ops.dsplit(ops.zeros((1, 1, 4)), 2))
    2
    """
    return list(torch.dsplit(tensor(x), _sections("dsplit", indices_or_sections)))
