"""Every Keras activation, by name (`activations.get("relu")`) and as a function.

`softmax` and `sigmoid` remember their input (the logits) on the output tensor, so that a
crossentropy loss computed on probabilities can use the numerically stable logits form; see
docs/numerics.md.
"""

import torch
import torch.nn.functional as F

from kerasish.backend.nn_ops import relu_with_options
from kerasish.ops import nn as _nn, numpy as _np
from kerasish.ops.convert import to_tensor as _to_tensor
from kerasish.saving.registry import Registry


def _tag_logits(out, logits, kind):
    # The crossentropy losses read these to take the stable log-softmax / log-sigmoid path;
    # `kind` says which, so a softmax output never meets a sigmoid crossentropy's logits path.
    out._keras_logits = logits
    out._keras_logits_kind = kind
    return out


def linear(x):
    """Linear (identity) activation: returns `x` unchanged.

    Args:
        x: Input tensor.

    Returns:
        `x` itself.

    Example:

    >>> kerasish.activations.linear(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-2.0000, -0.5000,  0.0000,  1.0000,  3.0000])
    """
    return x


# Each activation is the op of the same name in `kerasish.ops` (one implementation); what is added
# here is Keras's activation-level defaults (`gelu(approximate=False)`, relu's options) and the
# logits tag of `sigmoid` / `softmax`.


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit: `max(x, 0)` by default, with Keras's options.

    Args:
        x: Input tensor.
        negative_slope: slope below `threshold`. Defaults to `0.0`.
        max_value: upper bound of the output. Defaults to `None` (no bound).
        threshold: values below it are damped (`negative_slope`) or zeroed. Defaults to `0.0`.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.relu(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([0., 0., 0., 1., 3.])
    >>> kerasish.activations.relu(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]), negative_slope=0.5, max_value=2.0)
    tensor([-1.0000, -0.2500,  0.0000,  1.0000,  2.0000])
    """
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        # A torch tensor needs no dispatch or conversion: every Dense(activation="relu") call.
        return torch.relu(x) if type(x) is torch.Tensor else _nn.relu(x)
    return relu_with_options(_to_tensor(x), negative_slope, max_value, threshold)


def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.relu6(torch.tensor([-1.0, 3.0, 8.0]))
    tensor([0., 3., 6.])
    """
    return _nn.relu6(x)


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` where positive, `negative_slope * x` elsewhere.

    Args:
        x: Input tensor.
        negative_slope: slope of the negative part. Defaults to `0.2`.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.leaky_relu(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-0.4000, -0.1000,  0.0000,  1.0000,  3.0000])
    """
    return _nn.leaky_relu(x, negative_slope)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` where positive, `alpha * (exp(x) - 1)` elsewhere.

    Args:
        x: Input tensor.
        alpha: scale of the negative part. Defaults to `1.0`.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.elu(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-0.8647, -0.3935,  0.0000,  1.0000,  3.0000])
    """
    return _nn.elu(x, alpha)


def selu(x):
    """Scaled exponential linear unit: `scale * elu(x, alpha)` with `alpha=1.67326324` and
    `scale=1.05070098` (Klambauer et al., 2017); pair it with `lecun_normal` initialization.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.selu(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-1.5202, -0.6918,  0.0000,  1.0507,  3.1521])
    """
    return _nn.selu(x)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`.

    Args:
        x: Input tensor.
        alpha: scale of the negative part. Defaults to `1.0`.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.celu(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]), alpha=2.0)
    tensor([-1.2642, -0.4424,  0.0000,  1.0000,  3.0000])
    """
    return _nn.celu(x, alpha)


def gelu(x, approximate=False):
    """Gaussian error linear unit: `x * P(X <= x)` for a standard normal `X`.

    Args:
        x: Input tensor.
        approximate: use the tanh approximation. Defaults to `False` (the exact erf form).

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.gelu(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-0.0455, -0.1543,  0.0000,  0.8413,  2.9959])
    >>> kerasish.activations.gelu(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]), approximate=True)
    tensor([-0.0454, -0.1543,  0.0000,  0.8412,  2.9964])
    """
    return _nn.gelu(x, approximate)


def sigmoid(x):
    """Sigmoid: `1 / (1 + exp(-x))`.

    The output remembers its input, so a `binary_crossentropy` on it uses the stable
    logits form (see docs/numerics.md).

    Args:
        x: Input tensor.

    Returns:
        A tensor of values in `(0, 1)`, the shape of `x`.

    Example:

    >>> kerasish.activations.sigmoid(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([0.1192, 0.3775, 0.5000, 0.7311, 0.9526])
    """
    x = _to_tensor(x)
    return _tag_logits(_nn.sigmoid(x), x, "sigmoid")


