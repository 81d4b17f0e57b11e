"""`LambdaCallback`: a callback made of plain functions."""

from kerasish.callbacks.callback import Callback

_HOOKS = ("on_epoch_begin", "on_epoch_end", "on_train_begin", "on_train_end", "on_train_batch_begin",
          "on_train_batch_end", "on_batch_begin", "on_batch_end")


class LambdaCallback(Callback):
    """A callback whose hooks are the functions given.

    Args:
        on_epoch_begin, on_epoch_end: `f(epoch, logs)`.
        on_train_begin, on_train_end: `f(logs)`.
        on_train_batch_begin, on_train_batch_end (or Keras 2's on_batch_begin, on_batch_end):
            `f(batch, logs)`; giving one makes the loop call it every batch.
        **kwargs: any other hook, e.g. `on_test_end=f`.

    Example:

    ```python
    print_batch = kerasish.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: print(epoch, logs["loss"]))
    model.fit(x, y, callbacks=[print_batch], verbose=0)
    ```
    """

    _reads_batch_logs = False

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None, on_train_end=None,
                 on_train_batch_begin=None, on_train_batch_end=None, on_batch_begin=None,
                 on_batch_end=None, **kwargs):
        super().__init__()
        given = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end, on_train_begin=on_train_begin,
                     on_train_end=on_train_end, on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end, on_batch_begin=on_batch_begin,
                     on_batch_end=on_batch_end, **kwargs)
        for name, fn in given.items():
            if fn is None:
                continue
            if not name.startswith("on_") or not hasattr(Callback, name):
                raise TypeError(f"Unknown hook for LambdaCallback. Received: {name}={fn!r}")
            # Instance attributes: `overrides_batch_hooks` sees them, so only given batch hooks run.
            setattr(self, name, fn)
