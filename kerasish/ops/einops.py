"""`kerasish.ops.einops`: Keras's `keras.ops.einops` ops on torch."""

import functools
import math
import re

from kerasish.ops.convert import to_tensor
from kerasish.ops.dispatch import keras_op

__all__ = ["rearrange"]

_TOKEN = re.compile(r"\w+|\(.*?\)")


@functools.lru_cache(maxsize=256)
def _parse(pattern):
    """`pattern` as (input groups, output groups), each group a tuple of axis names."""
    sides = re.split(r"\s*->\s*", pattern)
    if len(sides) != 2:
        raise ValueError(
            f"`ops.rearrange`: the pattern must read 'input axes -> output axes'. "
            f"Received: pattern={pattern!r}"
        )
    groups = [tuple(tuple(re.findall(r"\w+", tok)) for tok in _TOKEN.findall(side))
              for side in sides]
    inputs = [a for g in groups[0] for a in g]
    missing = [a for g in groups[1] for a in g if a not in inputs]
    outputs = [a for g in groups[1] for a in g]
    if missing or len(set(inputs)) != len(inputs) or sorted(outputs) != sorted(inputs):
        raise ValueError(
            "`ops.rearrange`: every output axis must appear exactly once in the input. "
            f"Received: pattern={pattern!r}"
        )
    return groups[0], groups[1]


def _axis_sizes(in_groups, shape, axes_lengths, pattern):
    sizes = {}
    for group, dim in zip(in_groups, shape):
        if len(group) == 1 and group[0] not in axes_lengths:
            sizes[group[0]] = dim
            continue
        known = [axes_lengths[a] for a in group if a in axes_lengths]
        unknown = [a for a in group if a not in axes_lengths]
        if len(unknown) > 1:
            raise ValueError(
                f"`ops.rearrange`: cannot infer the sizes of {unknown} in one axis; give all but "
                f"one as keyword arguments. Received: pattern={pattern!r}, "
                f"axes_lengths={axes_lengths}"
            )
        if unknown:
            sizes[unknown[0]] = dim // math.prod(known)
        sizes.update({a: axes_lengths[a] for a in group if a in axes_lengths})
        if math.prod(sizes[a] for a in group) != dim:
            raise ValueError(
                f"`ops.rearrange`: the axis {group} of size {dim} cannot be split as asked. "
                f"Received: pattern={pattern!r}, axes_lengths={axes_lengths}"
            )
    return sizes


@keras_op
def rearrange(tensor, pattern, **axes_lengths):
    """Rearranges the axes of a tensor with an einops pattern (transpose, split, merge).

    Args:
        tensor: Input tensor.
        pattern: `"input axes -> output axes"`; parentheses group axes that are merged (on the
            output side) or split (on the input side).
        **axes_lengths: Sizes of split axes (all but one per group).

    Returns:
        The rearranged tensor (a view where torch can give one).

    Example:
    >>> images = np.random.rand(32, 30, 40, 3)
    >>> ops.rearrange(images, "b h w c -> b c h w").shape
    torch.Size([32, 3, 30, 40])
    >>> ops.rearrange(images, "b (h h1) (w w1) c -> b h w (c h1 w1)", h1=2, w1=2).shape
    torch.Size([32, 15, 20, 12])
    """
    x = to_tensor(tensor)
    in_groups, out_groups = _parse(pattern)
    if len(in_groups) != x.ndim:
        raise ValueError(
            f"`ops.rearrange`: the pattern names {len(in_groups)} input axes, the tensor has "
            f"{x.ndim}. Received: pattern={pattern!r}, tensor.shape={tuple(x.shape)}"
        )
    sizes = _axis_sizes(in_groups, x.shape, axes_lengths, pattern)
    flat_in = [a for g in in_groups for a in g]
    if len(flat_in) != x.ndim:
        x = x.reshape([sizes[a] for a in flat_in])
    flat_out = [a for g in out_groups for a in g]
    order = [flat_in.index(a) for a in flat_out]
    if order != list(range(len(order))):
        x = x.permute(order)
    out_shape = [math.prod(sizes[a] for a in g) for g in out_groups]
    return x if list(x.shape) == out_shape else x.reshape(out_shape)
