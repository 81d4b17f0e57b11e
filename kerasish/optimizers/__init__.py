"""`kerasish.optimizers`: Keras's optimizers, by class and by string id, with Keras's update rules."""

from kerasish.optimizers import schedules  # noqa: F401
from kerasish.optimizers.adam import Adam
from kerasish.optimizers.optimizer import Optimizer
from kerasish.optimizers.rmsprop import RMSprop
from kerasish.optimizers.sgd import SGD
from kerasish.saving.registry import Registry as _Registry

_ALL = [SGD, RMSprop, Adam]
_ALIASES = {"sgd": "SGD", "rmsprop": "RMSprop", "adam": "Adam"}
_REGISTRY = _Registry("optimizer", {c.__name__: c for c in _ALL}, _ALIASES, base=Optimizer)


def register(cls, name=None, aliases=()):
    return _REGISTRY.register(cls, name, aliases)


def get(identifier):
    """An optimizer from a string id (`"rmsprop"`), a config dict or an instance.

    A `torch.optim.Optimizer` instance is returned as it is; `compile()` drives it.
    """
    import torch

    if isinstance(identifier, torch.optim.Optimizer):
        return identifier
    opt = _REGISTRY.get(identifier)
    if not isinstance(opt, Optimizer):
        raise ValueError(
            "Could not interpret optimizer identifier: expected a name, a config dict, an Optimizer or "
            f"a torch.optim.Optimizer. Received: optimizer={identifier!r}"
        )
    return opt


def serialize(optimizer):
    return _REGISTRY.serialize(optimizer)


def deserialize(config, custom_objects=None):
    return _REGISTRY.deserialize(config, custom_objects)
