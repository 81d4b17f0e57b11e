"""Keras's regression, hinge and distribution losses: pure functions of per-sample values (mean or
sum over the last axis) and the thin `Loss` classes around them.

The crossentropies live in `crossentropy.py`, Dice/Tversky in `overlap.py` and CTC in `ctc.py`;
all are re-exported here so `kerasish.losses.losses.<name>` works for every Keras loss.
"""

import math

import torch
import torch.nn.functional as F

from kerasish.backend import config
from kerasish.ops import nn as _ops_nn
from kerasish.losses.loss import LossFunctionWrapper, squeeze_or_expand_to_same_rank


def _float_pair(y_true, y_pred):
    y_pred = torch.as_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(torch.get_default_dtype())
    y_true = torch.as_tensor(y_true, device=y_pred.device).to(y_pred.dtype)
    return y_true, y_pred


def mean_squared_error(y_true, y_pred):
    """Mean of `(y_true - y_pred) ** 2` over the last axis.

    Example:

    ```python
    mean_squared_error(torch.zeros(2, 3), torch.ones(2, 3))  # tensor([1., 1.])
    ```
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_float_pair(y_true, y_pred))
    return torch.mean(torch.square(y_true - y_pred), dim=-1)


def mean_absolute_error(y_true, y_pred):
    """Mean of `|y_true - y_pred|` over the last axis.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.mean_absolute_error(torch.tensor(y_true), torch.tensor(y_pred))
    tensor([0.5000, 0.5000])
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_float_pair(y_true, y_pred))
    return torch.mean(torch.abs(y_true - y_pred), dim=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """`100 * mean(|y_true - y_pred| / max(|y_true|, epsilon))` over the last axis.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.mean_absolute_percentage_error(torch.tensor(y_true), torch.tensor(y_pred))
    tensor([25.0000, 16.6667])
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_float_pair(y_true, y_pred))
    diff = torch.abs((y_true - y_pred) / torch.clamp(torch.abs(y_true), min=config.epsilon()))
    return 100.0 * torch.mean(diff, dim=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """Mean of `(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)) ** 2` over the last axis.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.mean_squared_logarithmic_error(torch.tensor(y_true), torch.tensor(y_pred))
    tensor([0.0414, 0.0414])
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_float_pair(y_true, y_pred))
    eps = config.epsilon()
    first = torch.log(torch.clamp(y_pred, min=eps) + 1.0)
    second = torch.log(torch.clamp(y_true, min=eps) + 1.0)
    return torch.mean(torch.square(first - second), dim=-1)


def l2_normalize(x, axis=-1):
    """`x` divided by its L2 norm along `axis` (a zero vector stays zero, as in Keras).

    Args:
        x: Input tensor.
        axis: the axis to normalize. Defaults to `-1`.

    Returns:
        A tensor of the shape of `x`.

    Example:

    >>> kerasish.losses.l2_normalize(torch.tensor([[3.0, 4.0], [0.0, 0.0]]))
    tensor([[0.6000, 0.8000],
            [0.0000, 0.0000]])
    """
    # Keras multiplies by rsqrt(sum x^2) capped at 1/epsilon, so a zero vector stays zero: that is
    # `ops.normalize`.
    return _ops_nn.normalize(x, axis)


def cosine_similarity(y_true, y_pred, axis=-1):
    """The negative cosine similarity along `axis` (-1 for equal directions, as a loss).

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.cosine_similarity(torch.tensor(y_true), torch.tensor(y_pred))
    tensor([-0.9899, -0.9839])
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_float_pair(y_true, y_pred))
    return -torch.sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), dim=axis)


def huber(y_true, y_pred, delta=1.0):
    """Quadratic for errors up to `delta`, linear beyond; mean over the last axis.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.huber(torch.tensor(y_true), torch.tensor(y_pred))
    tensor([0.2500, 0.2500])
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_float_pair(y_true, y_pred))
    error = y_pred - y_true
    abs_error = torch.abs(error)
    quadratic = 0.5 * torch.square(error)
    linear = delta * abs_error - 0.5 * delta * delta
    return torch.mean(torch.where(abs_error <= delta, quadratic, linear), dim=-1)


