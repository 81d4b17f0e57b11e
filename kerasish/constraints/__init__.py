"""Weight constraints applied after each optimizer step: `max_norm`, `non_neg`, `unit_norm`,
`min_max_norm`. Axes refer to the Keras layout of the weight."""

import torch

from kerasish.backend import config
from kerasish.saving.registry import Registry


class Constraint:
    """Base class: `__call__(weight)` returns the projected weight."""

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
    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = torch.clamp(norms, 0, self.max_value)
        return w * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    def __call__(self, w):
        return w * (w >= 0).to(w.dtype)


class UnitNorm(Constraint):
    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (config.epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
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
    return _REGISTRY.get(identifier)


def serialize(constraint):
    return _REGISTRY.serialize(constraint)


def deserialize(config, custom_objects=None):
    return _REGISTRY.deserialize(config, custom_objects)
