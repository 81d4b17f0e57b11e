"""Regression metrics: MSE, MAE, RMSE, MAPE, MSLE, cosine similarity, log-cosh error, R^2."""

import torch

from kerasish.losses import losses as _losses
from kerasish.losses.loss import _align, squeeze_or_expand_to_same_rank
from kerasish.metrics.metric import Mean, MeanMetricWrapper, Metric


def cosine_similarity(y_true, y_pred, axis=-1):
    """The cosine similarity along `axis` (1 for equal directions; the loss is its negative).

    Example:

    >>> kerasish.metrics.cosine_similarity(torch.tensor([[0.0, 1.0], [1.0, 1.0]]), torch.tensor([[1.0, 0.0], [1.0, 1.0]]))
    tensor([0.0000, 1.0000])
    """
    return -_losses.cosine_similarity(y_true, y_pred, axis=axis)


class _Wrapper(MeanMetricWrapper):
    _fn_default = None

    def __init__(self, name=None, dtype=None):
        super().__init__(type(self)._fn_default, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanSquaredError(_Wrapper):
    """The mean of `(y_true - y_pred) ** 2`.

    Example:

    ```python
    m = MeanSquaredError()
    m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    m.result()  # tensor(0.25)
    ```
    """

    _fn_default = staticmethod(_losses.mean_squared_error)

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanAbsoluteError(_Wrapper):
    """The mean of `|y_true - y_pred|`.

    Example:

    >>> m = kerasish.metrics.MeanAbsoluteError()
    >>> m.update_state([[1.0, 2.0], [3.0, 4.0]], [[1.0, 3.0], [2.0, 4.0]])
    >>> round(float(m.result()), 4)
    0.5
    """

    _fn_default = staticmethod(_losses.mean_absolute_error)

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanAbsolutePercentageError(_Wrapper):
    """The mean absolute percentage error.

    Example:

    >>> m = kerasish.metrics.MeanAbsolutePercentageError()
    >>> m.update_state([[1.0, 2.0], [3.0, 4.0]], [[1.0, 3.0], [2.0, 4.0]])
    >>> round(float(m.result()), 4)
    20.8333
    """

    _fn_default = staticmethod(_losses.mean_absolute_percentage_error)

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanSquaredLogarithmicError(_Wrapper):
    """The mean squared logarithmic error.

    Example:

    >>> m = kerasish.metrics.MeanSquaredLogarithmicError()
    >>> m.update_state([[1.0, 2.0], [3.0, 4.0]], [[1.0, 3.0], [2.0, 4.0]])
    >>> round(float(m.result()), 4)
    0.0414
    """

    _fn_default = staticmethod(_losses.mean_squared_logarithmic_error)

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class LogCoshError(_Wrapper):
    """The mean log-cosh error. Keras names it `"logcosh"`.

    Example:

    >>> m = kerasish.metrics.LogCoshError()
    >>> m.update_state([[1.0, 2.0], [3.0, 4.0]], [[1.0, 3.0], [2.0, 4.0]])
    >>> round(float(m.result()), 4)
    0.2169
    """

    _fn_default = staticmethod(_losses.log_cosh)

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """The mean cosine similarity. Args: `name`, `dtype`, `axis` (defaults to -1).

    Example:

    >>> m = kerasish.metrics.CosineSimilarity()
    >>> m.update_state([[1.0, 2.0], [3.0, 4.0]], [[1.0, 3.0], [2.0, 4.0]])
    >>> round(float(m.result()), 4)
    0.9869
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class RootMeanSquaredError(Mean):
    """`sqrt(mean((y_true - y_pred) ** 2))` over all updates.

    Example:

    ```python
    m = RootMeanSquaredError()
    m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    m.result()  # tensor(0.5)
    ```
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = _align(y_true, y_pred, cast_targets=True)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(torch.square(y_pred.detach() - y_true), sample_weight=sample_weight)

    def result(self):
        return torch.sqrt(super().result())


class R2Score(Metric):
    """The coefficient of determination, accumulated over updates (inputs `(batch, outputs)`).

    Args:
        class_aggregation: `"uniform_average"` (default), `"variance_weighted_average"` or None
            (one score per output).
        num_regressors: for the adjusted R^2. Defaults to 0 (plain R^2).
        name, dtype: the metric's name and state dtype.

    Example:

    ```python
    m = R2Score()
    m.update_state([[1.], [4.], [3.]], [[2.], [4.], [4.]])
    m.result()  # tensor(0.5714)
    ```
    """

    _AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in self._AGGREGATIONS:
            raise ValueError(f"Invalid value for argument `class_aggregation`. Expected one of "
                             f"{self._AGGREGATIONS}. Received: class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError(f"Invalid value for argument `num_regressors`. Expected a value >= 0. "
                             f"Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError("R2Score expects 2D inputs with shape (batch_size, output_dim). Received: "
                             f"y_pred.shape={tuple(y_pred_shape)}, y_true.shape={tuple(y_true_shape)}")
        n = y_pred_shape[-1]
        self.squared_sum = self.add_variable(shape=(n,), name="squared_sum")
        self.sum = self.add_variable(shape=(n,), name="sum")
        self.total_mse = self.add_variable(shape=(n,), name="residual")
        self.count = self.add_variable(shape=(n,), name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = _align(y_true, y_pred, cast_targets=True)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred.detach())
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        self._follow(y_pred)
        sw = torch.ones((), dtype=y_true.dtype, device=y_true.device) if sample_weight is None else \
            torch.as_tensor(sample_weight, device=y_true.device).to(y_true.dtype)
        if sw.ndim == 1:
            sw = sw.unsqueeze(1)
        sw = torch.broadcast_to(sw, y_true.shape)
        weighted = y_true * sw
        with torch.no_grad():
            self.sum.add_(weighted.sum(0))
            self.squared_sum.add_((y_true * weighted).sum(0))
            self.total_mse.add_((torch.square(y_true - y_pred) * sw).sum(0))
            self.count.add_(sw.sum(0))
            self.num_samples.add_(y_true.numel())

    def result(self):
        mean = self.sum / self.count
        total = self.squared_sum - self.sum * mean
        raw = 1 - self.total_mse / total
        raw = torch.where(torch.isinf(raw), torch.zeros_like(raw), raw)
        if self.class_aggregation == "uniform_average":
            score = torch.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = torch.sum(total * raw) / torch.sum(total)
        else:
            score = raw
        if self.num_regressors:
            # Adjusted R^2; Keras falls back to plain R^2 when n - p - 1 <= 0 (decided on the
            # device here, so reading the result is the only sync).
            n, p = self.num_samples, float(self.num_regressors)
            adjusted = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
            score = torch.where(p < n - 1.0, adjusted, score)
        return score.detach()

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}


