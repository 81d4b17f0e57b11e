"""`LearningRateScheduler`: set the learning rate at the start of each epoch."""

import numpy as np
import torch

from kerasish.callbacks._lr_utils import get_lr, set_lr
from kerasish.callbacks.callback import Callback


class LearningRateScheduler(Callback):
    """Sets the learning rate to `schedule(epoch, lr)` (or `schedule(epoch)`) before each epoch.

    Args:
        schedule: a function of the epoch index (0-based) and the current learning rate, or of
            the epoch index only, returning the new learning rate (a float).
        verbose: `1` prints the new learning rate each epoch.

    Example:

    ```python
    def scheduler(epoch, lr):
        return lr if epoch < 10 else lr * 0.9

    callback = kerasish.callbacks.LearningRateScheduler(scheduler)
    model.fit(x, y, epochs=15, callbacks=[callback], verbose=0)
    ```
    """

    _reads_batch_logs = False

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"`schedule` must be a callable. Received: schedule={schedule!r}")
        self.schedule = schedule
        self.verbose = verbose

    def _new_lr(self, epoch):
        lr = get_lr(self.model.optimizer)
        try:
            new_lr = self.schedule(epoch, lr)
        except TypeError:
            # A one-argument schedule (Keras 1/2 style).
            new_lr = self.schedule(epoch)
        if isinstance(new_lr, torch.Tensor) and new_lr.numel() == 1:
            new_lr = float(new_lr)
        if not isinstance(new_lr, (float, np.float32, np.float64)):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {new_lr}")
        return float(new_lr)

    def on_epoch_begin(self, epoch, logs=None):
        lr = self._new_lr(epoch)
        set_lr(self.model.optimizer, lr)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.", flush=True)

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = get_lr(self.model.optimizer)
