"""`kerasish.ops.nn`: Keras's `keras.ops.nn` ops on torch.

Activations and softmaxes live here; convolutions and pooling in `nn_conv`, losses and encodings
in `nn_losses` and `nn_ctc`, normalizations in `nn_norm`, attention in `nn_attention` (all
re-exported). Each op calls the torch function Keras's torch backend calls, so values, dtypes and
edge cases agree.
"""

import warnings

import torch
import torch.nn.functional as F

from kerasish.ops.convert import to_tensor
from kerasish.ops.dispatch import keras_op
from kerasish.ops.nn_attention import dot_product_attention
from kerasish.ops.nn_conv import (adaptive_average_pool, adaptive_max_pool, average_pool, conv,
                                  conv_transpose, depth_to_space, depthwise_conv, fold, max_pool,
                                  separable_conv, space_to_depth, unfold)
from kerasish.ops.nn_ctc import ctc_decode, ctc_loss
from kerasish.ops.nn_losses import (binary_crossentropy, categorical_crossentropy, multi_hot,
                                    one_hot, psnr, sparse_categorical_crossentropy)
from kerasish.ops.nn_norm import (batch_normalization, layer_normalization, moments, normalize,
                                  polar, rms_normalization)

__all__ = [
    "adaptive_average_pool", "adaptive_max_pool", "average_pool", "batch_normalization",
    "binary_crossentropy", "categorical_crossentropy", "celu", "conv", "conv_transpose",
    "ctc_decode", "ctc_loss", "depth_to_space", "depthwise_conv", "dot_product_attention", "elu",
    "fold", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh",
    "layer_normalization", "leaky_relu", "log_sigmoid", "log_softmax", "max_pool", "moments",
    "multi_hot", "normalize", "one_hot", "polar", "psnr", "relu", "relu6", "rms_normalization",
    "selu", "separable_conv", "sigmoid", "silu", "soft_shrink", "softmax", "softplus", "softsign",
    "space_to_depth", "sparse_categorical_crossentropy", "sparse_plus", "sparse_sigmoid",
    "sparsemax", "squareplus", "swish", "tanh_shrink", "threshold", "unfold",
]


@keras_op
def relu(x):
    """Rectified linear unit: `max(x, 0)`.

    Example:
    >>> ops.relu([-1.0, 0.0, 2.0])
    tensor([0., 0., 2.])
    """
    return F.relu(to_tensor(x))


@keras_op
def relu6(x):
    """Rectified linear unit capped at 6: `min(max(x, 0), 6)`.

    Example:

    >>> ops.relu6(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([0., 0., 1., 3.])
    """
    return F.relu6(to_tensor(x))


@keras_op
def sigmoid(x):
    """Logistic sigmoid: `1 / (1 + exp(-x))`.

    Example:

    >>> ops.sigmoid(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([0.1192, 0.3775, 0.7311, 0.9526])
    """
    return torch.sigmoid(to_tensor(x))


@keras_op
def sparse_sigmoid(x):
    """Piecewise-linear sigmoid: 0 below -1, 1 above 1, `(x + 1) / 2` between.

    Example:

    >>> ops.sparse_sigmoid(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([0.0000, 0.2500, 1.0000, 1.0000])
    """
    x = to_tensor(x)
    zero = torch.tensor(0.0, device=x.device, dtype=x.dtype)
    one = torch.tensor(1.0, device=x.device, dtype=x.dtype)
    return torch.where(x <= -1, zero, torch.where(x >= 1, one, 0.5 * (x + 1)))


@keras_op
def softplus(x):
    """Softplus: `log(exp(x) + 1)`.

    Example:

    >>> ops.softplus(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([0.1269, 0.4741, 1.3133, 3.0486])
    """
    return F.softplus(to_tensor(x))


@keras_op
def softsign(x):
    """Softsign: `x / (abs(x) + 1)`.

    Example:

    >>> ops.softsign(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-0.6667, -0.3333,  0.5000,  0.7500])
    """
    return F.softsign(to_tensor(x))


@keras_op
def soft_shrink(x, threshold=0.5):
    """Soft shrinkage: `x - threshold` above `threshold`, `x + threshold` below `-threshold`, else 0.

    Example:

    >>> ops.soft_shrink(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-1.5000, -0.0000,  0.5000,  2.5000])
    """
    return F.softshrink(to_tensor(x), lambd=threshold)


