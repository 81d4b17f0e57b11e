"""Argument checks and Keras's padding arithmetic, shared by the conv and pooling ops and layers."""

import torch
import torch.nn.functional as F

_PADDINGS = ("valid", "same", "causal")


def standardize_tuple(value, n, name, allow_zero=False):
    """`value` (an int or n ints) as a tuple of n positive ints."""
    if isinstance(value, int) and not isinstance(value, bool):
        values = (value,) * n
    else:
        try:
            values = tuple(int(v) for v in value)
        except (TypeError, ValueError):
            values = ()
        if len(values) != n:
            raise ValueError(
                f"The `{name}` argument must be a tuple of {n} integers. Received: {name}={value!r}"
            )
    if any(v < 0 or (v == 0 and not allow_zero) for v in values):
        raise ValueError(
            f"The `{name}` argument must contain positive integers. Received: {name}={value!r}"
        )
    return values


def standardize_padding(padding, allow_causal=False):
    value = str(padding).lower()
    allowed = _PADDINGS if allow_causal else _PADDINGS[:2]
    if value not in allowed:
        raise ValueError(
            f"The `padding` argument must be one of {allowed}. Received: padding={padding!r}"
        )
    return value


def same_padding(length, kernel, stride, dilation=1):
    """`(before, after)` padding of one axis for Keras's 'same': the extra pixel goes at the end."""
    effective = (kernel - 1) * dilation + 1
    out = -(-length // stride)
    total = max(0, (out - 1) * stride + effective - length)
    return total // 2, total - total // 2


def output_length(length, kernel, stride, padding, dilation=1):
    """Output length of one axis of a convolution or pooling with Keras's padding modes."""
    if length is None:
        return None
    if padding in ("same", "causal"):
        return -(-length // stride)
    effective = (kernel - 1) * dilation + 1
    return (length - effective) // stride + 1 if length >= effective else 0


def resolve_padding(x, kernel, strides, dilation, padding, pad_value=0.0):
    """Pads channels-first `x` for `padding` as far as the torch kernel cannot.

    Returns `(x, torch_padding)`: torch's symmetric padding argument, with any asymmetric part
    (Keras's 'same' puts the odd pixel at the end; 'causal' pads only the start) applied by `F.pad`.
    """
    if padding == "valid":
        return x, 0
    spatial = x.shape[2:]
    if padding == "causal":
        pads = [((k - 1) * d, 0) for k, d in zip(kernel, dilation)]
    else:
        pads = [same_padding(n, k, s, d) for n, k, s, d in zip(spatial, kernel, strides, dilation)]
    symmetric = tuple(min(b, a) for b, a in pads)
    rest = [(b - m, a - m) for (b, a), m in zip(pads, symmetric)]
    if any(b or a for b, a in rest):
        flat = [v for pair in reversed(rest) for v in pair]
        x = F.pad(x, flat, value=pad_value)
    return x, symmetric


def transpose_pads(kernel, stride, dilation, padding, output_padding):
    """Keras's `(left, right)` padding of the stride-dilated input of a transposed conv, one axis."""
    effective = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(effective, stride) - effective if output_padding is None else output_padding
        return effective - 1, effective - 1 + extra
    if output_padding is None:
        total = stride + effective - 2
    else:
        total = effective + effective % 2 - 2 + output_padding
    left = min(total // 2 + total % 2, effective - 1)
    return left, total - left


def transpose_output_length(length, kernel, stride, padding, output_padding, dilation):
    """Output length of one axis of a Keras transposed convolution."""
    if length is None:
        return None
    effective = (kernel - 1) * dilation + 1
    left, right = transpose_pads(kernel, stride, dilation, padding, output_padding)
    return (length - 1) * stride + 1 + left + right - effective + 1


def transpose_crop(kernel, stride, dilation, padding, output_padding):
    """How much of torch's full transposed output (padding 0) to drop at each end of one axis
    to get Keras's; negative amounts mean zeros to add."""
    left, right = transpose_pads(kernel, stride, dilation, padding, output_padding)
    effective = (kernel - 1) * dilation + 1
    return effective - 1 - left, effective - 1 - right


_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def conv_transpose(x, weight, bias, strides, dilation, crops):
    """Channels-first transposed conv with torch's `(in, out, *k)` weight, cropped per `crops`.

    The symmetric part of the crop goes to torch as `padding`; the asymmetric rest is sliced off
    (or, where Keras's output is longer than torch's, zero-padded) by `F.pad`.
    """
    sym = tuple(max(0, min(a, b)) for a, b in crops)
    rest = [(a - p, b - p) for (a, b), p in zip(crops, sym)]
    grows = any(a < 0 or b < 0 for a, b in rest)
    # Where Keras's output is longer than torch's, the added border still gets the bias.
    out = _CONV_T[x.ndim - 2](x, weight, None if grows else bias, strides, sym, 0, 1, dilation)
    if any(a or b for a, b in rest):
        # F.pad with a negative amount slices that end off.
        out = F.pad(out, [-v for pair in reversed(rest) for v in pair])
    if grows and bias is not None:
        out = out + bias.reshape((-1,) + (1,) * (x.ndim - 2))
    return out


_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def max_pool(x, pool, strides, padding, rank):
    """Channels-first max pooling with Keras's (TensorFlow's) 'valid'/'same' padding."""
    x, pad = resolve_padding(x, pool, strides, (1,) * rank, padding, pad_value=float("-inf"))
    return _MAX[rank](x, pool, strides, pad)


def average_pool(x, pool, strides, padding, rank):
    """Channels-first average pooling; with 'same', each window averages its real inputs only
    (TensorFlow's rule, which the pooling layers and Keras 2's `K.pool2d` follow)."""
    if padding == "valid":
        return _AVG[rank](x, pool, strides)
    pads = [same_padding(n, k, s) for n, k, s in zip(x.shape[2:], pool, strides)]
    if all(b == a for b, a in pads):
        return _AVG[rank](x, pool, strides, tuple(b for b, _ in pads), count_include_pad=False)
    # Asymmetric: average the zero-padded input, then rescale each window by the share of it
    # that lies inside the input (torch's `count_include_pad=False` covers symmetric padding only).
    flat = [v for pair in reversed(pads) for v in pair]
    summed = _AVG[rank](F.pad(x, flat), pool, strides)
    ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device)
    share = _AVG[rank](F.pad(ones, flat), pool, strides)
    return summed / share
