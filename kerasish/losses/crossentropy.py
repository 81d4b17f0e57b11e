"""Keras's crossentropy losses (binary, categorical, sparse, and the focal variants).

Probabilities are clipped to `[epsilon, 1 - epsilon]` as Keras does. When `y_pred` came straight
from a `softmax`/`sigmoid` activation (it carries `_keras_logits`), the losses use the logits
instead (log-softmax / log-sigmoid): the same value wherever no probability is within `epsilon` of
0 or 1, and finite, non-vanishing gradients where Keras's clipped form saturates. See
docs/numerics.md.
"""

import warnings

import torch
import torch.nn.functional as F

from kerasish.backend.traceback_utils import user_stacklevel
from kerasish.backend import config
from kerasish.losses.loss import LossFunctionWrapper, squeeze_or_expand_to_same_rank

__all__ = [
    "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
    "categorical_focal_crossentropy", "sparse_categorical_crossentropy", "BinaryCrossentropy",
    "BinaryFocalCrossentropy", "CategoricalCrossentropy", "CategoricalFocalCrossentropy",
    "SparseCategoricalCrossentropy", "categorical_generalized_cross_entropy",
    "CategoricalGeneralizedCrossEntropy",
]


def _logits_of(y_pred, kind, axis=-1):
    """The logits behind `y_pred` when it is the output of activation `kind` along `axis`."""
    logits = getattr(y_pred, "_keras_logits", None)
    if logits is None or getattr(y_pred, "_keras_logits_kind", kind) != kind:
        return None
    if logits.shape != y_pred.shape or (kind == "softmax" and axis not in (-1, y_pred.ndim - 1)):
        return None
    return logits


def _check_axis(axis):
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}")


def _as_float(y_true, y_pred):
    y_pred = torch.as_tensor(y_pred)
    y_true = torch.as_tensor(y_true, device=y_pred.device).to(y_pred.dtype)
    return y_true, y_pred


def _clipped_log(p):
    eps = config.epsilon()
    return torch.log(torch.clamp(p, eps, 1.0 - eps))


def _categorical_log_prob(y_pred, from_logits, axis):
    """log p along `axis`: log-softmax of logits, else log of clipped normalised probabilities."""
    logits = y_pred if from_logits else _logits_of(y_pred, "softmax", axis)
    if logits is not None:
        return F.log_softmax(logits, dim=axis)
    return _clipped_log(y_pred / torch.sum(y_pred, dim=axis, keepdim=True))


def _smooth(y_true, label_smoothing, num_classes):
    if label_smoothing:
        return y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return y_true


