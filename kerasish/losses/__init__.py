"""`kerasish.losses`: every Keras loss by function name, class name and alias."""

import inspect as _inspect

from kerasish.losses.loss import Loss, LossFunctionWrapper, reduce_weighted_values  # noqa: F401
from kerasish.losses.losses import *  # noqa: F401,F403
from kerasish.losses import losses as _losses
from kerasish.saving.registry import Registry as _Registry

_ALIASES = {
    "mse": "mean_squared_error", "MSE": "mean_squared_error",
    "mae": "mean_absolute_error", "MAE": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error", "MAPE": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error", "MSLE": "mean_squared_logarithmic_error",
    "kld": "kl_divergence", "KLD": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
}

_OBJECTS = {name: obj for name, obj in vars(_losses).items()
            if not name.startswith("_") and getattr(obj, "__module__", None) == _losses.__name__
            and (_inspect.isfunction(obj) or (_inspect.isclass(obj) and issubclass(obj, Loss)))}
_OBJECTS["Loss"] = Loss
_OBJECTS["LossFunctionWrapper"] = LossFunctionWrapper
_REGISTRY = _Registry("loss", _OBJECTS, _ALIASES, base=Loss, instantiate=False)

# Keras 2 / Keras 3 short function names.
mse = MSE = mean_squared_error  # noqa: F405
mae = MAE = mean_absolute_error  # noqa: F405
mape = MAPE = mean_absolute_percentage_error  # noqa: F405
msle = MSLE = mean_squared_logarithmic_error  # noqa: F405
kld = KLD = kullback_leibler_divergence = kl_divergence  # noqa: F405


def register(obj, name=None, aliases=()):
    """Adds a loss function or class to the registry (for families defined in other modules)."""
    return _REGISTRY.register(obj, name, aliases)


def get(identifier):
    """A loss from a name (function or class name, or alias), config dict, callable or instance.

    Names resolve to the function (`get("mse")` is `mean_squared_error`), as in Keras.
    """
    return _REGISTRY.get(identifier)


def serialize(loss):
    return _REGISTRY.serialize(loss)


def deserialize(config, custom_objects=None):
    return _REGISTRY.deserialize(config, custom_objects)
