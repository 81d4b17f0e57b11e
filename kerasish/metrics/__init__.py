"""`kerasish.metrics`: stateful metrics and metric functions, by name and by class.

As in Keras 3, a name resolves to the metric class, instantiated: `get("mse")` and
`get("mean_squared_error")` give a `MeanSquaredError()`, `get("AUC")` an `AUC()`. Names that only
exist as functions (`"huber"`, `"log_cosh"`, ...) give the function. The functions themselves
(`binary_accuracy`, `mean_squared_error`, ...) are attributes of this module.
"""

import inspect as _inspect

from kerasish.metrics.metric import Mean, MeanMetricWrapper, Metric, Reduce, Sum  # noqa: F401
from kerasish.metrics.accuracy_metrics import *  # noqa: F401,F403
from kerasish.metrics.confusion_metrics import (  # noqa: F401
    AUC, FalseNegatives, FalsePositives, Precision, PrecisionAtRecall, Recall, RecallAtPrecision,
    SensitivityAtSpecificity, SpecificityAtSensitivity, TrueNegatives, TruePositives,
)
from kerasish.metrics.correlation_metrics import (  # noqa: F401
    ConcordanceCorrelation, PearsonCorrelation, concordance_correlation, pearson_correlation,
)
from kerasish.metrics.f_score_metrics import F1Score, FBetaScore  # noqa: F401
from kerasish.metrics.iou_metrics import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU  # noqa: F401
from kerasish.metrics.probabilistic_metrics import (  # noqa: F401
    BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, Hinge, KLDivergence, Poisson,
    SparseCategoricalCrossentropy, SquaredHinge,
)
from kerasish.metrics.regression_metrics import (  # noqa: F401
    CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError,
    MeanSquaredLogarithmicError, R2Score, RootMeanSquaredError, cosine_similarity,
)
from kerasish.metrics import accuracy_metrics as _accuracy
from kerasish.losses.losses import (  # noqa: F401  (loss functions double as metric functions)
    binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
    categorical_focal_crossentropy, categorical_hinge, hinge, huber, kl_divergence, log_cosh,
    mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
    mean_squared_logarithmic_error, poisson, sparse_categorical_crossentropy, squared_hinge,
)
from kerasish.saving.registry import Registry as _Registry
from kerasish.utils.naming import to_snake_case as _snake

_CLASSES = [c for c in dict(globals()).values()
            if _inspect.isclass(c) and issubclass(c, Metric)]
_FUNCTIONS = [binary_focal_crossentropy, categorical_focal_crossentropy, huber, log_cosh,
              pearson_correlation, concordance_correlation]
_FUNCTIONS += [f for f in vars(_accuracy).values() if _inspect.isfunction(f) and f.__module__ == _accuracy.__name__
               and not f.__name__.startswith("_")]

_OBJECTS = {f.__name__: f for f in _FUNCTIONS}
_OBJECTS.update({_snake(c.__name__): c for c in _CLASSES})  # classes win, as in Keras 3
_OBJECTS.update({c.__name__: c for c in _CLASSES})

_ALIASES = {
    "acc": "accuracy", "ACC": "accuracy",
    "bce": "binary_crossentropy", "BCE": "binary_crossentropy",
    "mse": "mean_squared_error", "MSE": "mean_squared_error",
    "mae": "mean_absolute_error", "MAE": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error", "MAPE": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error", "MSLE": "mean_squared_logarithmic_error",
    "rmse": "root_mean_squared_error",
    "kld": "kl_divergence", "KLD": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh_error", "auc": "AUC", "iou": "io_u", "mean_iou": "mean_io_u",
    "top_k_accuracy": "top_k_categorical_accuracy",
}
_REGISTRY = _Registry("metric", _OBJECTS, _ALIASES, base=Metric, instantiate=True)

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh


def register(obj, name=None, aliases=()):
    """Adds a metric function or class to the registry (for families defined in other modules).

    Example:

    >>> def mean_prediction(y_true, y_pred):
    ...     return keras.ops.mean(y_pred)
    >>> keras.metrics.register(mean_prediction)  # doctest: +ELLIPSIS
    <function mean_prediction at ...>
    >>> keras.metrics.get("mean_prediction") is mean_prediction
    True
    """
    return _REGISTRY.register(obj, name, aliases)


def get(identifier):
    """A metric from a name, config dict, callable or `Metric` instance.

    Args:
        identifier: a class name (`"AUC"`), its snake-case name (`"mean_squared_error"`), an alias
            (`"mse"`), a `{"class_name": ..., "config": ...}` dict, a function or a `Metric`.

    Returns:
        A `Metric` instance for names of metric classes, else the function.

    Example:

    ```python
    kerasish.metrics.get("mse")  # <MeanSquaredError name=mean_squared_error>
    ```
    """
    return _REGISTRY.get(identifier)


def serialize(metric):
    """A metric as a config dict (a `Metric`) or its name (a function).

    Example:

    >>> keras.metrics.serialize(keras.metrics.AUC(name="auc"))["class_name"]
    'AUC'
    >>> keras.metrics.serialize(keras.metrics.mean_absolute_error)
    'mean_absolute_error'
    """
    return _REGISTRY.serialize(metric)


def deserialize(config, custom_objects=None):
    """The inverse of `serialize`.

    Example:

    >>> metric = keras.metrics.deserialize(keras.metrics.serialize(keras.metrics.AUC(curve="PR")))
    >>> type(metric).__name__, metric.get_config()["curve"]
    ('AUC', 'PR')
    """
    return _REGISTRY.deserialize(config, custom_objects)
