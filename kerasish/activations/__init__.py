"""Every Keras activation, by name (`activations.get("relu")`) and as a function.

`softmax` and `sigmoid` remember their input (the logits) on the output tensor, so that a
crossentropy loss computed on probabilities can use the numerically stable logits form; see
docs/numerics.md.
"""

import torch
import torch.nn.functional as F

from kerasish.backend.nn_ops import relu_with_options
from kerasish.saving.registry import Registry


def _tag_logits(out, logits, kind):
    # The crossentropy losses read these to take the stable log-softmax / log-sigmoid path;
    # `kind` says which, so a softmax output never meets a sigmoid crossentropy's logits path.
    out._keras_logits = logits
    out._keras_logits_kind = kind
    return out


def linear(x):
    return x


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    return relu_with_options(x, negative_slope, max_value, threshold)


def relu6(x):
    return F.relu6(x)


def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(x, negative_slope)


def elu(x, alpha=1.0):
    return F.elu(x, alpha)


def selu(x):
    return F.selu(x)


def celu(x, alpha=1.0):
    return F.celu(x, alpha)


def gelu(x, approximate=False):
    return F.gelu(x, approximate="tanh" if approximate else "none")


def sigmoid(x):
    return _tag_logits(torch.sigmoid(x), x, "sigmoid")


def hard_sigmoid(x):
    # Keras 3: relu6(x + 3) / 6.
    return F.hardsigmoid(x)


def hard_silu(x):
    return F.hardswish(x)


def sparse_sigmoid(x):
    """0 for `x <= -1`, `0.5 * (x + 1)` between, 1 for `x >= 1` (Blondel et al., 2019)."""
    return torch.clamp(0.5 * (x + 1.0), 0.0, 1.0)


def silu(x):
    return F.silu(x)


def mish(x):
    return F.mish(x)


def tanh(x):
    return torch.tanh(x)


def hard_tanh(x):
    return F.hardtanh(x)


def softplus(x):
    return F.softplus(x)


def softsign(x):
    return F.softsign(x)


def exponential(x):
    return torch.exp(x)


def log_sigmoid(x):
    return F.logsigmoid(x)


def tanh_shrink(x):
    return F.tanhshrink(x)


def soft_shrink(x, threshold=0.5):
    return F.softshrink(x, threshold)


def hard_shrink(x, threshold=0.5):
    return F.hardshrink(x, threshold)


def squareplus(x, b=4):
    return (x + torch.sqrt(x * x + b)) / 2


def sparse_plus(x):
    return torch.where(x <= -1, torch.zeros_like(x),
                       torch.where(x >= 1, x, (x + 1) ** 2 / 4))


def threshold(x, threshold, default_value):
    return torch.where(x > threshold, x, torch.full_like(x, default_value))


def glu(x, axis=-1):
    return F.glu(x, dim=axis)


def _axes(axis, ndim):
    return [axis] if isinstance(axis, int) else list(axis)


def softmax(x, axis=-1):
    if isinstance(axis, int):
        out = torch.softmax(x, dim=axis)
        return _tag_logits(out, x, "softmax") if axis == -1 or axis == x.ndim - 1 else out
    # Several axes: softmax over their flattened product.
    dims = sorted(a % x.ndim for a in axis)
    return torch.exp(x - torch.logsumexp(x, dim=dims, keepdim=True))


def log_softmax(x, axis=-1):
    if isinstance(axis, int):
        return F.log_softmax(x, dim=axis)
    return x - torch.logsumexp(x, dim=tuple(axis), keepdim=True)


def sparsemax(x, axis=-1):
    z = x.movedim(axis, -1)
    z_sorted, _ = torch.sort(z, dim=-1, descending=True)
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
    name = getattr(activation, "__name__", None)
    if name in _REGISTRY.objects:
        return name
    if hasattr(activation, "get_config"):
        return _REGISTRY.serialize(activation)
    return name or str(activation)


def deserialize(config, custom_objects=None):
    return _REGISTRY.get(config, custom_objects)