def sparse_sigmoid(x):
    """0 for `x <= -1`, `0.5 * (x + 1)` between, 1 for `x >= 1` (Blondel et al., 2019).

    Example:

    >>> kerasish.activations.sparse_sigmoid(torch.tensor([-2.0, 0.0, 0.5, 2.0]))
    tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    return _nn.sparse_sigmoid(x)


def hard_sigmoid(x):
    """Hard sigmoid, a piecewise-linear sigmoid: `relu6(x + 3) / 6` (Keras 3's form).

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.hard_sigmoid(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([0.1667, 0.4167, 0.5000, 0.6667, 1.0000])
    """
    # Keras 3: relu6(x + 3) / 6.
    return _nn.hard_sigmoid(x)


def hard_silu(x):
    """Hard SiLU (hard swish): `x * relu6(x + 3) / 6`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.hard_silu(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-0.3333, -0.2083,  0.0000,  0.6667,  3.0000])
    """
    return _nn.hard_silu(x)


def silu(x):
    """SiLU (swish): `x * sigmoid(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.silu(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-0.2384, -0.1888,  0.0000,  0.7311,  2.8577])
    """
    return _nn.silu(x)


def mish(x):
    """Mish: `x * tanh(softplus(x))` (Misra, 2019).

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.mish(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-0.2525, -0.2207,  0.0000,  0.8651,  2.9865])
    """
    # Keras's mish, x * tanh(softplus(x)), has no op of its own.
    return F.mish(_to_tensor(x))


def tanh(x):
    """Hyperbolic tangent.

    Args:
        x: Input tensor.

    Returns:
        A tensor of values in `(-1, 1)`, the shape of `x`.

    Example:

    >>> kerasish.activations.tanh(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-0.9640, -0.4621,  0.0000,  0.7616,  0.9951])
    """
    return _np.tanh(x)


def hard_tanh(x):
    """Hard tanh: `x` clipped to `[-1, 1]`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.hard_tanh(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-1.0000, -0.5000,  0.0000,  1.0000,  1.0000])
    """
    return _nn.hard_tanh(x)


def softplus(x):
    """Softplus: `log(exp(x) + 1)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.softplus(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([0.1269, 0.4741, 0.6931, 1.3133, 3.0486])
    """
    return _nn.softplus(x)


def softsign(x):
    """Softsign: `x / (abs(x) + 1)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.softsign(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-0.6667, -0.3333,  0.0000,  0.5000,  0.7500])
    """
    return _nn.softsign(x)


def exponential(x):
    """Exponential activation: `exp(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.exponential(torch.tensor([0.0, 1.0]))
    tensor([1.0000, 2.7183])
    """
    return _np.exp(x)


def log_sigmoid(x):
    """Logarithm of the sigmoid: `-softplus(-x)`, computed stably.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.log_sigmoid(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-2.1269, -0.9741, -0.6931, -0.3133, -0.0486])
    """
    return _nn.log_sigmoid(x)


def tanh_shrink(x):
    """Tanh shrink: `x - tanh(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.tanh_shrink(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-1.0360, -0.0379,  0.0000,  0.2384,  2.0049])
    """
    return _nn.tanh_shrink(x)


def soft_shrink(x, threshold=0.5):
    """Soft shrinkage: `x - threshold` above `threshold`, `x + threshold` below
    `-threshold`, 0 between.

    Args:
        x: Input tensor.
        threshold: half-width of the zeroed band. Defaults to `0.5`.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.soft_shrink(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-1.5000, -0.0000,  0.0000,  0.5000,  2.5000])
    """
    return _nn.soft_shrink(x, threshold)


def hard_shrink(x, threshold=0.5):
    """Hard shrinkage: `x` where `abs(x) > threshold`, 0 elsewhere.

    Args:
        x: Input tensor.
        threshold: half-width of the zeroed band. Defaults to `0.5`.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.hard_shrink(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([-2.,  0.,  0.,  1.,  3.])
    """
    return _nn.hard_shrink(x, threshold)


def squareplus(x, b=4):
    """Squareplus: `(x + sqrt(x ** 2 + b)) / 2`, a smooth ReLU (So, 2021).

    Args:
        x: Input tensor.
        b: smoothness; `b=0` gives ReLU. Defaults to `4`.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.squareplus(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([0.4142, 0.7808, 1.0000, 1.6180, 3.3028])
    """
    return _nn.squareplus(x, b)


def sparse_plus(x):
    """SparsePlus: 0 for `x <= -1`, `(x + 1) ** 2 / 4` between, `x` for `x >= 1`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.sparse_plus(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]))
    tensor([0.0000, 0.0625, 0.2500, 1.0000, 3.0000])
    """
    return _nn.sparse_plus(x)


def threshold(x, threshold, default_value):
    """Thresholding: `x` where `x > threshold`, `default_value` elsewhere.

    Args:
        x: Input tensor.
        threshold: the value `x` must exceed to be kept.
        default_value: the value put in place of the others.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.threshold(torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0]), 0.5, -1.0)
    tensor([-1., -1., -1.,  1.,  3.])
    """
    return _nn.threshold(x, threshold, default_value)


def glu(x, axis=-1):
    """Gated linear unit: splits `x` in halves `a, b` along `axis` and returns `a * sigmoid(b)`.

    Args:
        x: Input tensor. Its size along `axis` must be even.
        axis: the axis to split. Defaults to `-1`.

    Returns:
        A tensor with half the size of `x` along `axis`.

    Example:

    >>> kerasish.activations.glu(torch.tensor([[1.0, 2.0, 0.0, 100.0]]))
    tensor([[0.5000, 2.0000]])
    """
    return _nn.glu(x, axis)


def softmax(x, axis=-1):
    """Softmax: `exp(x) / sum(exp(x))` along `axis`.

    Over the last axis, the output remembers its input, so a `categorical_crossentropy` on it
    uses the stable logits form (see docs/numerics.md).

    Args:
        x: Input tensor.
        axis: the axis (or tuple of axes) to normalize over. Defaults to `-1`.

    Returns:
        A tensor of the shape of `x` whose values along `axis` sum to 1.

    Example:

    >>> kerasish.activations.softmax(torch.tensor([[1.0, 2.0, 3.0]]))
    tensor([[0.0900, 0.2447, 0.6652]])
    """
    x = _to_tensor(x)
    out = _nn.softmax(x, axis)
    if isinstance(axis, int) and (axis == -1 or axis == x.ndim - 1):
        return _tag_logits(out, x, "softmax")
    return out


def log_softmax(x, axis=-1):
    """Log-softmax: `x - log(sum(exp(x)))` along `axis`, computed stably.

    Args:
        x: Input tensor.
        axis: the axis to normalize over. Defaults to `-1`.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> kerasish.activations.log_softmax(torch.tensor([[1.0, 2.0, 3.0]]))
    tensor([[-2.4076, -1.4076, -0.4076]])
    """
    return _nn.log_softmax(x, axis)


def sparsemax(x, axis=-1):
    """The Euclidean projection of `x` onto the probability simplex (Martins & Astudillo, 2016).

    Not `ops.sparsemax`, on purpose: Keras 3.15's sparsemax (every backend) puts the sum of all
    the support's cumulative sums into the threshold, so its rows need not sum to 1 (they can be
    all zeros); `ops.sparsemax` keeps Keras's numbers, the activation is the projection.

    Example:

    >>> kerasish.activations.sparsemax(torch.tensor([[1.0, 0.8, -1.0]]))
    tensor([[0.6000, 0.4000, 0.0000]])
    """
    z = _to_tensor(x).movedim(axis, -1)
    z_sorted = torch.sort(z, dim=-1, descending=True)[0]
    k = torch.arange(1, z.shape[-1] + 1, device=z.device, dtype=z.dtype)
    cumsum = z_sorted.cumsum(-1)
    support = (1 + k * z_sorted) > cumsum
    k_z = support.sum(-1, keepdim=True).clamp(min=1)
    tau = (torch.gather(cumsum, -1, k_z - 1) - 1) / k_z.to(z.dtype)
    return torch.clamp(z - tau, min=0).movedim(-1, axis)


swish = silu
hard_swish = hard_silu

_ALL = [
    linear, relu, relu6, leaky_relu, elu, selu, celu, gelu, sigmoid, hard_sigmoid, hard_silu,
    silu, mish, tanh, hard_tanh, softplus, softsign, exponential, log_sigmoid, tanh_shrink,
    soft_shrink, hard_shrink, squareplus, sparse_plus, threshold, glu, softmax, log_softmax,
    sparsemax, sparse_sigmoid,
]
_ALIASES = {"swish": "silu", "hard_swish": "hard_silu"}

_REGISTRY = Registry("activation", {f.__name__: f for f in _ALL}, _ALIASES, instantiate=False)


def get(identifier):
    """The activation function for a name, a callable or None (`linear`).

    Example:

    >>> kerasish.activations.get("relu")(torch.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """
    if identifier is None:
        return linear
    if isinstance(identifier, dict) and identifier.get("class_name") == "function":
        identifier = identifier["config"]
    fn = _REGISTRY.get(identifier)
    if fn is not None and not callable(fn):
        raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")
    # A layer instance (e.g. `activation=LeakyReLU()`) is callable and used as it is.
    return fn


def serialize(activation):
    """The name of a built-in activation (what Keras writes in configs), or the config of a
    custom one.

    Args:
        activation: a function from `kerasish.activations`, or a layer/callable.

    Returns:
        A string (or a config dict).

    Example:

    >>> kerasish.activations.serialize(kerasish.activations.relu)
    'relu'
    """
    name = getattr(activation, "__name__", None)
    if name in _REGISTRY.objects:
        return name
    if hasattr(activation, "get_config"):
        return _REGISTRY.serialize(activation)
    return name or str(activation)


def deserialize(config, custom_objects=None):
    """The activation function for a name or config (the inverse of `serialize`).

    Args:
        config: a name such as `"relu"` or a config dict.
        custom_objects: optional dict of names to custom activations.

    Returns:
        A callable.

    Example:

    >>> kerasish.activations.deserialize("tanh")(torch.tensor([0.0]))
    tensor([0.])
    """
    return _REGISTRY.get(config, custom_objects)


