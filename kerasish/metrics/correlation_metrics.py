"""Correlation metrics: Pearson and concordance correlation coefficients, averaged over samples."""

import torch

from kerasish.backend import config
from kerasish.losses.loss import squeeze_or_expand_to_same_rank
from kerasish.metrics.metric import MeanMetricWrapper


def _pair(y_true, y_pred):
    y_pred = torch.as_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(torch.get_default_dtype())
    y_true = torch.as_tensor(y_true, device=y_pred.device).to(y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def pearson_correlation(y_true, y_pred, axis=-1):
    """The Pearson correlation coefficient of `y_true` and `y_pred` along `axis`.

    Example:

    ```python
    pearson_correlation([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    # tensor([1.0000, 0.9934])
    ```
    """
    y_true, y_pred = _pair(y_true, y_pred)
    t = y_true - torch.mean(y_true, dim=axis, keepdim=True)
    p = y_pred - torch.mean(y_pred, dim=axis, keepdim=True)
    # Population standard deviations (Keras's ops.std).
    t = t / torch.std(t, dim=axis, keepdim=True, correction=0)
    p = p / torch.std(p, dim=axis, keepdim=True, correction=0)
    return torch.mean(t * p, dim=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """The concordance correlation coefficient of `y_true` and `y_pred` along `axis`.

    Computed as Keras 3.15 does, whose covariance term centres `y_true` on the mean of `y_pred`.

    Example:

    ```python
    concordance_correlation([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    # tensor([0.9756, 0.9877])
    ```
    """
    y_true, y_pred = _pair(y_true, y_pred)
    true_mean = torch.mean(y_true, dim=axis, keepdim=True)
    pred_mean = torch.mean(y_pred, dim=axis, keepdim=True)
    true_var = torch.var(y_true - true_mean, dim=axis, keepdim=True, correction=0)
    pred_var = torch.var(y_pred - pred_mean, dim=axis, keepdim=True, correction=0)
    covar = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + torch.square(true_mean - pred_mean)
    return torch.mean(2 * covar / (norm + config.epsilon()), dim=axis)


class _CorrelationMetric(MeanMetricWrapper):
    _fn_default = None

    def __init__(self, name=None, dtype=None, axis=-1):
        super().__init__(type(self)._fn_default, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class PearsonCorrelation(_CorrelationMetric):
    """The mean Pearson correlation coefficient (per sample along `axis`) over all updates.

    Args:
        name: the metric's name. Defaults to `"pearson_correlation"`.
        dtype: dtype of the result.
        axis: axis along which the coefficient is computed. Defaults to `-1`.

    Example:

    ```python
    m = PearsonCorrelation()
    m.update_state([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    m.result()  # tensor(0.9967)
    ```
    """

    _fn_default = staticmethod(pearson_correlation)

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(name=name, dtype=dtype, axis=axis)


class ConcordanceCorrelation(_CorrelationMetric):
    """The mean concordance correlation coefficient (per sample along `axis`) over all updates.

    Args:
        name: the metric's name. Defaults to `"concordance_correlation"`.
        dtype: dtype of the result.
        axis: axis along which the coefficient is computed. Defaults to `-1`.

    Example:

    ```python
    m = ConcordanceCorrelation()
    m.update_state([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    m.result()  # tensor(0.9816)
    ```
    """

    _fn_default = staticmethod(concordance_correlation)

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(name=name, dtype=dtype, axis=axis)
