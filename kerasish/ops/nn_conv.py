"""Convolutions, pooling and patch ops of `kerasish.ops.nn` (re-exported there).

Keras's tensors are channels-last by default and its kernels are `(*spatial, in, out)`; torch's
kernels want channels-first inputs and `(out, in, *spatial)` kernels. Both translations are
permuted VIEWS (no copy): a contiguous channels-last tensor seen channels-first is exactly torch's
`channels_last` memory format, which the conv and pooling kernels take as it is.
"""

import functools

import torch.nn.functional as F

from kerasish.backend import config, conv_utils, layouts
from kerasish.ops.convert import to_tensor
from kerasish.ops.dispatch import keras_op

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
_ADAPTIVE_AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
_ADAPTIVE_MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}


def _spatial_rank(x, op, arg="inputs"):
    n = x.ndim - 2
    if n not in (1, 2, 3):
        raise ValueError(
            f"`ops.{op}` takes 3D, 4D or 5D inputs (1, 2 or 3 spatial dimensions). "
            f"Received: {arg}.shape={tuple(x.shape)}"
        )
    return n


def _padding(padding, op):
    value = str(padding).lower()
    if value not in ("valid", "same"):
        raise ValueError(
            f"`ops.{op}`: `padding` must be 'valid' or 'same'. Received: padding={padding!r}"
        )
    return value


def _first(x, data_format):
    return layouts.to_channels_first(x) if data_format == "channels_last" else x


def _last(x, data_format):
    return layouts.to_channels_last(x) if data_format == "channels_last" else x


@functools.lru_cache(maxsize=1024)
def _same_plan(spatial, kernel, strides, dilation):
    """Keras's 'same' padding of one call shape: `(torch_padding, F.pad list or None)`.

    Cached: the arithmetic is pure and a model calls each layer with the same shapes."""
    pads = [conv_utils.same_padding(n, k, s, d)
            for n, k, s, d in zip(spatial, kernel, strides, dilation)]
    symmetric = [min(b, a) for b, a in pads]
    rest = [(b - m, a - m) for (b, a), m in zip(pads, symmetric)]
    extra = [v for pair in reversed(rest) for v in pair] if any(b or a for b, a in rest) else None
    full = [v for pair in reversed(pads) for v in pair] if extra else None
    return tuple(symmetric), extra, full


@functools.lru_cache(maxsize=1024)
def _pool_plan(op, x_shape, pool_size, strides, padding, data_format):
    """The shape-only part of a pooling call (cached)."""
    n = len(x_shape) - 2
    if n not in (1, 2, 3):
        raise ValueError(
            f"`ops.{op}` takes 3D, 4D or 5D inputs (1, 2 or 3 spatial dimensions). "
            f"Received: inputs.shape={x_shape}"
        )
    pool = conv_utils.standardize_tuple(pool_size, n, "pool_size")
    strides = pool if strides is None else conv_utils.standardize_tuple(strides, n, "strides")
    last = config.standardize_data_format(data_format) == "channels_last"
    pad, replicate = 0, None
    if _padding(padding, op) == "same":
        spatial = x_shape[1:-1] if last else x_shape[2:]
        symmetric, extra, full = _same_plan(spatial, pool, strides, (1,) * n)
        # Keras's torch backend: symmetric pads go to torch; asymmetric ones are applied as edge
        # replication of the whole border (which average pooling then counts).
        pad, replicate = (symmetric, None) if extra is None else (0, full)
    return n, pool, strides, pad, replicate, last


def _pool(table, op, inputs, pool_size, strides, padding, data_format, **extra):
    x = to_tensor(inputs)
    if data_format is None:
        data_format = config.image_data_format()
    n, pool, strides, pad, replicate, last = _pool_plan(
        op, tuple(x.shape), _key(pool_size), _key(strides), padding, data_format)
    if last:
        x = x.movedim(-1, 1)
    if replicate is not None:
        x = F.pad(x, replicate, mode="replicate")
    out = table[n](x, pool, strides, pad, **extra)
    return out.movedim(1, -1) if last else out


@keras_op
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over 1, 2 or 3 spatial dimensions.

    Args:
        inputs: Tensor of rank 3, 4 or 5: `(batch, *spatial, channels)` for
            `data_format="channels_last"`, `(batch, channels, *spatial)` for "channels_first".
        pool_size: int or tuple, the window size per spatial dimension.
        strides: int or tuple; defaults to `pool_size`.
        padding: `"valid"` or `"same"` (output size `ceil(input / stride)`).
        data_format: Defaults to `keras.config.image_data_format()`.

    Returns:
        The pooled tensor, in the input's data format.

    Example:
    >>> x = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> ops.max_pool(x, 2).shape
    torch.Size([1, 2, 2, 1])
    """
    return _pool(_MAX_POOL, "max_pool", inputs, pool_size, strides, padding, data_format)


@keras_op
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling over 1, 2 or 3 spatial dimensions (arguments as in `max_pool`).

    With `padding="same"`, border windows average over the real inputs only (padding is not
    counted), except where the padding is asymmetric, as in Keras's torch backend.

    Example:
    >>> ops.average_pool(np.ones((1, 4, 4, 1)), 2).shape
    torch.Size([1, 2, 2, 1])
    """
    return _pool(_AVG_POOL, "average_pool", inputs, pool_size, strides, padding, data_format,
                 count_include_pad=False)


