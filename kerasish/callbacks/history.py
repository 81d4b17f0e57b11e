"""`History`: records epoch logs; `fit()` returns it."""

from kerasish.callbacks.callback import Callback


class History(Callback):
    """Records each epoch's logs in `history` (a dict of lists) and `epoch`."""

    _reads_batch_logs = False

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []
        if self.model is not None:
            # `fit` returns it even when no epoch runs (e.g. resuming a finished backup).
            self.model.history = self

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(v)
        if self.model is not None:
            self.model.history = self
