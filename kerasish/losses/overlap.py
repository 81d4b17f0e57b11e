"""Overlap losses for segmentation: Dice and Tversky (1 - a soft overlap score)."""

import torch

from kerasish.backend import config
from kerasish.losses.loss import LossFunctionWrapper

__all__ = ["dice", "tversky", "Dice", "Tversky"]


def _sum(x, axis):
    return torch.sum(x) if axis is None else torch.sum(x, dim=axis)


def _pair(y_true, y_pred):
    y_pred = torch.as_tensor(y_pred)
    return torch.as_tensor(y_true, device=y_pred.device).to(y_pred.dtype), y_pred


def dice(y_true, y_pred, axis=None):
    """`1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)`.

    Args:
        axis: axes the sums run over; `None` (default) sums everything into one scalar.

    Example:

    ```python
    dice(torch.tensor([[1., 0.]]), torch.tensor([[0.8, 0.1]]))
    ```
    """
    y_true, y_pred = _pair(y_true, y_pred)
    intersection = _sum(y_true * y_pred, axis)
    score = 2.0 * intersection / (_sum(y_true, axis) + _sum(y_pred, axis) + config.epsilon())
    return 1.0 - score


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """`1 - TP / (TP + alpha * FP + beta * FN + epsilon)` with soft counts, as Keras defines
    them (`FP = sum((1 - y_pred) * y_true)`, `FN = sum(y_pred * (1 - y_true))`).

    Example:

    >>> y_true = [[1.0, 0.0], [1.0, 1.0]]
    >>> y_pred = [[0.9, 0.2], [0.6, 0.8]]
    >>> kerasish.losses.tversky(torch.tensor(y_true), torch.tensor(y_pred))
    tensor(0.1636)
    """
    y_true, y_pred = _pair(y_true, y_pred)
    intersection = _sum(y_true * y_pred, axis)
    fp = _sum((1.0 - y_pred) * y_true, axis)
    fn = _sum(y_pred * (1.0 - y_true), axis)
    return 1.0 - intersection / (intersection + fp * alpha + fn * beta + config.epsilon())


class Dice(LossFunctionWrapper):
    """Dice loss. Args: `reduction`, `name`, `axis` (defaults to None: all axes), `dtype`.

    Example:

    >>> y_true = [[1.0, 0.0], [1.0, 1.0]]
    >>> y_pred = [[0.9, 0.2], [0.6, 0.8]]
    >>> kerasish.losses.Dice()(y_true, y_pred)
    tensor(0.1636)
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, reduction=reduction, name=name, dtype=dtype, axis=axis)


class Tversky(LossFunctionWrapper):
    """Tversky loss. Args: `alpha` (0.5), `beta` (0.5), `reduction`, `name`, `axis`, `dtype`.

    Example:

    >>> y_true = [[1.0, 0.0], [1.0, 1.0]]
    >>> y_pred = [[0.9, 0.2], [0.6, 0.8]]
    >>> kerasish.losses.Tversky()(y_true, y_pred)
    tensor(0.1636)
    """

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky", axis=None,
                 dtype=None):
        super().__init__(tversky, reduction=reduction, name=name, dtype=dtype, alpha=alpha, beta=beta,
                         axis=axis)
