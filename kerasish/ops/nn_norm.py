"""Moments and normalizations of `kerasish.ops.nn` (re-exported there), plus `polar`."""

import functools
import warnings

import torch
import torch.nn.functional as F

from kerasish.backend import config, dtypes
from kerasish.ops.convert import to_tensor
from kerasish.ops.dispatch import keras_op


@keras_op
def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and variance of `x` over `axes`.

    Args:
        x: Input tensor.
        axes: int or list of ints, the axes to reduce.
        keepdims: Keep the reduced axes with size 1. Defaults to `False`.
        synchronized: Cross-replica statistics; unsupported on torch (raises).

    Returns:
        `(mean, variance)`.

    Example:
    >>> ops.moments(np.array([1.0, 2.0, 3.0], "float32"), axes=0)
    (tensor(2.), tensor(0.6667))
    """
    if synchronized:
        raise NotImplementedError("Argument synchronized=True is not supported with PyTorch. "
                                  f"Received: synchronized={synchronized}")
    x = to_tensor(x)
    dims = axes if isinstance(axes, int) else tuple(axes)
    half = x.dtype == torch.float16
    if half:  # float16's range is too small for the statistics
        x = x.float()
    mean = torch.mean(x, dim=dims, keepdim=True)
    # E[x^2] - E[x]^2, as Keras computes it (faster than two passes, a little less stable).
    variance = torch.mean(torch.square(x), dim=dims, keepdim=True) - torch.square(mean)
    if not keepdims:
        mean, variance = torch.squeeze(mean, dims), torch.squeeze(variance, dims)
    if half:
        fmax = torch.finfo(torch.float16).max
        mean = torch.clip(mean, -fmax, fmax).half()
        variance = torch.clip(variance, -fmax, fmax).half()
    return mean, variance


@keras_op
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """Normalizes `x` with given statistics: `(x - mean) / sqrt(variance + epsilon) * scale + offset`.

    Args:
        x: Input tensor.
        mean, variance: 1D tensors of the size of `x`'s `axis`.
        axis: The feature axis.
        offset, scale: Optional 1D tensors (beta and gamma).
        epsilon: Added to the variance. Defaults to `1e-3`.

    Example:
    >>> ops.batch_normalization(np.ones((2, 3), "float32"), np.ones(3, "float32"),
    ...                         np.ones(3, "float32"), axis=-1)
    tensor([[0., 0., 0.],
            [0., 0., 0.]])
    """
    x, mean, variance = to_tensor(x), to_tensor(mean), to_tensor(variance)
    shape = [1] * x.ndim
    shape[axis] = mean.shape[0]
    mean, variance = mean.reshape(shape), variance.reshape(shape)
    factor = variance.add(epsilon).rsqrt_()
    if scale is not None:
        factor = factor.mul(to_tensor(scale).reshape(shape))
    out = x.subtract(mean).mul_(factor)
    if offset is not None:
        out = out.add_(to_tensor(offset).reshape(shape))
    return out


def _sorted_axes(axis, ndim):
    axes = [axis] if isinstance(axis, int) else list(axis)
    return sorted(a % ndim for a in axes) if ndim else axes


def _trailing(axes, ndim):
    """Whether `axes` are the last ones (then torch's fused layer_norm / rms_norm kernels apply)."""
    return axes == list(range(ndim - len(axes), ndim))


def _plain_f32(x, *params):
    """A float32 tensor of rank >= 1 with float32 tensor (or absent) parameters."""
    if type(x) is not torch.Tensor or x.dtype != torch.float32 or not x.ndim:
        return False
    return all(p is None or (isinstance(p, torch.Tensor) and p.dtype == torch.float32)
               for p in params)


@functools.lru_cache(maxsize=64)
def _compute_dtype(dtype):
    return dtypes.to_torch_dtype(dtypes.result_type(dtypes.dtype_name(dtype), "float32"))


def _compute(x):
    """`x` in at least float32 (statistics in half precision lose too much), and its dtype."""
    x = to_tensor(x)
    td = _compute_dtype(x.dtype)
    return (x if x.dtype == td else x.to(td)), x.dtype


@keras_op
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Layer normalization: `(x - mean) / sqrt(var + epsilon) * gamma + beta` over `axis`.

    Args:
        x: Input tensor.
        gamma, beta: Optional scale and offset, shaped like the normalized axes.
        axis: int or tuple, the axes to normalize over. Defaults to `-1`.
        epsilon: Added to the variance. Defaults to `keras.config.epsilon()`.

    Example:
    >>> ops.layer_normalization(np.array([[1.0, 3.0]], "float32"))
    tensor([[-1.,  1.]])
    """
    if not kwargs and axis == -1 and _plain_f32(x, gamma, beta):
        # The common call (a float32 tensor, last axis): one fused kernel, no other work.
        return F.layer_norm(x, x.shape[-1:], gamma, beta,
                            config.epsilon() if epsilon is None else epsilon)
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"`ops.layer_normalization` got unexpected arguments. "
                        f"Received: {sorted(kwargs)}")
    if rms_scaling:
        warnings.warn(
            "You passed `rms_scaling=True`, which is deprecated. This argument incorrectly scales "
            "the input by the variance, not the root mean square. To correctly use RMS "
            "Normalization, please use `keras.ops.rms_normalization` / "
            "`keras.ops.nn.rms_normalization` instead."
        )
    epsilon = config.epsilon() if epsilon is None else epsilon
    x, original = _compute(x)
    gamma = None if gamma is None else to_tensor(gamma, dtypes.dtype_name(x.dtype))
    beta = None if beta is None else to_tensor(beta, dtypes.dtype_name(x.dtype))
    nd = x.ndim
    axes = _sorted_axes(axis, nd)
    shape = [x.shape[d] if d in axes else 1 for d in range(nd)]

    def bcast(v):
        return v if v is None or v.ndim == nd or axes == [nd - 1] else v.reshape(shape)

    if rms_scaling:
        out = x * torch.rsqrt(torch.var(x, dim=axes, keepdim=True, correction=0) + epsilon)
        if gamma is not None:
            out = out * bcast(gamma)
    elif _trailing(axes, nd):
        out = F.layer_norm(x, tuple(x.shape[d] for d in axes), gamma, beta, epsilon)
    else:
        mean, variance = moments(x, axes, keepdims=True)
        inv = torch.rsqrt(variance + epsilon)
        if gamma is not None:
            inv = inv * bcast(gamma)
        res = -mean * inv
        if beta is not None:
            res = res + bcast(beta)
        out = x * inv + res
    return out if out.dtype == original else out.to(original)


@keras_op
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """Root-mean-square normalization: `x / sqrt(mean(x**2) + epsilon) * scale` over `axis`.

    Args:
        x: Input tensor.
        scale: Optional scale, shaped like the normalized axes.
        axis: int or tuple, the axes to normalize over. Defaults to `-1`.
        epsilon: Defaults to `keras.config.epsilon()`.

    Example:
    >>> ops.rms_normalization(np.array([[3.0, 4.0]], "float32")).shape
    torch.Size([1, 2])
    """
    epsilon = config.epsilon() if epsilon is None else epsilon
    if axis == -1 and _plain_f32(x, scale):
        return F.rms_norm(x, x.shape[-1:], scale, epsilon)
    x, original = _compute(x)
    scale = None if scale is None else to_tensor(scale, dtypes.dtype_name(x.dtype))
    if x.ndim == 0:
        x = x.reshape(1)
    axes = _sorted_axes(axis, x.ndim)
    if _trailing(axes, x.ndim):
        out = F.rms_norm(x, tuple(x.shape[d] for d in axes), scale, epsilon)
    else:
        out = x * torch.rsqrt(torch.mean(torch.square(x), dim=axes, keepdim=True) + epsilon)
        if scale is not None:
            out = out * scale
    return out if out.dtype == original else out.to(original)


@keras_op
def normalize(x, axis=-1, order=2, epsilon=None):
    """Divides `x` by its `order`-norm along `axis` (the norm floored at `epsilon`).

    Args:
        x: Input tensor.
        axis: The axis (or axes) of the norm. Defaults to `-1`.
        order: int >= 1, the norm's order. Defaults to `2`.
        epsilon: The norm's floor. Defaults to `keras.config.epsilon()`.

    Example:
    >>> ops.normalize(np.array([[3.0, 4.0]], "float32"))
    tensor([[0.6000, 0.8000]])
    """
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    x = to_tensor(x)
    if x.ndim == 0:
        x = x.reshape(1)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        inv = torch.rsqrt(torch.sum(torch.square(x), dim=axis, keepdim=True))
        return x * torch.clamp(inv, max=1.0 / epsilon)
    # Keras's norm: floats keep their dtype, other inputs become floatx.
    xf = x if x.is_floating_point() else x.to(dtypes.to_torch_dtype(config.floatx()))
    norm = torch.linalg.norm(xf, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp(norm, min=epsilon)


@keras_op
def polar(abs_, angle):
    """The complex number(s) with magnitude `abs_` and phase `angle` (radians).

    Example:
    >>> ops.polar(np.array([1.0], "float32"), np.array([0.0], "float32"))
    tensor([1.+0.j])
    """
    abs_, angle = to_tensor(abs_), to_tensor(angle)
    real, imag = abs_ * torch.cos(angle), abs_ * torch.sin(angle)
    if real.shape != imag.shape:
        raise ValueError(
            "`ops.polar`: `abs_` and `angle` must give parts of the same shape. "
            f"Received: abs_.shape={tuple(abs_.shape)}, angle.shape={tuple(angle.shape)}"
        )
    if not (real.is_floating_point() and imag.is_floating_point()):
        raise ValueError(f"`ops.polar` needs float inputs. Received: abs_.dtype={abs_.dtype}, "
                         f"angle.dtype={angle.dtype}")
    return torch.complex(real, imag)
