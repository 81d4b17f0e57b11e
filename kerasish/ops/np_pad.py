"""`pad` (part of `np_arrays`; import from `kerasish.ops`)."""

import torch
import torch.nn.functional as F

from kerasish.ops._np_arrays_util import tensor
from kerasish.ops.dispatch import keras_op

__all__ = ["pad"]

_MODES = {"constant": "constant", "reflect": "reflect", "symmetric": "replicate",
          "replicate": "replicate", "circular": "circular"}


def _pairs(pad_width):
    """Keras's normalization: an int or one pair -> one pair; pairs of length 1 -> (p, p)."""
    if isinstance(pad_width, int):
        return ((pad_width, pad_width),)
    if isinstance(pad_width, (tuple, list)) and pad_width and isinstance(pad_width[0], int):
        return (tuple(pad_width),)
    try:
        pairs = [tuple(int(p) for p in pw) for pw in pad_width]
    except TypeError:
        raise TypeError(
            "`ops.pad`: `pad_width` must be an int, a pair, or one pair per axis. "
            f"Received: pad_width={pad_width!r}"
        ) from None
    if not pairs or any(len(pw) != len(pairs[0]) or len(pw) not in (1, 2) for pw in pairs):
        raise ValueError(
            "`ops.pad`: `pad_width` must be pairs (or 1-tuples) of one length. "
            f"Received: pad_width={pad_width!r}"
        )
    return tuple(pw * 2 if len(pw) == 1 else pw for pw in pairs)


def _torch_pad_list(pairs):
    """torch's flat padding list (last axis first), cut after the last padded axis."""
    flat, remaining = [], sum(a + b for a, b in pairs)
    for before, after in reversed(pairs):
        flat += [before, after]
        remaining -= before + after
        if remaining == 0:
            break
    return flat


@keras_op
def pad(x, pad_width, mode="constant", constant_values=None):
    """`x` padded with `pad_width` values before and after each axis.

    Args:
        x: Input tensor.
        pad_width: `((before, after), ...)` per axis. As on Keras's torch backend, a single
            pair (or an int) pads the LAST axis only.
        mode: `"constant"` (default), `"reflect"`, `"symmetric"`, `"replicate"` or
            `"circular"`. As on Keras's torch backend, `"symmetric"` repeats the edge value
            (torch's `"replicate"`).
        constant_values: The fill value of `"constant"` mode. Defaults to 0.

    Returns:
        The padded tensor.

    Example:

    >>> ops.pad([1, 2], ((1, 1),))
    tensor([0, 1, 2, 0], dtype=torch.int32)
    """
    x = tensor(x)
    pairs = _pairs(pad_width)
    if len(pairs) > 1 and len(pairs) != x.ndim:
        raise ValueError(
            f"`ops.pad`: `pad_width` needs one pair per axis of `x` (x.shape={tuple(x.shape)}). "
            f"Received: pad_width={pad_width!r}"
        )
    if mode not in _MODES:
        raise ValueError(
            f"`ops.pad`: `mode` must be one of {sorted(_MODES)} on torch. Received: mode={mode!r}"
        )
    if constant_values is not None and mode != "constant":
        raise ValueError(
            "`ops.pad`: `constant_values` can only be given with mode='constant'. "
            f"Received: mode={mode!r}"
        )
    flat = _torch_pad_list(pairs)
    if mode == "constant":
        if constant_values is None:
            return F.pad(x, flat)
        return F.pad(x, flat, value=constant_values)
    return _pad_other(x, flat, _MODES[mode])


def _pad_other(x, flat, mode):
    # torch pads reflect/replicate/circular only over the last 1-3 axes of a batched tensor,
    # and only in float32/float64.
    ndim, dtype = x.ndim, x.dtype
    if ndim < 3:
        x = x.reshape((1,) * (3 - ndim) + tuple(x.shape))
    if dtype not in (torch.float32, torch.float64):
        x = x.to(torch.float32)
    x = F.pad(x, flat, mode=mode)
    if x.dtype != dtype:
        x = x.to(dtype)
    if ndim < 3:
        x = x.squeeze(tuple(range(3 - ndim)))
    return x
