"""`AUC`: area under the ROC or PR curve from confusion counts at fixed thresholds (Keras's
algorithm, including its interpolated PR-AUC), with state on the device."""

import numpy as np
import torch

from kerasish.backend import config
from kerasish.metrics import metrics_utils as mu
from kerasish.metrics.metric import Metric, divide_no_nan

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")


class AUC(Metric):
    """Approximate area under the ROC or PR curve.

    Args:
        num_thresholds: thresholds used to discretise the curve. Defaults to 200.
        curve: `"ROC"` (default), `"PR"` or `"PRGAIN"`.
        summation_method: `"interpolation"` (default), `"majoring"` or `"minoring"`.
        name, dtype: the metric's name and state dtype.
        thresholds: explicit thresholds in [0, 1] (then `num_thresholds` is ignored).
        multi_label: treat each column as its own label and average the AUCs.
        num_labels: number of labels with `multi_label` (else found on the first update).
        label_weights: per-label weights of the average (multi-label) or of the counts.
        from_logits: apply a sigmoid to the predictions first.

    Example:

    ```python
    m = AUC(num_thresholds=3)
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    m.result()  # tensor(0.75)
    ```
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None,
                 dtype=None, thresholds=None, multi_label=False, num_labels=None, label_weights=None,
                 from_logits=False):
        curve_key = str(getattr(curve, "value", curve)).lower()
        if curve_key not in _CURVES:
            raise ValueError(f"Invalid AUC curve value. Expected one of {list(_CURVES.values())}. "
                             f"Received: curve={curve}")
        summation = str(getattr(summation_method, "value", summation_method)).lower()
        if summation not in _SUMMATIONS:
            raise ValueError(f"Invalid AUC summation method. Expected one of {list(_SUMMATIONS)}. "
                             f"Received: summation_method={summation_method}")
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            thresholds = sorted(float(t) for t in thresholds)
            self._evenly = mu.is_evenly_distributed_thresholds(np.array([0.0] + thresholds + [1.0]))
        else:
            if num_thresholds <= 1:
                raise ValueError(f"Argument `num_thresholds` must be an integer > 1. Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly = True
        eps = config.epsilon()
        self._thresholds = np.array([0.0 - eps] + thresholds + [1.0 + eps])
        self.curve = _CURVES[curve_key]
        self.summation_method = summation
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self._label_weights_init = None if label_weights is None else [float(w) for w in np.ravel(label_weights)]
        self.label_weights = None if label_weights is None else torch.as_tensor(
            self._label_weights_init, dtype=torch.float32)
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build((None, num_labels))
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True. "
                                 f"Received: num_labels={num_labels}")
            self._build(None)

    @property
    def thresholds(self):
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError("`y_pred` must have rank 2 when `multi_label=True`. "
                                 f"Received: y_pred.shape={tuple(shape)}")
            self._num_labels = shape[1]
            var_shape = (self.num_thresholds, self._num_labels)
        else:
            var_shape = (self.num_thresholds,)
        self.true_positives = self.add_variable(shape=var_shape, name="true_positives")
        self.false_positives = self.add_variable(shape=var_shape, name="false_positives")
        self.true_negatives = self.add_variable(shape=var_shape, name="true_negatives")
        self.false_negatives = self.add_variable(shape=var_shape, name="false_negatives")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = torch.as_tensor(y_pred)
        if not self._built:
            self._build(tuple(y_pred.shape))
        self._follow(y_pred)
        if self._from_logits:
            y_pred = torch.sigmoid(y_pred)
        label_weights = None if self.multi_label else self.label_weights
        mu.update_confusion_matrix_variables(
            {mu.TP: self.true_positives, mu.TN: self.true_negatives, mu.FP: self.false_positives,
             mu.FN: self.false_negatives}, y_true, y_pred, self._thresholds, sample_weight=sample_weight,
            multi_label=self.multi_label, label_weights=label_weights,
            thresholds_distributed_evenly=self._evenly)

    def _counts(self):
        return (self.true_positives.detach(), self.false_positives.detach(),
                self.true_negatives.detach(), self.false_negatives.detach())

    def _aggregate(self, terms):
        if not self.multi_label:
            return torch.sum(terms)
        by_label = torch.sum(terms, dim=0)
        if self.label_weights is None:
            return torch.mean(by_label)
        w = self.label_weights.to(by_label.device, by_label.dtype)
        return divide_no_nan(torch.sum(by_label * w), torch.sum(w))

    def interpolate_pr_auc(self):
        """PR-AUC by Davis & Goadrich's interpolation between thresholds (Keras's formula)."""
        tp, fp, _, fn = self._counts()
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = divide_no_nan(dtp, torch.clamp(dp, min=0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        ratio = torch.where(both, divide_no_nan(p[:-1], torch.clamp(p[1:], min=0)), torch.ones_like(p[1:]))
        increment = divide_no_nan(slope * (dtp + intercept * torch.log(ratio)),
                                  torch.clamp(tp[1:] + fn[1:], min=0))
        return self._aggregate(increment)

    def _curve_points(self):
        tp, fp, tn, fn = self._counts()
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            return divide_no_nan(fp, fp + tn), recall
        if self.curve == "PR":
            return recall, divide_no_nan(tp, tp + fp)
        scale = divide_no_nan(tp + fn, tn + fp)
        recall_gain = torch.where(tp == 0, torch.zeros_like(tp), 1.0 - scale * divide_no_nan(fn, tp))
        precision_gain = torch.where(tp == 0, torch.ones_like(tp), 1.0 - scale * divide_no_nan(fp, tp))
        return torch.clamp(recall_gain, min=0.0), precision_gain

    def result(self):
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        x, y = self._curve_points()
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = torch.minimum(y[:-1], y[1:])
        else:
            heights = torch.maximum(y[:-1], y[1:])
        return self._aggregate((x[:-1] - x[1:]) * heights)

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        config = {**super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": self.multi_label,
                  "num_labels": self.num_labels, "label_weights": self._label_weights_init,
                  "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
