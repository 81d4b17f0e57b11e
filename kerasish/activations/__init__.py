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
    return x


# Each activation is the op of the same name in `kerasish.ops` (one implementation); what is added
# here is Keras's activation-level defaults (`gelu(approximate=False)`, relu's options) and the
# logits tag of `sigmoid` / `softmax`.


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return _nn.relu(x)
    return relu_with_options(_to_tensor(x), negative_slope, max_value, threshold)


def relu6(x):
    return _nn.relu6(x)


def leaky_relu(x, negative_slope=0.2):
    return _nn.leaky_relu(x, negative_slope)


def elu(x, alpha=1.0):
    return _nn.elu(x, alpha)


def selu(x):
    return _nn.selu(x)


def celu(x, alpha=1.0):
    return _nn.celu(x, alpha)


def gelu(x, approximate=False):
    return _nn.gelu(x, approximate)


def sigmoid(x):
    x = _to_tensor(x)
    return _tag_logits(_nn.sigmoid(x), x, "sigmoid")


def sparse_sigmoid(x):
    """0 for `x <= -1`, `0.5 * (x + 1)` between, 1 for `x >= 1` (Blondel et al., 2019)."""
    return _nn.sparse_sigmoid(x)


def hard_sigmoid(x):
    # Keras 3: relu6(x + 3) / 6.
    return _nn.hard_sigmoid(x)


def hard_silu(x):
    return _nn.hard_silu(x)


def silu(x):
    return _nn.silu(x)


def mish(x):
    # Keras's mish, x * tanh(softplus(x)), has no op of its own.
    return F.mish(_to_tensor(x))


def tanh(x):
    return _np.tanh(x)


def hard_tanh(x):
    return _nn.hard_tanh(x)


def softplus(x):
    return _nn.softplus(x)


def softsign(x):
    return _nn.softsign(x)


def exponential(x):
    return _np.exp(x)


def log_sigmoid(x):
    return _nn.log_sigmoid(x)


def tanh_shrink(x):
    return _nn.tanh_shrink(x)


def soft_shrink(x, threshold=0.5):
    return _nn.soft_shrink(x, threshold)


def hard_shrink(x, threshold=0.5):
    return _nn.hard_shrink(x, threshold)


def squareplus(x, b=4):
    return _nn.squareplus(x, b)


def sparse_plus(x):
    return _nn.sparse_plus(x)


def threshold(x, threshold, default_value):
    return _nn.threshold(x, threshold, default_value)


def glu(x, axis=-1):
    return _nn.glu(x, axis)


def softmax(x, axis=-1):
    x = _to_tensor(x)
    out = _nn.softmax(x, axis)
    if isinstance(axis, int) and (axis == -1 or axis == x.ndim - 1):
        return _tag_logits(out, x, "softmax")
    return out


def log_softmax(x, axis=-1):
    return _nn.log_softmax(x, axis)


def sparsemax(x, axis=-1):
    """The Euclidean projection of `x` onto the probability simplex (Martins & Astudillo, 2016).

    Not `ops.sparsemax`, on purpose: Keras 3.15's sparsemax (every backend) puts the sum of all
    the support's cumulative sums into the threshold, so its rows need not sum to 1 (they can be
    all zeros); `ops.sparsemax` keeps Keras's numbers, the activation is the projection.
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
    name = getattr(activation, "__name__", None)
    if name in _REGISTRY.objects:
        return name
    if hasattr(activation, "get_config"):
        return _REGISTRY.serialize(activation)
    return name or str(activation)


def deserialize(config, custom_objects=None):
    return _REGISTRY.get(config, custom_objects)