@keras_op
def sparse_plus(x):
    """SparsePlus: 0 below -1, `(x + 1)**2 / 4` on [-1, 1), `x` above.

    Example:

    >>> ops.sparse_plus(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([0.0000, 0.0625, 1.0000, 3.0000])
    """
    x = to_tensor(x)
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x < 1, 0.25 * (x + 1) ** 2, x))


@keras_op
def silu(x):
    """Sigmoid linear unit (swish): `x * sigmoid(x)`.

    Example:

    >>> ops.silu(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-0.2384, -0.1888,  0.7311,  2.8577])
    """
    return F.silu(to_tensor(x))


swish = silu


@keras_op
def squareplus(x, b=4):
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`.

    Args:
        x: Input tensor.
        b: Smoothness parameter. Defaults to `4`.

    Example:

    >>> ops.squareplus(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([0.4142, 0.7808, 1.6180, 3.3028])
    """
    x = to_tensor(x)
    if not isinstance(b, (int, float, torch.Tensor)):
        b = to_tensor(b)
    return (x + torch.sqrt(x ** 2 + b)) / 2


@keras_op
def log_sigmoid(x):
    """Logarithm of the sigmoid: `-softplus(-x)`.

    Example:

    >>> ops.log_sigmoid(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-2.1269, -0.9741, -0.3133, -0.0486])
    """
    return F.logsigmoid(to_tensor(x))


@keras_op
def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` for positive inputs, `negative_slope * x` otherwise. Defaults to 0.2.

    Example:

    >>> ops.leaky_relu(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-0.4000, -0.1000,  1.0000,  3.0000])
    """
    return F.leaky_relu(to_tensor(x), negative_slope=negative_slope)


@keras_op
def hard_sigmoid(x):
    """Hard sigmoid: `relu6(x + 3) / 6`.

    Example:

    >>> ops.hard_sigmoid(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([0.1667, 0.4167, 0.6667, 1.0000])
    """
    return F.hardsigmoid(to_tensor(x))


@keras_op
def hard_silu(x):
    """Hard SiLU (hard swish): `x * relu6(x + 3) / 6`.

    Example:

    >>> ops.hard_silu(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-0.3333, -0.2083,  0.6667,  3.0000])
    """
    return F.hardswish(to_tensor(x))


hard_swish = hard_silu


@keras_op
def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for positive inputs, `alpha * (exp(x) - 1)` otherwise.

    Example:

    >>> ops.elu(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-0.8647, -0.3935,  1.0000,  3.0000])
    """
    return F.elu(to_tensor(x), alpha)


@keras_op
def selu(x):
    """Scaled exponential linear unit, with Keras's fixed `alpha` and `scale`.

    Example:

    >>> ops.selu(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-1.5202, -0.6918,  1.0507,  3.1521])
    """
    return F.selu(to_tensor(x))


@keras_op
def gelu(x, approximate=True):
    """Gaussian error linear unit.

    Args:
        x: Input tensor.
        approximate: Use the tanh approximation. Defaults to `True`.

    Example:
    >>> ops.gelu([0.0, 1.0])
    tensor([0.0000, 0.8412])
    """
    x = to_tensor(x)
    return F.gelu(x, approximate="tanh") if approximate else F.gelu(x)


