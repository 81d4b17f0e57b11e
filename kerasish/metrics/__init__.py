"""`kerasish.metrics`: stateful metrics and metric functions, by name and by class."""

import inspect as _inspect

from kerasish.metrics.metric import Mean, MeanMetricWrapper, Metric, Reduce, Sum  # noqa: F401
from kerasish.metrics.accuracy_metrics import *  # noqa: F401,F403
from kerasish.metrics import accuracy_metrics as _accuracy
from kerasish.losses.losses import (  # noqa: F401  (loss functions double as metric functions)
    binary_crossentropy, categorical_crossentropy, hinge, kl_divergence, mean_absolute_error,
    mean_absolute_percentage_error, mean_squared_error, mean_squared_logarithmic_error, poisson,
    sparse_categorical_crossentropy, squared_hinge,
)
from kerasish.saving.registry import Registry as _Registry


def _collect(module):
    return {name: obj for name, obj in vars(module).items()
            if not name.startswith("_") and getattr(obj, "__module__", None) == module.__name__
            and (_inspect.isfunction(obj) or (_inspect.isclass(obj) and issubclass(obj, Metric)))}


_OBJECTS = {}
_OBJECTS.update(_collect(_accuracy))
for _fn in (binary_crossentropy, categorical_crossentropy, hinge, kl_divergence, mean_absolute_error,
            mean_absolute_percentage_error, mean_squared_error, mean_squared_logarithmic_error,
            poisson, sparse_categorical_crossentropy, squared_hinge):
    _OBJECTS[_fn.__name__] = _fn
_OBJECTS.update({"Mean": Mean, "Sum": Sum, "MeanMetricWrapper": MeanMetricWrapper, "Metric": Metric})

_ALIASES = {
    "acc": "accuracy", "mse": "mean_squared_error", "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
    "kld": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
    "top_k_accuracy": "top_k_categorical_accuracy",
}
_REGISTRY = _Registry("metric", _OBJECTS, _ALIASES, base=Metric, instantiate=True)

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence


def register(obj, name=None, aliases=()):
    """Adds a metric function or class to the registry (for families defined in other modules)."""
    return _REGISTRY.register(obj, name, aliases)


def get(identifier):
    """A metric from a name, config dict, callable or instance. Names of functions give the function."""
    return _REGISTRY.get(identifier)


def serialize(metric):
    return _REGISTRY.serialize(metric)


def deserialize(config, custom_objects=None):
    return _REGISTRY.deserialize(config, custom_objects)
