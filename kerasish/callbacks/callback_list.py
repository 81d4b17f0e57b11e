"""`CallbackList`: dispatches hooks to a list of callbacks, calling batch hooks only on callbacks
that define them."""

from kerasish.callbacks.callback import Callback, overrides_batch_hooks


class CallbackList(Callback):
    """A container of callbacks that forwards every hook.

    Args:
        callbacks: a list of `Callback`s.
        add_history: add a `History` callback (stored as `model.history`).
        add_progbar: add a `ProgbarLogger` (when `verbose` is not 0).
        model: the model to attach.
        **params: `verbose`, `epochs`, `steps`: the loop's parameters, given to each callback.

    Example:

    >>> history = kerasish.callbacks.History()
    >>> callbacks = kerasish.callbacks.CallbackList([history])
    >>> callbacks.on_train_begin()
    >>> callbacks.on_epoch_end(0, {"loss": 0.5})
    >>> history.history
    {'loss': [0.5]}
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        from kerasish.callbacks.history import History
        from kerasish.callbacks.progbar_logger import ProgbarLogger

        self.callbacks = list(callbacks or [])
        for cb in self.callbacks:
            if not isinstance(cb, Callback) and not hasattr(cb, "on_epoch_end"):
                raise TypeError(
                    f"Expected a kerasish.callbacks.Callback in `callbacks`. Received: {cb!r} of type {type(cb).__name__}"
                )
        if add_progbar and not any(isinstance(cb, ProgbarLogger) for cb in self.callbacks):
            self.callbacks.insert(0, ProgbarLogger())
        if add_history and not any(isinstance(cb, History) for cb in self.callbacks):
            self.callbacks.append(History())
        self._batch_callbacks = [cb for cb in self.callbacks if overrides_batch_hooks(cb)]
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, callback):
        self.callbacks.append(callback)
        if overrides_batch_hooks(callback):
            self._batch_callbacks.append(callback)

    def set_params(self, params):
        self.params = params
        for cb in self.callbacks:
            cb.set_params(params)

    def set_model(self, model):
        self.model = model
        for cb in self.callbacks:
            cb.set_model(model)

    @property
    def needs_batch_hooks(self):
        return bool(self._batch_callbacks)

    def _call(self, hook, *args):
        # Keras 3 hands every hook a dict, never `None` (callbacks write `logs["x"]` freely).
        *head, logs = args
        logs = {} if logs is None else _flat_logs(logs)
        for cb in self.callbacks:
            getattr(cb, hook)(*head, logs)

    def _call_batch(self, hook, batch, logs):
        logs = {} if logs is None else _flat_logs(logs)
        for cb in self._batch_callbacks:
            getattr(cb, hook)(batch, logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call_batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call_batch("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call_batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call_batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call_batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call_batch("on_predict_batch_end", batch, logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)

    def __iter__(self):
        return iter(self.callbacks)


def _flat_logs(logs):
    """A custom step's logs with nested dicts (`compile_metrics`' result) flattened, as Keras's
    `pythonify_logs` does; the trainer's own lazy logs pass through untouched."""
    if type(logs) is not dict or not any(isinstance(v, dict) for v in logs.values()):
        return logs
    flat = {}
    for key, value in logs.items():
        if isinstance(value, dict):
            flat.update(_flat_logs(value))
        else:
            flat[key] = value
    return flat
