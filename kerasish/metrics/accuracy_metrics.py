"""Accuracy metrics: functions and stateful classes."""

import torch

from kerasish.ops import math as _ops_math

from kerasish.losses.loss import squeeze_or_expand_to_same_rank
from kerasish.metrics.metric import MeanMetricWrapper


def _float(x):
    return x.to(torch.float32)


def accuracy(y_true, y_pred):
    """1.0 where the prediction equals the target exactly, else 0.0 (per element).

    Args:
        y_true: the targets.
        y_pred: the predictions (same values as the targets, e.g. class ids).

    Returns:
        A float32 tensor of matches, the shape of the broadcast inputs.

    Example:

    >>> kerasish.metrics.accuracy(torch.tensor([1, 2, 3]), torch.tensor([1, 0, 3]))
    tensor([1., 0., 1.])
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _float(y_true == y_pred)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where the thresholded prediction equals the binary target, else 0.0.

    Args:
        y_true: the targets. (0 or 1)
        y_pred: the predicted probabilities.
        threshold: a prediction above it counts as 1. Defaults to `0.5`.

    Returns:
        A float32 tensor of matches.

    Example:

    >>> kerasish.metrics.binary_accuracy(torch.tensor([[1.0], [0.0]]), torch.tensor([[0.7], [0.6]]))
    tensor([[1.],
            [0.]])
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    pred = (y_pred > threshold).to(y_true.dtype)
    return _float(y_true == pred)


def categorical_accuracy(y_true, y_pred):
    """1.0 where the predicted class (argmax) is the one-hot target's class, else 0.0.

    Args:
        y_true: the targets. one-hot, `(..., num_classes)`.
        y_pred: the scores, `(..., num_classes)`.

    Returns:
        A float32 tensor of matches, without the class axis.

    Example:

    >>> kerasish.metrics.categorical_accuracy(torch.tensor([[0.0, 1.0], [1.0, 0.0]]), torch.tensor([[0.2, 0.8], [0.3, 0.7]]))
    tensor([1., 0.])
    """
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == y_pred.shape[-1] and y_pred.shape[-1] > 1:
        true_idx = torch.argmax(y_true, dim=-1)
    else:
        true_idx = y_true.reshape(y_pred.shape[:-1]).long()
    return _float(true_idx == torch.argmax(y_pred, dim=-1))


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the predicted class (argmax) is the integer target, else 0.0.

    Args:
        y_true: the targets. class ids, `(...)` or `(..., 1)`.
        y_pred: the scores, `(..., num_classes)`.

    Returns:
        A float32 tensor of matches, without the class axis.

    Example:

    >>> kerasish.metrics.sparse_categorical_accuracy(torch.tensor([1, 0]), torch.tensor([[0.2, 0.8], [0.3, 0.7]]))
    tensor([1., 0.])
    """
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)
    matches = _float(y_true.long() == torch.argmax(y_pred, dim=-1))
    return matches


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot target's class is among the `k` highest scores, else 0.0.

    Args:
        y_true: the targets. one-hot, `(..., num_classes)`.
        y_pred: the scores, `(..., num_classes)`.
        k: how many top scores count. Defaults to `5`.

    Returns:
        A float32 tensor of matches, without the class axis.

    Example:

    >>> kerasish.metrics.top_k_categorical_accuracy(torch.tensor([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]), torch.tensor([[0.1, 0.5, 0.4], [0.05, 0.05, 0.9]]), k=2)
    tensor([1., 1.])
    """
    return sparse_top_k_categorical_accuracy(torch.argmax(y_true, dim=-1), y_pred, k=k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer target is among the `k` highest scores (ties count as hits, as in
    Keras's `in_top_k`); the result has `y_true`'s shape.

    Example:

    >>> kerasish.metrics.sparse_top_k_categorical_accuracy(torch.tensor([2, 1]), torch.tensor([[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]]), k=1)
    tensor([0., 1.])
    """
    shape = y_true.shape
    y_true = y_true.reshape(-1)
    y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    if from_sorted_ids:
        matches = (y_pred[:, :k] == y_true.to(y_pred.dtype).unsqueeze(-1)).any(dim=-1)
    else:
        matches = _ops_math.in_top_k(y_true, y_pred, min(k, y_pred.shape[-1]))
    return _float(matches).reshape(shape)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal the targets exactly: the mean of `accuracy` over all
    updates (weighted by `sample_weight`).

    Args:
        name: the metric's name. Defaults to `"accuracy"`.
        dtype: the dtype of the result. Defaults to `None` (`"float32"`).

    Example:

    >>> m = kerasish.metrics.Accuracy()
    >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    >>> float(m.result())
    0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often thresholded predictions match binary targets: the mean of `binary_accuracy`.

    Args:
        name: the metric's name. Defaults to `"binary_accuracy"`.
        dtype: the dtype of the result. Defaults to `None` (`"float32"`).
        threshold: a prediction above it counts as 1. Defaults to `0.5`.

    Example:

    >>> m = kerasish.metrics.BinaryAccuracy()
    >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    >>> float(m.result())
    0.75
    >>> model = kerasish.Sequential([kerasish.layers.Dense(1, activation="sigmoid")])
    >>> model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=[kerasish.metrics.BinaryAccuracy()])
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of the predictions is the one-hot target's class: the mean of
    `categorical_accuracy`.

    Args:
        name: the metric's name. Defaults to `"categorical_accuracy"`.
        dtype: the dtype of the result. Defaults to `None` (`"float32"`).

    Example:

    >>> m = kerasish.metrics.CategoricalAccuracy()
    >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of the predictions is the integer target: the mean of
    `sparse_categorical_accuracy`.

    Args:
        name: the metric's name. Defaults to `"sparse_categorical_accuracy"`.
        dtype: the dtype of the result. Defaults to `None` (`"float32"`).

    Example:

    >>> m = kerasish.metrics.SparseCategoricalAccuracy()
    >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot target's class is among the `k` highest scores.

    Args:
        k: how many top scores count. Defaults to `5`.
        name: the metric's name. Defaults to `"top_k_categorical_accuracy"`.
        dtype: the dtype of the result. Defaults to `None` (`"float32"`).

    Example:

    >>> m = kerasish.metrics.TopKCategoricalAccuracy(k=1)
    >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer target is among the `k` highest scores (ties count as hits).

    Args:
        k: how many top scores count. Defaults to `5`.
        name: the metric's name. Defaults to `"sparse_top_k_categorical_accuracy"`.
        dtype: the dtype of the result. Defaults to `None` (`"float32"`).
        from_sorted_ids: `y_pred` holds class ids sorted by score (best first) instead of
            scores. Defaults to `False`.

    Example:

    >>> m = kerasish.metrics.SparseTopKCategoricalAccuracy(k=1)
    >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