def log_cosh(y_true, y_pred):
    """Mean of `log(cosh(y_pred - y_true))` over the last axis, in an overflow-free form.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.log_cosh(torch.tensor(y_true), torch.tensor(y_pred))
    tensor([0.2169, 0.2169])
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_float_pair(y_true, y_pred))
    x = y_pred - y_true
    return torch.mean(x + F.softplus(-2.0 * x) - math.log(2.0), dim=-1)


def _hinge_labels(y_true):
    # Keras maps {0, 1} labels to {-1, 1} only when every label is 0 or 1; `where` decides on the
    # device, so there is no host sync.
    is_binary = torch.all((y_true == 0) | (y_true == 1))
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    """Mean of `max(1 - y_true * y_pred, 0)`; labels in {0, 1} are mapped to {-1, 1}.

    Example:

    >>> y_true = [[0.0, 1.0], [0.0, 0.0]]
    >>> y_pred = [[0.6, 0.4], [0.4, 0.6]]
    >>> kerasish.losses.hinge(torch.tensor(y_true), torch.tensor(y_pred))
    tensor([1.1000, 1.5000])
    """
    y_true, y_pred = _float_pair(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return torch.mean(torch.clamp(1.0 - y_true * y_pred, min=0.0), dim=-1)


def squared_hinge(y_true, y_pred):
    """Mean of `max(1 - y_true * y_pred, 0) ** 2`; labels in {0, 1} are mapped to {-1, 1}.

    Example:

    >>> y_true = [[0.0, 1.0], [0.0, 0.0]]
    >>> y_pred = [[0.6, 0.4], [0.4, 0.6]]
    >>> kerasish.losses.squared_hinge(torch.tensor(y_true), torch.tensor(y_pred))
    tensor([1.4600, 2.2600])
    """
    y_true, y_pred = _float_pair(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return torch.mean(torch.square(torch.clamp(1.0 - y_true * y_pred, min=0.0)), dim=-1)


def categorical_hinge(y_true, y_pred):
    """`max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)` for one-hot targets.

    Example:

    >>> y_true = [[0.0, 1.0], [0.0, 0.0]]
    >>> y_pred = [[0.6, 0.4], [0.4, 0.6]]
    >>> kerasish.losses.categorical_hinge(torch.tensor(y_true), torch.tensor(y_pred))
    tensor([1.2000, 1.6000])
    """
    y_true, y_pred = _float_pair(y_true, y_pred)
    pos = torch.sum(y_true * y_pred, dim=-1)
    neg = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp(neg - pos + 1.0, min=0.0)


def kl_divergence(y_true, y_pred):
    """`sum(y_true * log(y_true / y_pred))`, both clipped to `[epsilon, 1]`.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.kl_divergence(torch.tensor(y_true), torch.tensor(y_pred))
    tensor([0., 0.])
    """
    y_true, y_pred = _float_pair(y_true, y_pred)
    eps = config.epsilon()
    y_true = torch.clamp(y_true, eps, 1.0)
    y_pred = torch.clamp(y_pred, eps, 1.0)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


def poisson(y_true, y_pred):
    """Mean of `y_pred - y_true * log(y_pred + epsilon)` over the last axis.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.poisson(torch.tensor(y_true), torch.tensor(y_pred))
    tensor([ 0.9014, -0.8123])
    """
    y_true, y_pred = _float_pair(y_true, y_pred)
    return torch.mean(y_pred - y_true * torch.log(y_pred + config.epsilon()), dim=-1)


class MeanSquaredError(LossFunctionWrapper):
    """Mean squared error. Args: `reduction`, `name`, `dtype` (see `Loss`).

    Example:

    ```python
    MeanSquaredError()(torch.zeros(2, 3), torch.ones(2, 3))  # tensor(1.)
    ```
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean absolute error. Args: `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.MeanAbsoluteError()(y_true, y_pred)
    tensor(0.5000)
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error. Args: `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.MeanAbsolutePercentageError()(y_true, y_pred)
    tensor(20.8333)
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared logarithmic error. Args: `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.MeanSquaredLogarithmicError()(y_true, y_pred)
    tensor(0.0414)
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity. Args: `axis` (defaults to -1), `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.CosineSimilarity(axis=-1)(y_true, y_pred)
    tensor(-0.9869)
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype, axis=axis)


class Huber(LossFunctionWrapper):
    """Huber loss. Args: `delta` (defaults to 1.0), `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.Huber()(y_true, y_pred)
    tensor(0.2500)
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)


class LogCosh(LossFunctionWrapper):
    """Log-cosh loss. Args: `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.LogCosh()(y_true, y_pred)
    tensor(0.2169)
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)


class Hinge(LossFunctionWrapper):
    """Hinge loss. Args: `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[0.0, 1.0], [0.0, 0.0]]
    >>> y_pred = [[0.6, 0.4], [0.4, 0.6]]
    >>> kerasish.losses.Hinge()(y_true, y_pred)
    tensor(1.3000)
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss. Args: `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[0.0, 1.0], [0.0, 0.0]]
    >>> y_pred = [[0.6, 0.4], [0.4, 0.6]]
    >>> kerasish.losses.SquaredHinge()(y_true, y_pred)
    tensor(1.8600)
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss. Args: `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[0.0, 1.0], [0.0, 0.0]]
    >>> y_pred = [[0.6, 0.4], [0.4, 0.6]]
    >>> kerasish.losses.CategoricalHinge()(y_true, y_pred)
    tensor(1.4000)
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence. Args: `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.KLDivergence()(y_true, y_pred)
    tensor(0.)
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """Poisson loss. Args: `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[1.0, 2.0], [3.0, 4.0]]
    >>> y_pred = [[1.0, 3.0], [2.0, 4.0]]
    >>> kerasish.losses.Poisson()(y_true, y_pred)
    tensor(0.0445)
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)


# Re-exports: every Keras loss is reachable from this module, as in Keras's losses.losses.
from kerasish.losses.crossentropy import *  # noqa: E402,F401,F403
from kerasish.losses.overlap import *  # noqa: E402,F401,F403
from kerasish.losses.ctc_loss import *  # noqa: E402,F401,F403
from kerasish.losses.circle_loss import *  # noqa: E402,F401,F403
