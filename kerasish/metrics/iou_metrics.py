"""Intersection-over-union metrics: IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU.

The confusion matrix is accumulated on the device with `index_add_` (fixed size, no host sync);
as in Keras, its default dtype is integer, so fractional sample weights are truncated.
"""

import torch

from kerasish.backend import config, dtypes
from kerasish.metrics.metric import Metric
from kerasish.metrics.metrics_utils import confusion_matrix


class _IoUBase(Metric):
    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype or "int64")
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(shape=(num_classes, num_classes), name="total_confusion_matrix")

    def _labels(self, y_true, y_pred):
        y_pred = torch.as_tensor(y_pred).detach()
        y_true = torch.as_tensor(y_true, device=y_pred.device)
        if not self.sparse_y_true:
            y_true = torch.argmax(y_true, dim=self.axis)
        if not self.sparse_y_pred:
            y_pred = torch.argmax(y_pred, dim=self.axis)
        return y_true, y_pred

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = self._labels(y_true, y_pred)
        self._follow(y_pred)
        state = self.total_cm.dtype
        # Keras casts labels to the metric dtype (truncating fractional values) before counting.
        y_true, y_pred = y_true.to(state).reshape(-1), y_pred.to(state).reshape(-1)
        if sample_weight is None:
            weight = torch.ones((), dtype=state, device=y_true.device)
        else:
            weight = torch.as_tensor(sample_weight, device=y_true.device).to(state).reshape(-1)
        weight = torch.broadcast_to(weight, y_true.shape)
        valid = (y_true >= 0) & (y_true < self.num_classes) & (y_pred >= 0) & (y_pred < self.num_classes)
        if self.ignore_class is not None:
            valid = valid & (y_true != self.ignore_class)
        zero = torch.zeros((), dtype=state, device=y_true.device)
        y_true, y_pred = torch.where(valid, y_true, zero), torch.where(valid, y_pred, zero)
        weight = torch.where(valid, weight, zero)
        with torch.no_grad():
            self.total_cm.add_(confusion_matrix(y_true, y_pred, self.num_classes, weight, dtype=state))

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class IoU(_IoUBase):
    """Mean IoU over `target_class_ids`: `TP / (TP + FP + FN)` per class, from a confusion matrix
    accumulated over updates; classes that never occur are left out of the mean.

    Args:
        num_classes: number of classes.
        target_class_ids: the classes whose IoU is averaged.
        name, dtype: the metric's name and state dtype (integer by default, as in Keras).
        ignore_class: a label whose entries are skipped.
        sparse_y_true, sparse_y_pred: whether labels/predictions are class ids (else arg-max of `axis`).
        axis: the class axis for dense inputs. Defaults to -1.

    Example:

    ```python
    m = IoU(num_classes=2, target_class_ids=[0])
    m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    m.result()  # tensor(0.3333)
    ```
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)
        target_class_ids = list(target_class_ids)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, which is "
                             f"[0, {num_classes}). Received: target_class_ids={target_class_ids}")
        self.target_class_ids = target_class_ids

    def result(self):
        cm = self.total_cm.detach().to(dtypes.to_torch_dtype(None))
        tp = torch.diagonal(cm)
        denominator = cm.sum(0) + cm.sum(1) - tp
        ids = torch.as_tensor(self.target_class_ids, device=cm.device)
        tp, denominator = tp[ids], denominator[ids]
        valid = denominator > 1e-9
        eps = config.epsilon()
        iou = torch.where(valid, tp / (denominator + eps), torch.zeros_like(tp))
        return torch.sum(iou) / (valid.to(iou.dtype).sum() + eps)

    def get_config(self):
        return {**super().get_config(), "target_class_ids": self.target_class_ids}


class BinaryIoU(IoU):
    """IoU for binary labels; predictions `>= threshold` are class 1.

    Args:
        target_class_ids: classes averaged, among (0, 1). Defaults to both.
        threshold: defaults to 0.5.
        name, dtype: the metric's name and state dtype.

    Example:

    >>> m = kerasish.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
    >>> round(float(m.result()), 4)
    0.3333
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = torch.as_tensor(y_pred).detach()
        super().update_state(y_true, (y_pred.float() >= self.threshold).to(torch.int64), sample_weight)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "target_class_ids": self.target_class_ids,
                "threshold": self.threshold}


class MeanIoU(IoU):
    """IoU averaged over all `num_classes` classes. Args as `IoU` without `target_class_ids`.

    Example:

    ```python
    m = MeanIoU(num_classes=2)
    m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    m.result()  # tensor(0.3333)
    ```
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, list(range(num_classes)), name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["target_class_ids"]
        return config


class OneHotIoU(IoU):
    """IoU for one-hot labels (and, by default, per-class scores as predictions).

    Example:

    >>> m = kerasish.metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    >>> m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]], [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
    >>> round(float(m.result()), 4)
    0.1667
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, target_class_ids, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """MeanIoU for one-hot labels (and, by default, per-class scores as predictions).

    Example:

    >>> m = kerasish.metrics.OneHotMeanIoU(num_classes=3)
    >>> m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]], [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
    >>> round(float(m.result()), 4)
    0.1111
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config
