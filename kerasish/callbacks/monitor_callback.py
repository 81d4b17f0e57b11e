"""`MonitorCallback`: the shared "is this value better than the best so far?" logic of
`EarlyStopping`, `ModelCheckpoint` and `ReduceLROnPlateau`."""

import operator
import warnings

from kerasish.backend.traceback_utils import user_stacklevel
from kerasish.callbacks.callback import Callback

# mode -> comparison that says "a is better than b".
_MODE_OPS = {"min": operator.lt, "max": operator.gt}

# Metrics whose name says "higher is better" when the metric object has no `_direction`
# (Keras 2's heuristic, kept for models whose metrics are plain functions).
_HIGHER_IS_BETTER = ("acc", "auc", "precision", "recall", "f1", "fmeasure", "iou", "r2_score",
                     "top_k", "cosine_similarity")
_LOWER_IS_BETTER = ("loss", "error", "mse", "mae", "mape", "msle", "crossentropy", "hinge",
                    "divergence", "poisson", "logcosh", "log_cosh")


class MonitorCallback(Callback):
    """Base class of callbacks that watch one logged quantity for improvement.

    Args:
        monitor: name of the quantity in the epoch logs. Defaults to `"val_loss"`.
        mode: `"auto"`, `"min"` or `"max"`. `"auto"` infers the direction from the name
            (`loss` -> min) or from the model's metric of that name.
        baseline: initial "best" value; `None` takes the first value seen.
        min_delta: smallest change that counts as an improvement.

    Example:

    ```python
    class Watch(MonitorCallback):
        def on_epoch_end(self, epoch, logs=None):
            if self.monitor_op is None:
                self._set_monitor_op()
            if self._is_improvement(logs[self.monitor], self.best):
                self.best = logs[self.monitor]
    ```
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.",
                          stacklevel=user_stacklevel())
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self):
        mode = self.mode if self.mode != "auto" else self._infer_mode()
        self.monitor_op = _MODE_OPS[mode]
        if mode == "min":
            self.min_delta = -abs(self.min_delta)

    def _infer_mode(self):
        name = self.monitor[4:] if self.monitor.startswith("val_") else self.monitor
        if name == "loss" or name.endswith("_loss"):
            return "min"
        for metric in getattr(self.model, "metrics", None) or []:
            direction = getattr(metric, "_direction", None)
            if getattr(metric, "name", None) == name and direction in ("up", "down"):
                return "max" if direction == "up" else "min"
        if any(key in name for key in _HIGHER_IS_BETTER):
            return "max"
        if any(key in name for key in _LOWER_IS_BETTER):
            return "min"
        raise ValueError(
            f"{type(self).__name__} callback received monitor={self.monitor}, but cannot determine "
            "whether that metric should be maximized or minimized. Pass `mode='max'` to monitor "
            "based on the highest value, or `mode='min'` for the lowest value. "
            f"Received: monitor={self.monitor!r}, mode='auto'"
        )

    def _is_improvement(self, value, reference):
        if reference is None:
            return True
        return bool(self.monitor_op(value - self.min_delta, reference))

    def _monitor_value(self, logs, what):
        """The monitored value from `logs`, or None with Keras's warning listing what is there."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"{what} conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(list(logs.keys()))}",
                stacklevel=user_stacklevel(),
            )
        return value
