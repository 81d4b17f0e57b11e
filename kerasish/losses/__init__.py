"""`kerasish.losses`: every Keras loss by function name, class name and alias.

`get("mse")` returns the function `mean_squared_error`, `get("MeanSquaredError")` the class (as
Keras does); `compile()` wraps either into a `Loss`.
"""

import inspect as _inspect

from kerasish.losses.loss import (  # noqa: F401
    Loss, LossFunctionWrapper, reduce_weighted_values, squeeze_or_expand_to_same_rank,
)
from kerasish.losses.losses import *  # noqa: F401,F403
from kerasish.losses import circle_loss as _circle
from kerasish.losses import crossentropy as _crossentropy
from kerasish.losses import ctc_loss as _ctc
from kerasish.losses import losses as _losses
from kerasish.losses import overlap as _overlap
from kerasish.saving.registry import Registry as _Registry
from kerasish.backend.symbolic import symbolic_aware as _symbolic_aware

_ALIASES = {
    "mse": "mean_squared_error", "MSE": "mean_squared_error",
    "mae": "mean_absolute_error", "MAE": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error", "MAPE": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error", "MSLE": "mean_squared_logarithmic_error",
    "bce": "binary_crossentropy", "BCE": "binary_crossentropy",
    "kld": "kl_divergence", "KLD": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh", "huber_loss": "huber", "cosine_proximity": "cosine_similarity",
}


def _collect(module):
    return {name: obj for name, obj in vars(module).items()
            if not name.startswith("_") and getattr(obj, "__module__", None) == module.__name__
            and (_inspect.isfunction(obj) or (_inspect.isclass(obj) and issubclass(obj, Loss)))}


_OBJECTS = {}
for _module in (_losses, _crossentropy, _overlap, _ctc, _circle):
    _OBJECTS.update(_collect(_module))
_OBJECTS.pop("l2_normalize", None)
# Loss functions applied to symbolic model tensors become graph ops (Keras 2 VAEs compute
# `binary_crossentropy(inputs, outputs)` for `add_loss`).
for _name, _obj in list(_OBJECTS.items()):
    if _inspect.isfunction(_obj):
        _wrapped = _OBJECTS[_name] = globals()[_name] = _symbolic_aware(_obj)
        # The defining module too, so `kerasish.metrics` re-exports the same function objects.
        for _module in (_losses, _crossentropy, _overlap, _ctc, _circle):
            if getattr(_module, _name, None) is _obj:
                setattr(_module, _name, _wrapped)
_OBJECTS["Loss"] = Loss
_OBJECTS["LossFunctionWrapper"] = LossFunctionWrapper
_REGISTRY = _Registry("loss", _OBJECTS, _ALIASES, base=Loss, instantiate=False)

# Keras 2 / Keras 3 short function names.
mse = MSE = mean_squared_error  # noqa: F405
mae = MAE = mean_absolute_error  # noqa: F405
mape = MAPE = mean_absolute_percentage_error  # noqa: F405
msle = MSLE = mean_squared_logarithmic_error  # noqa: F405
bce = BCE = binary_crossentropy  # noqa: F405
kld = KLD = kullback_leibler_divergence = kl_divergence  # noqa: F405
logcosh = log_cosh  # noqa: F405


def register(obj, name=None, aliases=()):
    """Adds a loss function or class to the registry (for families defined in other modules).

    Example:

    >>> def scaled_mse(y_true, y_pred):
    ...     return 2.0 * keras.losses.mean_squared_error(y_true, y_pred)
    >>> keras.losses.register(scaled_mse)  # doctest: +ELLIPSIS
    <function scaled_mse at ...>
    >>> keras.losses.get("scaled_mse") is scaled_mse
    True
    """
    return _REGISTRY.register(obj, name, aliases)


def get(identifier):
    """A loss from a name (function or class name, or alias), config dict, callable or instance.

    Names resolve to the function (`get("mse")` is `mean_squared_error`) or the class
    (`get("MeanSquaredError")`), as in Keras; an unknown name raises `ValueError` listing close
    matches.

    Args:
        identifier: a string, a `{"class_name": ..., "config": ...}` dict, a callable or a `Loss`.

    Example:

    ```python
    kerasish.losses.get("mse") is kerasish.losses.mean_squared_error  # True
    ```
    """
    return _REGISTRY.get(identifier)


def serialize(loss):
    """A loss as a config dict (a `Loss` instance) or its name (a function).

    Example:

    >>> keras.losses.serialize(keras.losses.mean_squared_error)
    'mean_squared_error'
    >>> config = keras.losses.serialize(keras.losses.Huber(delta=2.0))
    >>> config["class_name"], config.get("config").get("delta")
    ('Huber', 2.0)
    """
    return _REGISTRY.serialize(loss)


def deserialize(config, custom_objects=None):
    """The inverse of `serialize`.

    Example:

    >>> loss = keras.losses.deserialize(keras.losses.serialize(keras.losses.Huber(delta=2.0)))
    >>> type(loss).__name__, loss.get_config()["delta"]
    ('Huber', 2.0)
    """
    return _REGISTRY.deserialize(config, custom_objects)
