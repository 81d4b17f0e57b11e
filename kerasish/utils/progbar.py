"""`Progbar`: Keras's progress bar API (`update(current, values)`, `add(n, values)`), drawn with
tqdm, the engine `fit`'s `ProgbarLogger` also uses (one progress engine for the library).

`tqdm_class()` chooses the bar: tqdm's widget bar in a Jupyter kernel where `ipywidgets` is
installed, the plain text bar everywhere else (tqdm's own `tqdm.auto` would warn "IProgress not
found" in a notebook without `ipywidgets`; the text bar works there as it is).
"""

import os
import sys
import time

import numpy as np

from kerasish.utils.io_utils import is_interactive_logging_enabled, print_msg


def _in_notebook():
    # The same detection as `tqdm.autonotebook`: a Jupyter kernel, not a Qt console or Spyder.
    if "ipykernel.zmqshell" not in sys.modules:
        return "IPython.utils._process_emscripten" in sys.modules
    if any(k == "QT_API" or k.startswith("SPYDER") for k in os.environ):
        return False
    try:
        shell = sys.modules["IPython"].get_ipython().__class__.__name__.lower()
    except Exception:  # IPython not imported or no running shell: not a notebook
        return False
    return "qt" not in shell and "spyder" not in shell


def tqdm_class():
    """Returns the tqdm bar class to draw with (widget bar only where it can be drawn)."""
    if _in_notebook():
        try:
            import ipywidgets  # noqa: F401
        except ImportError:
            pass
        else:
            from tqdm.notebook import tqdm

            return tqdm
    from tqdm.std import tqdm

    return tqdm


def format_value(value):
    """Keras's number format in progress lines: 4 decimals, scientific below 1e-3."""
    return f"{value:.4e}" if (value != 0 and abs(value) < 1e-3) else f"{value:.4f}"


def format_time(seconds):
    if seconds >= 1:
        return f"{seconds:.0f}s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms"
    return f"{seconds * 1e6:.0f}us"


def bar_format(width, known_total=True):
    """The tqdm layout of Keras's bar: `3/10 [=====.....] - 1s 5.2step/s - loss: 0.1234`."""
    count = "{n_fmt}/{total_fmt}" if known_total else "{n_fmt}/Unknown"
    bar = f" [{{bar:{width}}}]" if known_total else ""
    return count + bar + " - {elapsed} {rate_fmt}{postfix}"


def open_bar(total, width=30, unit="step", interval=0.05):
    """A tqdm bar in Keras's layout on stdout (`ascii=" ="` draws `=` for done, ` ` for to do)."""
    return tqdm_class()(total=total, file=sys.stdout, unit=unit, leave=True, mininterval=interval,
                        ascii=" =", bar_format=bar_format(width, total is not None), dynamic_ncols=True)


class Progbar:
    """Displays a progress bar with running averages of named values.

    Args:
        target: total number of steps expected, None if unknown.
        width: progress bar width on screen. Defaults to `20`.
        verbose: verbosity mode, 0 (silent), 1 (a bar drawn in place) or 2 (one line at the end).
        interval: minimum visual progress update interval (in seconds). Defaults to `0.05`.
        stateful_metrics: iterable of names of values shown as given instead of averaged over
            steps (for metrics that are already running averages).
        unit_name: display name for a step. Defaults to `"step"`.

    Example:

    ```python
    bar = keras.utils.Progbar(10)
    for i in range(10):
        bar.update(i + 1, values=[("loss", 0.5)])
    ```
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None, unit_name="step"):
        if verbose not in (0, 1, 2):
            raise ValueError(f"`verbose` must be 0, 1 or 2. Received: verbose={verbose}")
        if not isinstance(width, int) or width < 1:
            raise ValueError(f"`width` must be a positive integer. Received: width={width}")
        self.target, self.width, self.verbose = target, width, verbose
        self.interval, self.unit_name = interval, unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        self._values = {}  # name -> [weighted sum, count] (or [value, 1] when stateful)
        self._order = []
        self._seen_so_far = 0
        self._start = time.time()
        self._bar = None

    def update(self, current, values=None, finalize=None):
        """Updates the progress bar.

        Args:
            current: index of the current step.
            values: list of `(name, value)` tuples; values not in `stateful_metrics` are shown
                as averages over the steps seen so far.
            finalize: whether this is the last update. Defaults to `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._accumulate(current, values or [])
        self._seen_so_far = current
        if self.verbose == 1 and is_interactive_logging_enabled():
            self._draw(current, finalize)
        elif self.verbose and finalize:
            elapsed = time.time() - self._start
            count = f"{current}/{self.target}" if self.target is not None else f"{current}/Unknown"
            line = f"{count} - {format_time(elapsed)} - {format_time(elapsed / max(current, 1))}/{self.unit_name}"
            print_msg(line + "".join(f" - {text}" for text in self._texts()))

    def add(self, n, values=None):
        """Advances the bar by `n` steps."""
        self.update(self._seen_so_far + n, values)

    def _accumulate(self, current, values):
        for name, value in values:
            if name not in self._order:
                self._order.append(name)
            value = float(np.mean(np.asarray(value)))
            if name in self.stateful_metrics:
                self._values[name] = [value, 1]
            else:
                steps = max(current - self._seen_so_far, 1)  # weight by the steps this update covers
                total, count = self._values.get(name, [0.0, 0])
                self._values[name] = [total + value * steps, count + steps]

    def _texts(self):
        return [f"{name}: {format_value(total / max(count, 1))}"
                for name, (total, count) in ((n, self._values[n]) for n in self._order)]

    def _draw(self, current, finalize):
        if self._bar is None:
            self._bar = open_bar(self.target, self.width, self.unit_name, self.interval)
        self._bar.set_postfix_str(" - ".join(self._texts()), refresh=False)
        self._bar.update(current - self._bar.n)
        if finalize:
            self._bar.close()
            self._bar = None
