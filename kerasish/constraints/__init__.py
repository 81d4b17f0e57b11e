"""Weight constraints applied after each optimizer step: `max_norm`, `non_neg`, `unit_norm`,
`min_max_norm`. Axes refer to the Keras layout of the weight."""

import torch

from kerasish.backend import config
from kerasish.saving.registry import Registry


class Constraint:
    """Base class: `__call__(weight)` returns the projected weight.

    Example:

    >>> class Clip(kerasish.constraints.Constraint):
    ...     def __call__(self, w):
    ...         return w.clamp(-1.0, 1.0)
    >>> Clip()(torch.tensor([-3.0, 0.5, 2.0]))
    tensor([-1.0000,  0.5000,  1.0000])
    """

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _norms(w, axis):
    return torch.sqrt(torch.sum(torch.square(w), dim=axis, keepdim=True))


class MaxNorm(Constraint):
    """Constrains the weights incident to each hidden unit to a norm of at most `max_value`.

    Applied after each optimizer step: `w * clip(norm, 0, max_value) / (epsilon + norm)`.

    Args:
        max_value: the largest allowed norm. Defaults to `2`.
        axis: the axis (or axes) along which norms are taken, in the Keras layout of the weight
            (`0` for a `Dense` kernel's input axis, `[0, 1, 2]` for a `Conv2D` kernel). Defaults to `0`.

    Example:

    >>> w = torch.tensor([[3.0, 0.0], [4.0, 1.0]])
    >>> kerasish.constraints.MaxNorm(max_value=2.5)(w)
    tensor([[1.5000, 0.0000],
            [2.0000, 1.0000]])
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = torch.clamp(norms, 0, self.max_value)
        return w * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Constrains the weights to be non-negative (negative entries become 0).

    Example:

    >>> kerasish.constraints.NonNeg()(torch.tensor([-1.0, 0.5, 2.0]))
    tensor([-0.0000, 0.5000, 2.0000])
    """

    def __call__(self, w):
        return w * (w >= 0).to(w.dtype)


class UnitNorm(Constraint):
    """Constrains the weights incident to each hidden unit to unit norm.

    Args:
        axis: the axis (or axes) along which norms are taken, in the Keras layout of the weight
            (`0` for a `Dense` kernel's input axis, `[0, 1, 2]` for a `Conv2D` kernel). Defaults to `0`.

    Example:

    >>> w = torch.tensor([[3.0, 0.0], [4.0, 1.0]])
    >>> kerasish.constraints.UnitNorm()(w)
    tensor([[0.6000, 0.0000],
            [0.8000, 1.0000]])
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (config.epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Constrains the weights incident to each hidden unit to a norm between `min_value`
    and `max_value`, moving them `rate` of the way there at each step.

    Args:
        min_value: the smallest allowed norm. Defaults to `0.0`.
        max_value: the largest allowed norm. Defaults to `1.0`.
        rate: the fraction of the way to the clipped norm taken per step (`1.0`: all of
            it). Defaults to `1.0`.
        axis: the axis (or axes) along which norms are taken, in the Keras layout of the weight
            (`0` for a `Dense` kernel's input axis, `[0, 1, 2]` for a `Conv2D` kernel). Defaults to `0`.

    Example:

    >>> w = torch.tensor([[3.0, 0.0], [4.0, 1.0]])
    >>> kerasish.constraints.MinMaxNorm(min_value=1.0, max_value=2.0)(w)
    tensor([[1.2000, 0.0000],
            [1.6000, 1.0000]])
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = self.rate * torch.clamp(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return w * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm
maxnorm, nonneg, unitnorm = MaxNorm, NonNeg, UnitNorm  # Keras 1/2 spellings

_REGISTRY = Registry(
    "constraint",
    {c.__name__: c for c in (MaxNorm, NonNeg, UnitNorm, MinMaxNorm)},
    {"max_norm": "MaxNorm", "non_neg": "NonNeg", "unit_norm": "UnitNorm",
     "min_max_norm": "MinMaxNorm", "maxnorm": "MaxNorm", "nonneg": "NonNeg", "unitnorm": "UnitNorm"},
    base=Constraint,
)


def get(identifier):
    """The constraint for an identifier: a name, a config dict, a callable, an instance or `None`.

    Args:
        identifier: `"max_norm"`, `"non_neg"`, `"unit_norm"`, `"min_max_norm"` (or Keras's
            class names and Keras 1/2 spellings), a `{"class_name", "config"}` dict, a callable or `None`.

    Returns:
        A `Constraint` (or the callable itself; `None` for `None`).

    Raises:
        ValueError: for an unknown name, listing the closest valid ones.

    Example:

    >>> type(kerasish.constraints.get("non_neg")).__name__
    'NonNeg'
    >>> kerasish.constraints.get({"class_name": "MaxNorm", "config": {"max_value": 3}}).max_value
    3
    """
    return _REGISTRY.get(identifier)


def serialize(constraint):
    """The config dict of a constraint (`deserialize` rebuilds it).

    Args:
        constraint: a `Constraint` instance.

    Returns:
        A dict with `"module"`, `"class_name"`, `"config"` and `"registered_name"`.

    Example:

    >>> kerasish.constraints.serialize(kerasish.constraints.MaxNorm(3))["config"]
    {'max_value': 3, 'axis': 0}
    """
    return _REGISTRY.serialize(constraint)


def deserialize(config, custom_objects=None):
    """A constraint rebuilt from its config dict (the inverse of `serialize`).

    Args:
        config: a dict from `serialize` (or a name).
        custom_objects: optional dict of names to custom constraint classes.

    Returns:
        A `Constraint` instance.

    Example:

    >>> kerasish.constraints.deserialize(kerasish.constraints.serialize(kerasish.constraints.UnitNorm(axis=1))).axis
    1
    """
    return _REGISTRY.deserialize(config, custom_objects)
