"""`ReduceLROnPlateau`: lower the learning rate when a monitored quantity stops improving."""

import warnings

import numpy as np

from kerasish.callbacks._lr_utils import get_lr, set_lr
from kerasish.callbacks.monitor_callback import MonitorCallback


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by `factor` after `patience` epochs without improvement.

    Args:
        monitor: quantity to watch. Defaults to `"val_loss"`.
        factor: `new_lr = lr * factor`; must be below 1. Defaults to `0.1`.
        patience: epochs without improvement before reducing. Defaults to `10`.
        verbose: `1` prints a message on each reduction.
        mode: `"auto"`, `"min"` or `"max"`.
        min_delta: smallest change that counts as an improvement. Defaults to `1e-4`.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the learning rate never goes below this.
        epsilon: Keras 2 name of `min_delta`.

    Example:

    ```python
    reduce_lr = kerasish.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5,
                                                     min_lr=0.001)
    model.fit(x, y, validation_split=0.2, callbacks=[reduce_lr])
    ```
    """

    _reads_batch_logs = False

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0, **kwargs):
        if "epsilon" in kwargs:
            warnings.warn("`epsilon` argument is deprecated and will be removed, use `min_delta` instead.",
                          stacklevel=2)
            min_delta = kwargs.pop("epsilon")
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}")
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self):
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        logs["learning_rate"] = get_lr(self.model.optimizer)
        current = self._monitor_value(logs, "Learning rate reduction")
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce(epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0

    def _reduce(self, epoch):
        old_lr = get_lr(self.model.optimizer)
        # Compared in float32, as the optimizer stores it, so a reached floor stays reached.
        if old_lr <= np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        set_lr(self.model.optimizer, new_lr)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.", flush=True)
        return True