@keras_op
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(x, 0) + alpha * min(exp(x / alpha) - 1, 0)`.

    Example:

    >>> ops.celu(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-0.8647, -0.3935,  1.0000,  3.0000])
    """
    return F.celu(to_tensor(x), alpha=alpha)


@keras_op
def glu(x, axis=-1):
    """Gated linear unit: splits `x` in halves `a, b` along `axis` and returns `a * sigmoid(b)`.

    Args:
        x: Input tensor; its size along `axis` must be even.
        axis: The axis to split. Defaults to `-1`.

    Example:

    >>> ops.glu(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-1.4621, -0.4763])
    """
    x = to_tensor(x)
    if x.ndim and x.shape[axis] % 2:
        raise ValueError(
            "`ops.glu` needs an even size along `axis` to split it in halves. "
            f"Received: x.shape={tuple(x.shape)}, axis={axis}"
        )
    return F.glu(x, dim=axis)


@keras_op
def tanh_shrink(x):
    """Tanh shrink: `x - tanh(x)`.

    Example:

    >>> ops.tanh_shrink(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-1.0360, -0.0379,  0.2384,  2.0049])
    """
    return F.tanhshrink(to_tensor(x))


@keras_op
def hard_tanh(x):
    """Hard tanh: `x` clipped to [-1, 1].

    Example:

    >>> ops.hard_tanh(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-1.0000, -0.5000,  1.0000,  1.0000])
    """
    return F.hardtanh(to_tensor(x), min_val=-1.0, max_val=1.0)


@keras_op
def hard_shrink(x, threshold=0.5):
    """Hard shrinkage: `x` where `|x| > threshold`, else 0.

    Example:

    >>> ops.hard_shrink(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-2.,  0.,  1.,  3.])
    """
    return F.hardshrink(to_tensor(x), lambd=threshold)


@keras_op
def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`.

    Args:
        x: Input tensor.
        threshold: The value below or at which entries are replaced.
        default_value: The replacement.

    Example:

    >>> ops.threshold(ops.convert_to_tensor([-2.0, -0.5, 0.0, 1.0, 3.0]), 0.5, -1.0)
    tensor([-1., -1., -1.,  1.,  3.])
    """
    return F.threshold(to_tensor(x), threshold, default_value)


def _over_axes(fn, x, axis):
    """Applies the last-axis function `fn` jointly over the axes in the tuple `axis`."""
    nd = x.ndim
    axes = tuple(sorted(a % nd for a in axis))
    keep = [d for d in range(nd) if d not in axes]
    moved = x.permute(*keep, *axes)
    out = fn(moved.reshape(*moved.shape[:len(keep)], -1)).reshape(moved.shape)
    order = keep + list(axes)
    return out.permute(*sorted(range(nd), key=order.__getitem__))


def _softmax_like(fn, x, axis):
    x = to_tensor(x)
    dtype = x.dtype
    # As in Keras's torch backend: CPU kernels lack float16, so compute in float32 there.
    if dtype == torch.float16 and x.device.type == "cpu":
        x = x.float()
    if axis is None:
        out = fn(x.reshape(-1), -1).reshape(x.shape)
    elif isinstance(axis, (tuple, list)):
        out = _over_axes(lambda v: fn(v, -1), x, axis)
    else:
        out = fn(x, axis)
    return out if out.dtype == dtype else out.to(dtype)


@keras_op
def softmax(x, axis=-1):
    """Softmax along `axis` (an int, a tuple of axes taken jointly, or None for all axes).

    Args:
        x: Input tensor.
        axis: The axis or axes to normalize over. Defaults to `-1`.

    Example:
    >>> ops.softmax([1.0, 1.0])
    tensor([0.5000, 0.5000])
    """
    if type(x) is torch.Tensor and type(axis) is int and x.dtype != torch.float16:
        if x.ndim and x.shape[axis] == 1:
            _warn_size_one(x, axis)
        return torch.softmax(x, axis)  # the fast path: Keras's result, no extra work
    x = to_tensor(x)
    if isinstance(axis, int) and -x.ndim <= axis < x.ndim and x.shape[axis] == 1:
        _warn_size_one(x, axis)
    return _softmax_like(torch.softmax, x, axis)


def _warn_size_one(x, axis):
    warnings.warn(
        f"You are using a softmax over axis {axis} of a tensor of shape {tuple(x.shape)}. This "
        "axis has size 1. The softmax operation will always return the value 1, which is likely "
        "not what you intended. Did you mean to use a sigmoid instead?"
    )


@keras_op
def log_softmax(x, axis=-1):
    """Logarithm of the softmax along `axis` (an int, a tuple of axes, or None for all axes).

    Example:

    >>> ops.log_softmax(ops.convert_to_tensor([-2.0, -0.5, 1.0, 3.0]))
    tensor([-5.1589, -3.6589, -2.1589, -0.1589])
    """
    return _softmax_like(torch.log_softmax, x, axis)


@keras_op
def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex along `axis`.

    Unlike softmax, it can give exact zeros.

    Example:
    >>> ops.sparsemax([1.0, 0.0, -2.0])
    tensor([1., 0., 0.])
    """
    x = to_tensor(x)
    srt = torch.sort(x, dim=axis, descending=True)[0]
    cums = torch.cumsum(srt, dim=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    r = torch.arange(1, x.shape[axis] + 1, device=x.device, dtype=x.dtype).view(shape)
    support = srt - (cums - 1) / r > 0
    k = torch.sum(support, dim=axis, keepdim=True)
    tau = (torch.sum(torch.where(support, cums, 0.0), dim=axis, keepdim=True) - 1) / k
    return torch.clamp(x - tau, min=0.0)
