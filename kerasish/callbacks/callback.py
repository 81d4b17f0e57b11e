"""`Callback` base class: hooks called by `fit`, `evaluate` and `predict`."""


class Callback:
    """Base class of callbacks. Override any hook; `self.model` and `self.params` are set by the loop.

    `logs` passed to batch hooks are computed lazily: reading a value syncs with the device, so a
    callback that never reads batch logs costs nothing per step.

    Example:

    >>> class Epochs(kerasish.callbacks.Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         self.seen = epoch + 1
    >>> model = kerasish.Sequential([kerasish.Input((2,)), kerasish.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> cb = Epochs()
    >>> _ = model.fit(np.zeros((4, 2)), np.zeros((4, 1)), epochs=3, callbacks=[cb], verbose=0)
    >>> cb.seen
    3
    """

    def __init__(self):
        self.validation_data = None
        self.model = None
        self.params = {}

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self.model = model

    # Whether this callback reads batch-level logs (False lets the loop skip building them).
    _reads_batch_logs = True

    def on_batch_begin(self, batch, logs=None):
        """Keras 2 alias of `on_train_batch_begin`."""

    def on_batch_end(self, batch, logs=None):
        """Keras 2 alias of `on_train_batch_end`."""

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        pass

    def on_test_batch_end(self, batch, logs=None):
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        pass

    def on_predict_batch_end(self, batch, logs=None):
        pass

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        pass

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass


_BATCH_HOOKS = ("on_batch_begin", "on_batch_end", "on_train_batch_begin", "on_train_batch_end",
                "on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin",
                "on_predict_batch_end")


def overrides_batch_hooks(callback):
    """Whether a callback overrides any batch-level hook (so the loop must call it per batch).

    A callback whose batch hook is idle for its configuration (e.g. `ModelCheckpoint` saving per
    epoch) sets `_skip_batch_hooks = True`.
    """
    if getattr(callback, "_skip_batch_hooks", False):
        return False
    cls = type(callback)
    return any(getattr(cls, h, None) is not getattr(Callback, h) for h in _BATCH_HOOKS) \
        or any(h in vars(callback) for h in _BATCH_HOOKS)
