"""`kerasish.optimizers`: Keras's optimizers, by class and by string id, with Keras's update rules."""

import torch

from kerasish.optimizers import schedules  # noqa: F401
from kerasish.optimizers.adadelta import Adadelta
from kerasish.optimizers.adafactor import Adafactor
from kerasish.optimizers.adagrad import Adagrad
from kerasish.optimizers.adam import Adam
from kerasish.optimizers.adamax import Adamax
from kerasish.optimizers.adamw import AdamW
from kerasish.optimizers.ftrl import Ftrl
from kerasish.optimizers.lamb import Lamb
from kerasish.optimizers.lion import Lion
from kerasish.optimizers.muon import Muon
from kerasish.optimizers.nadam import Nadam
from kerasish.optimizers.optimizer import Optimizer
from kerasish.optimizers.rmsprop import RMSprop
from kerasish.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from kerasish.optimizers.sgd import SGD
from kerasish.saving.registry import Registry as _Registry

_ALL = [SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam, Ftrl, Lion, Adafactor, Lamb,
        Muon, ScheduleFreeAdamW]
# Keras 3's string ids are the lower-cased class names; Keras 2 accepted the class names too.
_ALIASES = {c.__name__.lower(): c.__name__ for c in _ALL}
_REGISTRY = _Registry("optimizer", {c.__name__: c for c in _ALL}, _ALIASES, base=Optimizer)

# Keras exports it as `keras.optimizers.LossScaleOptimizer` too; registered so saved models load.
from kerasish.mixed_precision.loss_scale_optimizer import LossScaleOptimizer  # noqa: E402

_REGISTRY.register(LossScaleOptimizer)

from kerasish.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap  # noqa: E402

_REGISTRY.register(MultiOptimizer)

from kerasish.optimizers import legacy  # noqa: E402

__all__ = ["Optimizer", "get", "serialize", "deserialize", "register", "schedules", "legacy",
           "LossScaleOptimizer", "MultiOptimizer", "OptimizerMap"] + [
    c.__name__ for c in _ALL]


def register(cls, name=None, aliases=()):
    """Adds an `Optimizer` subclass to the registry, so `get(name)` and `deserialize` find it.

    Example:

    >>> class HalfSGD(keras.optimizers.SGD):
    ...     def __init__(self, learning_rate=0.005, **kwargs):
    ...         super().__init__(learning_rate=learning_rate, **kwargs)
    >>> keras.optimizers.register(HalfSGD) is HalfSGD
    True
    >>> type(keras.optimizers.get("HalfSGD")).__name__
    'HalfSGD'
    """
    return _REGISTRY.register(cls, name, aliases)


def get(identifier):
    """An optimizer from a string id (`"rmsprop"`), a config dict or an instance.

    A `torch.optim.Optimizer` instance is returned as it is; `compile()` drives it.

    Example:

    ```python
    import kerasish
    opt = kerasish.optimizers.get("adam")
    ```
    """
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
    """`{"class_name": ..., "config": ...}` for an optimizer, in Keras's form for built-in ones.

    Example:

    >>> config = kerasish.optimizers.serialize(kerasish.optimizers.Adam(learning_rate=0.01))
    >>> config["class_name"]
    'Adam'
    """
    # A legacy optimizer is saved as Keras's class with `is_legacy_optimizer: true` in its config.
    if type(optimizer) in _ALL or type(optimizer) in legacy.CLASSES or \
            type(optimizer) in (LossScaleOptimizer, MultiOptimizer):
        return {"module": "keras.optimizers", "class_name": type(optimizer).__name__,
                "config": optimizer.get_config(), "registered_name": None}
    return _REGISTRY.serialize(optimizer)


def deserialize(config, custom_objects=None):
    """An optimizer from `serialize`'s output (class names in any case, as Keras accepts).

    Example:

    >>> opt = kerasish.optimizers.deserialize(kerasish.optimizers.serialize(kerasish.optimizers.SGD(learning_rate=0.1, momentum=0.9)))
    >>> type(opt).__name__, opt.momentum
    ('SGD', 0.9)
    """
    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        config = dict(config)
        config["class_name"] = _ALIASES.get(config["class_name"].lower(), config["class_name"])
    return _REGISTRY.deserialize(config, custom_objects)