def _adaptive(table, op, inputs, output_size, data_format):
    x = to_tensor(inputs)
    n = _spatial_rank(x, op)
    if isinstance(output_size, int) and not isinstance(output_size, bool):
        size = output_size if n == 1 else (output_size,) * n
    else:
        size = conv_utils.standardize_tuple(output_size, n, "output_size")
    data_format = config.standardize_data_format(data_format)
    out = table[n](_first(x, data_format), size)
    return _last(out[0] if isinstance(out, tuple) else out, data_format)


@keras_op
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed output size: windows are chosen to cover the input evenly.

    Args:
        inputs: Tensor of rank 3, 4 or 5 (see `max_pool`).
        output_size: int or tuple, the spatial output size.
        data_format: Defaults to `keras.config.image_data_format()`.

    Example:
    >>> ops.adaptive_average_pool(np.ones((1, 7, 7, 3)), 2).shape
    torch.Size([1, 2, 2, 3])
    """
    return _adaptive(_ADAPTIVE_AVG, "adaptive_average_pool", inputs, output_size, data_format)


@keras_op
def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed output size (arguments as in `adaptive_average_pool`).

    Example:

    >>> ops.adaptive_max_pool(ops.arange(16, dtype="float32").reshape(1, 4, 4, 1), (2, 2)).shape
    torch.Size([1, 2, 2, 1])
    """
    return _adaptive(_ADAPTIVE_MAX, "adaptive_max_pool", inputs, output_size, data_format)


def _key(value):
    """`value` hashable for the plan caches (lists and arrays of ints become tuples)."""
    if isinstance(value, (int, str)) or value is None:
        return value
    try:
        return tuple(int(v) for v in value)
    except (TypeError, ValueError):
        return repr(value)  # hashable; the plan's checks then reject it by name


@functools.lru_cache(maxsize=1024)
def _conv_plan(op, x_shape, k_shape, strides, padding, data_format, dilation_rate):
    """Everything about a conv call that depends only on shapes and arguments (cached, so that a
    call on tensors costs little more than the torch kernel)."""
    n = len(x_shape) - 2
    if n not in (1, 2, 3):
        raise ValueError(
            f"`ops.{op}` takes 3D, 4D or 5D inputs (1, 2 or 3 spatial dimensions). "
            f"Received: inputs.shape={x_shape}"
        )
    if len(k_shape) != n + 2:
        raise ValueError(f"`ops.{op}`: the kernel must have rank {n + 2} for inputs of rank "
                         f"{n + 2}. Received: kernel.shape={k_shape}")
    padding, data_format = _padding(padding, op), config.standardize_data_format(data_format)
    strides = conv_utils.standardize_tuple(strides, n, "strides")
    dilation = conv_utils.standardize_tuple(dilation_rate, n, "dilation_rate")
    last = data_format == "channels_last"
    in_channels, kernel_in = (x_shape[-1] if last else x_shape[1]), k_shape[-2]
    if kernel_in == 0 or in_channels % kernel_in:
        raise ValueError(
            f"`ops.{op}`: the input channels ({in_channels}) must be a multiple of the kernel's "
            f"input channels ({kernel_in}). Received: inputs.shape={x_shape}, "
            f"data_format={data_format!r}"
        )
    pad, extra = 0, None
    if padding == "same":
        spatial = x_shape[1:-1] if last else x_shape[2:]
        pad, extra, _ = _same_plan(spatial, k_shape[:-2], strides, dilation)
    return _CONV[n], strides, pad, dilation, in_channels // kernel_in, extra, last


def _conv(op, x, kernel, strides, padding, data_format, dilation_rate):
    """`x` convolved with the Keras-layout `kernel` (both tensors)."""
    if data_format is None:
        data_format = config.image_data_format()
    fn, strides, pad, dilation, groups, extra, last = _conv_plan(
        op, tuple(x.shape), tuple(kernel.shape), _key(strides), padding, data_format,
        _key(dilation_rate))
    if last:
        x = x.movedim(-1, 1)  # a view: torch's channels_last memory format
    if extra is not None:  # the asymmetric rest of 'same' (the odd pixel at the end), as zeros
        x = F.pad(x, extra)
    nd = kernel.ndim - 2
    out = fn(x, kernel.permute(nd + 1, nd, *range(nd)), None, strides, pad, dilation, groups)
    return out.movedim(1, -1) if last else out