def _check_categorical(name, y_true, y_pred):
    if y_pred.shape[-1] == 1:
        warnings.warn(
            f"In loss {name}, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={tuple(y_pred.shape)}. Consider using "
            "'binary_crossentropy' if you only have 2 classes.", SyntaxWarning, stacklevel=user_stacklevel())
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"Arguments `target` and `output` must have the same shape: {name} expects one-hot "
            "targets (use the sparse_ variant for integer labels). "
            f"Received: target.shape={tuple(y_true.shape)}, output.shape={tuple(y_pred.shape)}"
        )


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """`-sum(y_true * log(y_pred))` along `axis` for one-hot (or soft) targets.

    Args:
        y_true: one-hot targets, same shape as `y_pred`.
        y_pred: probabilities (or logits with `from_logits=True`).
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; targets become `y * (1 - ls) + ls / num_classes`.
        axis: the class axis. Defaults to -1.

    Example:

    ```python
    categorical_crossentropy(torch.tensor([[0., 1.]]), torch.tensor([[0.2, 0.8]]))  # [0.2231]
    ```
    """
    _check_axis(axis)
    y_true, y_pred = _as_float(y_true, y_pred)
    _check_categorical("categorical_crossentropy", y_true, y_pred)
    y_true = _smooth(y_true, label_smoothing, y_true.shape[-1])
    if y_pred.ndim == 2 and axis in (-1, 1):
        logits = y_pred if from_logits else _logits_of(y_pred, "softmax", axis)
        if logits is not None:
            # torch's probability-target crossentropy is this very formula (log-softmax, product,
            # sum, negation) in one call: the same numbers with fewer dispatches per step.
            return F.cross_entropy(logits, y_true, reduction="none")
    return -torch.sum(y_true * _categorical_log_prob(y_pred, from_logits, axis), dim=axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """Categorical crossentropy down-weighting easy examples by `alpha * (1 - p) ** gamma`.

    Example:

    >>> y_true = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
    >>> kerasish.losses.categorical_focal_crossentropy(torch.tensor(y_true), torch.tensor(y_pred))
    tensor([3.2058e-05, 4.6627e-01])
    """
    _check_axis(axis)
    y_true, y_pred = _as_float(y_true, y_pred)
    _check_categorical("categorical_focal_crossentropy", y_true, y_pred)
    y_true = _smooth(y_true, label_smoothing, y_true.shape[-1])
    logits = None if from_logits else _logits_of(y_pred, "softmax", axis)
    if logits is not None:
        log_prob = F.log_softmax(logits, dim=axis)
        output = y_pred / torch.sum(y_pred, dim=axis, keepdim=True)
    else:
        # Keras applies softmax then clips even for `from_logits=True`; so do we, for its numbers.
        probs = torch.softmax(y_pred, dim=axis) if from_logits else y_pred
        eps = config.epsilon()
        output = torch.clamp(probs / torch.sum(probs, dim=axis, keepdim=True), eps, 1.0 - eps)
        log_prob = torch.log(output)
    focal = alpha * torch.pow(1.0 - output, gamma) * (-y_true * log_prob)
    return torch.sum(focal, dim=axis)


class LabelRangeError(ValueError, IndexError):
    """Integer labels outside `[0, num_classes)`. A `ValueError` like kerasish's other bad-input
    errors, and an `IndexError` like the one Keras 3 lets through from torch."""


def _label_range_error(target, num_classes, ignore_class):
    values = target[target != ignore_class] if ignore_class is not None else target
    low, high = int(values.min()), int(values.max())
    return LabelRangeError(
        f"sparse_categorical_crossentropy expects integer labels in [0, {num_classes}): the model "
        f"outputs {num_classes} classes. Received: a batch of labels (y) with values from {low} to {high}")


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Categorical crossentropy for integer targets (one axis fewer than `y_pred`).

    Args:
        ignore_class: a label whose entries contribute 0 and are masked out of the mean.

    Example:

    >>> y_true = [1, 2]
    >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
    >>> kerasish.losses.sparse_categorical_crossentropy(torch.tensor(y_true), torch.tensor(y_pred))
    tensor([0.0513, 2.3026])
    """
    y_pred = torch.as_tensor(y_pred)
    y_true = torch.as_tensor(y_true, device=y_pred.device)
    if y_true.ndim == y_pred.ndim and y_true.shape[axis] == 1:
        y_true = y_true.squeeze(axis)
    class_axis = axis % y_pred.ndim
    expected = tuple(d for i, d in enumerate(y_pred.shape) if i != class_axis)
    if tuple(y_true.shape) != expected:
        raise ValueError(
            "sparse_categorical_crossentropy expects integer targets shaped like the predictions "
            f"without the class axis ({expected}). "
            f"Received: y_true.shape={tuple(y_true.shape)}, y_pred.shape={tuple(y_pred.shape)}"
        )
    target = y_true.long()
    valid = None
    if ignore_class is not None:
        valid = target != ignore_class
        target = torch.where(valid, target, torch.zeros_like(target))
    log_prob = _categorical_log_prob(y_pred, from_logits, class_axis)
    try:
        picked = torch.gather(log_prob, class_axis, target.unsqueeze(class_axis))
    except (RuntimeError, IndexError):
        # Checked only once torch has failed: a range check up front would sync every step.
        raise _label_range_error(target, y_pred.shape[class_axis], ignore_class) from None
    out = -picked.squeeze(class_axis)
    if valid is not None:
        out = torch.where(valid, out, torch.zeros_like(out))
        out._keras_mask = valid
    return out


def _binary_values(y_true, y_pred, from_logits):
    """Element-wise binary crossentropy (logits path when available)."""
    logits = y_pred if from_logits else _logits_of(y_pred, "sigmoid")
    if logits is not None:
        return F.binary_cross_entropy_with_logits(logits, y_true, reduction="none")
    eps = config.epsilon()
    return F.binary_cross_entropy(torch.clamp(y_pred, eps, 1.0 - eps), y_true, reduction="none")


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Mean over `axis` of `-(y log p + (1 - y) log(1 - p))`.

    Args:
        label_smoothing: targets become `y * (1 - ls) + 0.5 * ls`.

    Example:

    ```python
    binary_crossentropy(torch.tensor([[1.]]), torch.tensor([[0.9]]))  # [0.1054]
    ```
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_as_float(y_true, y_pred))
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return torch.mean(_binary_values(y_true, y_pred, from_logits), dim=axis)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy times `(1 - p_t) ** gamma` (and `alpha` balancing if asked).

    Example:

    >>> y_true = [[0.0, 1.0], [0.0, 0.0]]
    >>> y_pred = [[0.6, 0.4], [0.4, 0.6]]
    >>> kerasish.losses.binary_focal_crossentropy(torch.tensor(y_true), torch.tensor(y_pred), gamma=2.0)
    tensor([0.3299, 0.2058])
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_as_float(y_true, y_pred))
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    logits = None if from_logits else _logits_of(y_pred, "sigmoid")
    if logits is not None:
        bce = F.binary_cross_entropy_with_logits(logits, y_true, reduction="none")
    else:
        # Keras takes the sigmoid then clips even for `from_logits=True`; we follow it.
        if from_logits:
            y_pred = torch.sigmoid(y_pred)
        bce = _binary_values(y_true, y_pred, False)
    p_t = y_true * y_pred + (1.0 - y_true) * (1.0 - y_pred)
    focal = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * focal
    return torch.mean(focal, dim=axis)


class BinaryCrossentropy(LossFunctionWrapper):
    """Binary crossentropy.

    Args:
        from_logits: whether `y_pred` holds logits. Defaults to False.
        label_smoothing: float in [0, 1]. Defaults to 0.
        axis: the axis the mean is taken over. Defaults to -1.
        reduction, name, dtype: see `Loss`.

    Example:

    ```python
    BinaryCrossentropy()(torch.tensor([[1.], [0.]]), torch.tensor([[0.9], [0.2]]))
    ```
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary focal crossentropy. Args: `apply_class_balancing`, `alpha` (0.25), `gamma` (2.0),
    `from_logits`, `label_smoothing`, `axis`, `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[0.0, 1.0], [0.0, 0.0]]
    >>> y_pred = [[0.6, 0.4], [0.4, 0.6]]
    >>> kerasish.losses.BinaryFocalCrossentropy(gamma=2.0)(y_true, y_pred)
    tensor(0.2678)
    """

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_focal_crossentropy", dtype=None):
        super().__init__(binary_focal_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy for one-hot targets. Args: `from_logits`, `label_smoothing`,
    `axis`, `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
    >>> kerasish.losses.CategoricalCrossentropy()(y_true, y_pred)
    tensor(1.1769)
    >>> kerasish.losses.CategoricalCrossentropy(label_smoothing=0.1)(y_true, y_pred)
    tensor(1.4591)
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical focal crossentropy. Args: `alpha` (0.25), `gamma` (2.0), `from_logits`,
    `label_smoothing`, `axis`, `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
    >>> kerasish.losses.CategoricalFocalCrossentropy()(y_true, y_pred)
    tensor(0.2332)
    """

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy", dtype=None):
        super().__init__(categorical_focal_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy for integer targets. Args: `from_logits`, `ignore_class`, `axis`,
    `reduction`, `name`, `dtype`.

    Example:

    >>> y_true = [1, 2]
    >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
    >>> kerasish.losses.SparseCategoricalCrossentropy()(y_true, y_pred)
    tensor(1.1769)
    >>> model = kerasish.Sequential([kerasish.layers.Dense(3)])
    >>> model.compile(optimizer="adam", loss=kerasish.losses.SparseCategoricalCrossentropy(from_logits=True))
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size", axis=-1,
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized cross entropy `(1 - p ** q) / q`, `p` the probability of the true class.

    Args:
        y_true: integer class indices, shape `(batch,)`.
        y_pred: class probabilities, shape `(batch, num_classes)`.
        q: noise parameter in `(0, 1)`: towards 0 like crossentropy, towards 1 like MAE.

    Example:

    >>> y_true = [1, 2]
    >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
    >>> kerasish.losses.categorical_generalized_cross_entropy(torch.tensor(y_true), torch.tensor(y_pred), q=0.5)
    tensor([0.0506, 1.3675])
    """
    y_pred = torch.as_tensor(y_pred)
    labels = torch.as_tensor(y_true, device=y_pred.device).to(torch.int64)
    one_hot = F.one_hot(labels, y_pred.shape[-1]).to(y_pred.dtype)
    p = torch.sum(y_pred * one_hot, dim=-1)
    return (1 - torch.pow(p, q)) / q


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized cross entropy (Zhang & Sabuncu, 2018), robust to noisy labels.

    Args:
        q: noise parameter in `(0, 1)`. Defaults to `0.5`.
        reduction, name, dtype: see `Loss`.

    Example:

    ```python
    CategoricalGeneralizedCrossEntropy()([0, 1], [[0.7, 0.3], [0.2, 0.8]])
    ```
    """

    def __init__(self, q=0.5, reduction="sum_over_batch_size",
                 name="categorical_generalized_cross_entropy", dtype=None):
        if isinstance(q, bool) or not isinstance(q, (int, float)) or not 0 < q < 1:
            raise ValueError(f"`q` must be a number in the open interval (0, 1). Received: q={q}")
        super().__init__(categorical_generalized_cross_entropy, reduction=reduction, name=name,
                         dtype=dtype, q=q)
        self.q = q
