"""F-scores: `FBetaScore` and `F1Score`, per class or averaged (micro, macro, weighted)."""

import torch

from kerasish.backend import config
from kerasish.losses.loss import _align
from kerasish.metrics.metric import Metric


class FBetaScore(Metric):
    """`(1 + beta^2) * P * R / (beta^2 * P + R)` from counts accumulated over updates.

    Args:
        average: None (one score per class), `"micro"`, `"macro"` or `"weighted"`.
        beta: float > 0. Defaults to 1.0.
        threshold: predictions above it are positive; None means the arg-max of each row.
        name, dtype: the metric's name and state dtype.

    Example:

    ```python
    m = FBetaScore(beta=2.0, threshold=0.5)
    m.update_state([[1, 0], [0, 1]], [[0.9, 0.2], [0.6, 0.7]])
    m.result()  # per-class scores
    ```
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError("Invalid `average` argument value. Expected one of: {None, 'micro', "
                             f"'macro', 'weighted'}}. Received: average={average}")
        if not isinstance(beta, float):
            raise ValueError(f"Invalid `beta` argument value. It should be a Python float. Received: beta={beta}")
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")
        if threshold is not None and (not isinstance(threshold, float) or not 0.0 < threshold <= 1.0):
            raise ValueError("Invalid `threshold` argument value. It should be a Python float with "
                             f"0 < threshold <= 1. Received: threshold={threshold}")
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError("FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received: "
                             f"y_pred.shape={tuple(y_pred_shape)}, y_true.shape={tuple(y_true_shape)}")
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        self.true_positives = self.add_variable(shape=shape, name="true_positives")
        self.false_positives = self.add_variable(shape=shape, name="false_positives")
        self.false_negatives = self.add_variable(shape=shape, name="false_negatives")
        self.intermediate_weights = self.add_variable(shape=shape, name="intermediate_weights")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = _align(y_true, y_pred, cast_targets=True)
        y_pred = y_pred.detach()
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        self._follow(y_pred)
        if self.threshold is None:
            top = torch.amax(y_pred, dim=-1, keepdim=True)
            y_pred = (y_pred >= top) & (torch.abs(y_pred) > 1e-9)
        else:
            y_pred = y_pred > self.threshold
        y_pred = y_pred.to(y_true.dtype)
        sw = None if sample_weight is None else torch.as_tensor(sample_weight, device=y_true.device).to(y_true.dtype)

        def weighted_sum(val):
            if sw is not None:
                val = val * sw.unsqueeze(1)
            return torch.sum(val, dim=self.axis) if self.axis is not None else torch.sum(val)

        with torch.no_grad():
            self.true_positives.add_(weighted_sum(y_pred * y_true))
            self.false_positives.add_(weighted_sum(y_pred * (1 - y_true)))
            self.false_negatives.add_(weighted_sum((1 - y_pred) * y_true))
            self.intermediate_weights.add_(weighted_sum(y_true))

    def result(self):
        eps = config.epsilon()
        tp, fp, fn = self.true_positives.detach(), self.false_positives.detach(), self.false_negatives.detach()
        precision = tp / (tp + fp + eps)
        recall = tp / (tp + fn + eps)
        b2 = self.beta ** 2
        score = (precision * recall) / (b2 * precision + recall + eps) * (1 + b2)
        if self.average == "weighted":
            w = self.intermediate_weights.detach()
            return torch.sum(score * (w / (torch.sum(w) + eps)))
        if self.average is not None:
            return torch.mean(score)
        return score

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta,
                "threshold": self.threshold}


class F1Score(FBetaScore):
    """The F1 score (`FBetaScore` with `beta=1`). Args: `average`, `threshold`, `name`, `dtype`.

    Example:

    ```python
    m = F1Score(average="micro", threshold=0.5)
    m.update_state([[1, 0], [0, 1]], [[0.9, 0.2], [0.6, 0.7]])
    m.result()
    ```
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