def _conv_args(op, inputs, kernel, padding, data_format):
    x, k = to_tensor(inputs), to_tensor(kernel)
    n = _spatial_rank(x, op)
    if k.ndim != n + 2:
        raise ValueError(
            f"`ops.{op}`: the kernel must have rank {n + 2} for inputs of rank {x.ndim}. "
            f"Received: kernel.shape={tuple(k.shape)}"
        )
    return x, k, _padding(padding, op), config.standardize_data_format(data_format)


@keras_op
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """General N-D convolution (1D, 2D or 3D).

    Args:
        inputs: Tensor of rank 3, 4 or 5 (see `max_pool` for the data formats).
        kernel: Tensor `(*kernel_spatial, in_channels / groups, out_channels)`; the number of
            groups is the input channels divided by the kernel's input channels.
        strides: int or tuple. Defaults to 1.
        padding: `"valid"` or `"same"` (Keras's: the extra pixel goes at the end).
        data_format: Defaults to `keras.config.image_data_format()`.
        dilation_rate: int or tuple. Defaults to 1.

    Returns:
        The convolved tensor, in the input's data format.

    Example:
    >>> x = np.ones((1, 5, 5, 3), "float32")
    >>> k = np.ones((3, 3, 3, 8), "float32")
    >>> ops.conv(x, k, padding="same").shape
    torch.Size([1, 5, 5, 8])
    """
    return _conv("conv", to_tensor(inputs), to_tensor(kernel), strides, padding, data_format,
                 dilation_rate)


def _check_depthwise_channels(op, x, kernel, data_format):
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    if channels != kernel.shape[-2]:
        raise ValueError(
            f"`ops.{op}`: the number of input channels must match the kernel's input channels. "
            f"Received: input channels={channels}, kernel input channels={kernel.shape[-2]}, "
            f"data_format='{data_format}'"
        )


@keras_op
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Depthwise convolution: each input channel is convolved with its own filters.

    Args:
        inputs: Tensor of rank 3, 4 or 5 (see `conv`).
        kernel: Tensor `(*kernel_spatial, in_channels, depth_multiplier)`.
        strides, padding, data_format, dilation_rate: As in `conv`.

    Returns:
        Tensor with `in_channels * depth_multiplier` channels.

    Example:
    >>> ops.depthwise_conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3, 2))).shape
    torch.Size([1, 3, 3, 6])
    """
    x, k, padding, data_format = _conv_args("depthwise_conv", inputs, kernel, padding,
                                            data_format)
    _check_depthwise_channels("depthwise_conv", x, k, data_format)
    return _depthwise(x, k, strides, padding, data_format, dilation_rate)


def _depthwise(x, k, strides, padding, data_format, dilation_rate):
    # (*k, in, multiplier) is the grouped kernel (*k, 1, in * multiplier), one group per channel.
    k = k.reshape(*k.shape[:-2], 1, k.shape[-2] * k.shape[-1])
    return _conv("depthwise_conv", x, k, strides, padding, data_format, dilation_rate)


@keras_op
def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """Depthwise convolution followed by a pointwise (1x1) convolution.

    Args:
        inputs: Tensor of rank 3, 4 or 5 (see `conv`).
        depthwise_kernel: Tensor `(*kernel_spatial, in_channels, depth_multiplier)`.
        pointwise_kernel: Tensor `(*ones, in_channels * depth_multiplier, out_channels)`.
        strides, padding, data_format, dilation_rate: As in `conv` (for the depthwise step).

    Example:
    >>> ops.separable_conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3, 2)),
    ...                    np.ones((1, 1, 6, 4))).shape
    torch.Size([1, 3, 3, 4])
    """
    x, dk, padding, data_format = _conv_args("separable_conv", inputs, depthwise_kernel, padding,
                                             data_format)
    _check_depthwise_channels("separable_conv", x, dk, data_format)
    pk = to_tensor(pointwise_kernel)
    mid = _depthwise(x, dk, strides, padding, data_format, dilation_rate)
    return _conv("separable_conv", mid, pk, 1, "valid", data_format, dilation_rate)


@keras_op
def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """Transposed convolution (the gradient of `conv`), 1D, 2D or 3D.

    Args:
        inputs: Tensor of rank 3, 4 or 5 (see `conv`).
        kernel: Tensor `(*kernel_spatial, out_channels, in_channels)`.
        strides: int or tuple. Defaults to 1.
        padding: `"valid"` or `"same"`.
        output_padding: int or tuple, extra size added at the end of each spatial axis; None
            (the default) infers it from `padding` as Keras does.
        data_format: Defaults to `keras.config.image_data_format()`.
        dilation_rate: int or tuple. Defaults to 1.

    Example:
    >>> ops.conv_transpose(np.ones((1, 4, 4, 3)), np.ones((3, 3, 8, 3)), strides=2,
    ...                    padding="same").shape
    torch.Size([1, 8, 8, 8])
    """
    x, k, padding, data_format = _conv_args("conv_transpose", inputs, kernel, padding,
                                            data_format)
    n = x.ndim - 2
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    if channels != k.shape[-1]:
        raise ValueError(
            "`ops.conv_transpose`: the input channels must match the kernel's last axis. "
            f"Received: input channels={channels}, kernel.shape={tuple(k.shape)}, "
            f"data_format='{data_format}'"
        )
    strides = conv_utils.standardize_tuple(strides, n, "strides")
    dilation = conv_utils.standardize_tuple(dilation_rate, n, "dilation_rate")
    if output_padding is not None:
        output_padding = conv_utils.standardize_tuple(output_padding, n, "output_padding",
                                                      allow_zero=True)
    crops = [conv_utils.transpose_crop(k.shape[i], strides[i], dilation[i], padding,
                                       None if output_padding is None else output_padding[i])
             for i in range(n)]
    out = conv_utils.conv_transpose(_first(x, data_format), layouts.to_torch("conv", k), None,
                                    strides, dilation, crops)
    return _last(out, data_format)


@keras_op
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Extracts sliding local blocks from a channels-first batch of images (im2col).

    Args:
        x: Tensor `(N, C, H, W)`.
        kernel_size: int or `(kH, kW)`.
        dilation, padding, stride: int or pairs. Default to 1, 0, 1.

    Returns:
        Tensor `(N, C * kH * kW, L)`, L being the number of blocks.

    Example:
    >>> ops.unfold(np.ones((1, 2, 4, 4)), 2).shape
    torch.Size([1, 8, 9])
    """
    x = to_tensor(x)
    if x.ndim != 4:
        raise ValueError(f"Input must be a 4D tensor. Received: input.shape={tuple(x.shape)}")
    return F.unfold(x, kernel_size, dilation=dilation, padding=padding, stride=stride)


