"""`ProgbarLogger`: Keras's progress output, drawn with tqdm.

`verbose=1` shows a bar per epoch (a widget in notebooks with `ipywidgets`, see
`kerasish.utils.progbar.tqdm_class`), `verbose=2` one line per
epoch. The bar counts steps every batch (no device sync); metric values are read from the device
only when the bar redraws, at most every `refresh_interval` seconds.
"""

import time

from kerasish.backend import config
from kerasish.callbacks.callback import Callback
from kerasish.utils.io_utils import print_msg
from kerasish.utils.progbar import format_time as _format_time
from kerasish.utils.progbar import format_value, open_bar


def format_logs(logs):
    parts = []
    for k, v in logs.items():
        try:
            v = float(v)
        except (TypeError, ValueError):
            continue
        parts.append(f"{k}: {format_value(v)}")
    return " - ".join(parts)


class ProgbarLogger(Callback):
    """Prints progress and metrics to stdout.

    Args:
        count_mode: `"steps"` (default) or `"samples"` (Keras 2; accepted, counts steps).
        refresh_interval: seconds between redraws of the bar. Defaults to `0.5`.

    `fit`, `evaluate` and `predict` add one themselves when `verbose` is not 0; pass your own to
    change how often the bar redraws.

    Example:

    ```python
    model = kerasish.Sequential([kerasish.Input((2,)), kerasish.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    bar = kerasish.callbacks.ProgbarLogger(refresh_interval=1.0)
    model.fit(np.zeros((8, 2)), np.zeros((8, 1)), epochs=2, verbose=2, callbacks=[bar])
    ```
    """

    def __init__(self, count_mode="steps", stateful_metrics=None, refresh_interval=0.5):
        super().__init__()
        self.refresh_interval = refresh_interval
        self._bar = None
        self._mode = "train"

    def set_params(self, params):
        super().set_params(params)
        self.verbose = params.get("verbose", 1)
        self.epochs = params.get("epochs", 1)

    def _open(self, total):
        self._start = time.perf_counter()
        self._last = 0.0
        self._seen = 0
        if self.verbose == 1 and config.is_interactive_logging_enabled():
            self._bar = open_bar(total, width=30, unit="step", interval=self.refresh_interval)

    def _advance(self, batch, logs):
        self._seen = batch + 1
        if self._bar is None:
            return
        self._bar.update(self._seen - self._bar.n)
        now = time.perf_counter()
        if logs is not None and now - self._last >= self.refresh_interval:
            self._last = now
            self._bar.set_postfix_str(format_logs(logs), refresh=False)

    def _close(self, logs):
        elapsed = time.perf_counter() - self._start
        steps = max(self._seen, 1)
        text = format_logs(logs or {})
        if self._bar is not None:
            self._bar.set_postfix_str(text, refresh=False)
            self._bar.close()
            self._bar = None
        elif self.verbose:
            count = f"{self._seen}/{self._total}" if self._total else f"{self._seen}"
            line = f"{count} - {_format_time(elapsed)} - {_format_time(elapsed / steps)}/step"
            print_msg(line + (f" - {text}" if text else ""))

    # ---------------------------------------------------------------- train
    def on_train_begin(self, logs=None):
        self._in_fit = True

    def on_train_end(self, logs=None):
        self._in_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        self._mode = "train"
        if self.verbose:
            print_msg(f"Epoch {epoch + 1}/{self.epochs}")
        self._total = self.params.get("steps")
        self._open(self._total)

    def on_train_batch_end(self, batch, logs=None):
        self._advance(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._close(logs)

    # ---------------------------------------------------------------- evaluate / predict
    def on_test_begin(self, logs=None):
        if getattr(self, "_in_fit", False):
            return
        self._mode = "test"
        self._total = self.params.get("steps")
        self._open(self._total)

    def on_test_batch_end(self, batch, logs=None):
        if self._mode == "test" and not getattr(self, "_in_fit", False):
            self._advance(batch, logs)

    def on_test_end(self, logs=None):
        if self._mode == "test" and not getattr(self, "_in_fit", False):
            self._close(logs)

    def on_predict_begin(self, logs=None):
        self._mode = "predict"
        self._total = self.params.get("steps")
        self._open(self._total)

    def on_predict_batch_end(self, batch, logs=None):
        self._advance(batch, None)

    def on_predict_end(self, logs=None):
        self._close({})
