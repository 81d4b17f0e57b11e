"""Classification metrics built on confusion-matrix counts: TruePositives/..., Precision, Recall,
the sensitivity/specificity family and AUC. State stays on the device; see metrics_utils."""

import torch

from kerasish.metrics import metrics_utils as mu
from kerasish.metrics.metric import Metric, divide_no_nan


class _ConfusionMatrixConditionCount(Metric):
    def __init__(self, condition, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._condition = condition
        self.init_thresholds = thresholds
        self.thresholds = mu.parse_init_thresholds(thresholds, 0.5)
        self._evenly = mu.is_evenly_distributed_thresholds(self.thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),), name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self._follow(y_pred)
        mu.update_confusion_matrix_variables({self._condition: self.accumulator}, y_true, y_pred,
                                             self.thresholds, sample_weight=sample_weight,
                                             thresholds_distributed_evenly=self._evenly)

    def result(self):
        acc = self.accumulator.detach()
        # A copy: the result must not follow the state as later batches update it.
        return acc[0].clone() if len(self.thresholds) == 1 else acc.clone()

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """The (weighted) count of true positives at each threshold.

    Args:
        thresholds: a float or list of floats in [0, 1]; predictions above count as positive.
            Defaults to 0.5.
        name, dtype: the metric's name and state dtype.

    Example:

    ```python
    m = TruePositives()
    m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    m.result()  # tensor(2.)
    ```
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(mu.TP, thresholds, name=name, dtype=dtype)


class FalsePositives(_ConfusionMatrixConditionCount):
    """The (weighted) count of false positives. Args as `TruePositives`.

    Example:

    >>> m = kerasish.metrics.FalsePositives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    1.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(mu.FP, thresholds, name=name, dtype=dtype)


class TrueNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) count of true negatives. Args as `TruePositives`.

    Example:

    >>> m = kerasish.metrics.TrueNegatives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(mu.TN, thresholds, name=name, dtype=dtype)


class FalseNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) count of false negatives. Args as `TruePositives`.

    Example:

    >>> m = kerasish.metrics.FalseNegatives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    1.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(mu.FN, thresholds, name=name, dtype=dtype)


class _PrecisionRecall(Metric):
    _second = None  # FP for precision, FN for recall

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self.thresholds = mu.parse_init_thresholds(thresholds, 0.5 if top_k is None else mu.NEG_INF)
        self._evenly = mu.is_evenly_distributed_thresholds(self.thresholds)
        self.true_positives = self.add_variable(shape=(len(self.thresholds),), name="true_positives")
        other = "false_positives" if self._second == mu.FP else "false_negatives"
        self._other = self.add_variable(shape=(len(self.thresholds),), name=other)
        setattr(self, other, self._other)

    def update_state(self, y_true, y_pred, sample_weight=None):
        self._follow(y_pred)
        mu.update_confusion_matrix_variables(
            {mu.TP: self.true_positives, self._second: self._other}, y_true, y_pred, self.thresholds,
            top_k=self.top_k, class_id=self.class_id, sample_weight=sample_weight,
            thresholds_distributed_evenly=self._evenly)

    def result(self):
        tp = self.true_positives.detach()
        value = divide_no_nan(tp, tp + self._other.detach())
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


class Precision(_PrecisionRecall):
    """`TP / (TP + FP)` at each threshold.

    Args:
        thresholds: float or list of floats in [0, 1]. Defaults to 0.5 (or, with `top_k`, any score).
        top_k: only the top-k predictions of each sample count as positive.
        class_id: compute the metric for this class only.
        name, dtype: the metric's name and state dtype.

    Example:

    ```python
    m = Precision()
    m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    m.result()  # tensor(0.6667)
    ```
    """

    _second = mu.FP


class Recall(_PrecisionRecall):
    """`TP / (TP + FN)` at each threshold. Args as `Precision`.

    Example:

    >>> m = kerasish.metrics.Recall()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.6667
    """

    _second = mu.FN