@keras_op
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sums sliding local blocks back into a batch of images (col2im), the inverse of `unfold`.

    Args:
        x: Tensor `(N, C * kH * kW, L)`.
        output_size: int or `(H, W)`.
        kernel_size: int or `(kH, kW)`.
        dilation, padding, stride: int or pairs. Default to 1, 0, 1.

    Returns:
        Tensor `(N, C, H, W)`.

    Example:
    >>> ops.fold(np.ones((1, 8, 9)), 4, 2).shape
    torch.Size([1, 2, 4, 4])
    """
    x = to_tensor(x)
    if x.ndim != 3:
        raise ValueError(f"Input must be a 3D tensor. Received: input.shape={tuple(x.shape)}")
    return F.fold(x, output_size, kernel_size, dilation=dilation, padding=padding, stride=stride)


def _block(block_size, op):
    if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 2:
        raise ValueError(f"`block_size` must be at least 2. Received: block_size={block_size}")
    return block_size


@keras_op
def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves depth into `block_size x block_size` spatial blocks (TensorFlow's order).

    Args:
        x: 4D tensor `(N, H, W, C)` (or `(N, C, H, W)` for "channels_first").
        block_size: int >= 2; `C` must be divisible by `block_size**2`.
        data_format: Defaults to `"channels_last"`.

    Example:
    >>> ops.depth_to_space(np.ones((1, 2, 2, 8)), 2).shape
    torch.Size([1, 4, 4, 2])
    """
    data_format = config.standardize_data_format(data_format)
    b = _block(block_size, "depth_to_space")
    x = to_tensor(x)
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = x.reshape(n, h, w, b, b, c // (b * b)).permute(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h * b, w * b, c // (b * b))
    n, c, h, w = x.shape
    x = x.reshape(n, c // (b * b), b, b, h, w).permute(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (b * b), h * b, w * b)


@keras_op
def space_to_depth(x, block_size, data_format="channels_last"):
    """Moves `block_size x block_size` spatial blocks into depth (the inverse of `depth_to_space`).

    Example:
    >>> ops.space_to_depth(np.ones((1, 4, 4, 2)), 2).shape
    torch.Size([1, 2, 2, 8])
    """
    data_format = config.standardize_data_format(data_format)
    b = _block(block_size, "space_to_depth")
    x = to_tensor(x)
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = x.reshape(n, h // b, b, w // b, b, c).permute(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h // b, w // b, c * b * b)
    n, c, h, w = x.shape
    x = x.reshape(n, c, h // b, b, w // b, b).permute(0, 1, 3, 5, 2, 4)
    return x.reshape(n, c * b * b, h // b, w // b)
