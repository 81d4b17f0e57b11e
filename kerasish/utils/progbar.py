"""`Progbar`: Keras's text progress bar (`update(current, values)`, `add(n, values)`)."""

import sys
import time

import numpy as np


class Progbar:
    """A text progress bar with running averages of named values.

    Args:
        target: total number of steps, or None if unknown.
        width: bar width in characters. Defaults to `20`.
        verbose: 1 (a bar redrawn in place), 2 (one line at the end) or 0 (silent).
        interval: minimum seconds between redraws. Defaults to `0.05`.
        stateful_metrics: names of values shown as given instead of averaged over steps.
        unit_name: name of a step in the rate display. Defaults to `"step"`.

    Example:

    ```python
    bar = Progbar(10)
    for i in range(10):
        bar.update(i + 1, values=[("loss", 0.5)])
    ```
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None, unit_name="step"):
        self.target, self.width, self.verbose = target, width, verbose
        self.interval, self.unit_name = interval, unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        self._dynamic = (hasattr(sys.stdout, "isatty") and sys.stdout.isatty()) or "ipykernel" in sys.modules
        self._values = {}  # name -> [weighted sum, count] (or [value, 1] when stateful)
        self._order = []
        self._seen_so_far = 0
        self._start = time.time()
        self._last_update = 0.0
        self._total_width = 0

    def update(self, current, values=None, finalize=None):
        """Moves the bar to step `current`; `values` is a list of `(name, value)` pairs."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or []:
            if name not in self._order:
                self._order.append(name)
            value = float(np.mean(np.asarray(value)))
            if name in self.stateful_metrics:
                self._values[name] = [value, 1]
            else:
                steps = max(current - self._seen_so_far, 1)
                total, count = self._values.get(name, [0.0, 0])
                self._values[name] = [total + value * steps, count + steps]
        self._seen_so_far = current
        now = time.time()
        if self.verbose == 1 and (finalize or (self._dynamic and now - self._last_update >= self.interval)):
            self._write(self._bar(current) + self._info(current, now, finalize), finalize)
            self._last_update = now
        elif self.verbose == 2 and finalize:
            self._write(self._count(current) + self._info(current, now, True), True)

    def add(self, n, values=None):
        """Advances the bar by `n` steps."""
        self.update(self._seen_so_far + n, values)

    def _count(self, current):
        if self.target is None:
            return f"{current:7d}/Unknown"
        digits = len(str(self.target))
        return f"{current:{digits}d}/{self.target}"

    def _bar(self, current):
        if self.target is None:
            return self._count(current)
        done = int(self.width * min(current / self.target, 1.0)) if self.target else self.width
        arrow = ">" if done < self.width else ""
        body = "=" * max(done - (0 if arrow == "" else 1), 0) + arrow if done else ""
        return f"{self._count(current)} [{body}{'.' * (self.width - len(body))}]"

    def _info(self, current, now, finalize):
        elapsed = now - self._start
        if finalize or self.target is None:
            per_step = elapsed / max(current, 1)
            timing = f" {int(elapsed)}s {int(per_step * 1e3)}ms/{self.unit_name}"
        else:
            eta = elapsed / max(current, 1) * (self.target - current)
            timing = f" - ETA: {int(eta)}s"
        parts = [timing]
        for name in self._order:
            total, count = self._values[name]
            avg = total / max(count, 1)
            parts.append(f" - {name}: {avg:.4f}" if abs(avg) > 1e-3 else f" - {name}: {avg:.4e}")
        return "".join(parts)

    def _write(self, line, finalize):
        if self._dynamic:
            pad = " " * max(self._total_width - len(line), 0)
            sys.stdout.write("\r" + line + pad)
            self._total_width = len(line)
        else:
            sys.stdout.write(line + "\n")
        if finalize and self._dynamic:
            sys.stdout.write("\n")
        sys.stdout.flush()