class SensitivitySpecificityBase(Metric):
    """Shared state of the "X at Y" metrics: TP/FP/TN/FN at `num_thresholds` even thresholds."""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        if num_thresholds <= 0:
            raise ValueError(f"Argument `num_thresholds` must be an integer > 0. Received: num_thresholds={num_thresholds}")
        self.value = value
        self.class_id = class_id
        self.num_thresholds = num_thresholds
        if num_thresholds == 1:
            self.thresholds, self._evenly = [0.5], False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds, self._evenly = [0.0] + inner + [1.0], True
        n = len(self.thresholds)
        self.true_positives = self.add_variable(shape=(n,), name="true_positives")
        self.false_positives = self.add_variable(shape=(n,), name="false_positives")
        self.true_negatives = self.add_variable(shape=(n,), name="true_negatives")
        self.false_negatives = self.add_variable(shape=(n,), name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self._follow(y_pred)
        mu.update_confusion_matrix_variables(
            {mu.TP: self.true_positives, mu.TN: self.true_negatives, mu.FP: self.false_positives,
             mu.FN: self.false_negatives}, y_true, y_pred, self.thresholds, class_id=self.class_id,
            sample_weight=sample_weight, thresholds_distributed_evenly=self._evenly)

    def _rates(self):
        tp, fp = self.true_positives.detach(), self.false_positives.detach()
        tn, fn = self.true_negatives.detach(), self.false_negatives.detach()
        return {"sensitivity": divide_no_nan(tp, tp + fn), "specificity": divide_no_nan(tn, tn + fp),
                "precision": divide_no_nan(tp, tp + fp)}

    def _max_under_constraint(self, constrained, dependent):
        feasible = constrained >= self.value
        return torch.clamp(torch.amax(torch.where(feasible, dependent, torch.zeros_like(dependent))), min=0.0)

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id, "num_thresholds": self.num_thresholds}


def _check_unit(name, value):
    if value < 0 or value > 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. Received: {name}={value}")


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity (recall) among thresholds whose specificity is >= `specificity`.

    Args:
        specificity: float in [0, 1].
        num_thresholds: thresholds used to sample the curve. Defaults to 200.
        class_id, name, dtype: as in `Precision`.

    Example:

    ```python
    m = SensitivityAtSpecificity(0.5)
    m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    m.result()  # tensor(0.5)
    ```
    """

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_unit("specificity", specificity)
        self.specificity = specificity
        super().__init__(specificity, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._max_under_constraint(r["specificity"], r["sensitivity"])

    def get_config(self):
        return {**super().get_config(), "specificity": self.specificity}


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity among thresholds whose sensitivity is >= `sensitivity`.

    Example:

    >>> m = kerasish.metrics.SpecificityAtSensitivity(sensitivity=0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> round(float(m.result()), 4)
    0.6667
    """

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_unit("sensitivity", sensitivity)
        self.sensitivity = sensitivity
        super().__init__(sensitivity, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._max_under_constraint(r["sensitivity"], r["specificity"])

    def get_config(self):
        return {**super().get_config(), "sensitivity": self.sensitivity}


class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision among thresholds whose recall is >= `recall`.

    Example:

    >>> m = kerasish.metrics.PrecisionAtRecall(recall=0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> round(float(m.result()), 4)
    0.5
    """

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_unit("recall", recall)
        self.recall = recall
        super().__init__(recall, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._max_under_constraint(r["sensitivity"], r["precision"])

    def get_config(self):
        return {**super().get_config(), "recall": self.recall}


class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall among thresholds whose precision is >= `precision`.

    Example:

    >>> m = kerasish.metrics.RecallAtPrecision(precision=0.8)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> round(float(m.result()), 4)
    0.5
    """

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_unit("precision", precision)
        self.precision = precision
        super().__init__(precision, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._max_under_constraint(r["precision"], r["sensitivity"])

    def get_config(self):
        return {**super().get_config(), "precision": self.precision}


from kerasish.metrics.auc import AUC  # noqa: E402,F401  (Keras keeps AUC in this module)
