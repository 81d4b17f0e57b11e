"""`History`: records epoch logs; `fit()` returns it."""

from kerasish.callbacks.callback import Callback


class History(Callback):
    """Records each epoch's logs in `history` (a dict of lists) and `epoch`; `plot()` draws them.

    Example:

    ```python
    history = model.fit(x, y, epochs=10, validation_split=0.1)
    history.history["val_loss"]  # one value per epoch
    history.plot()  # the curves (needs matplotlib)
    ```
    """

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

    def plot(self, metrics=None, path=None, figsize=None):
        """Draws the training curves: one panel per metric, its `val_` curve beside it.

        Args:
            metrics: names of the metrics to draw (without `val_`). Defaults to all of them.
            path: when given, the figure is also saved there (format from the extension).
            figsize: matplotlib figure size in inches. Defaults to 4 inches wide per panel.

        Returns:
            The matplotlib `Figure` (shown inline in notebooks; `plt.show()` in scripts).

        Raises:
            ImportError: when matplotlib is not installed (`pip install matplotlib`).

        Example:

        ```python
        history = model.fit(x, y, epochs=10, validation_split=0.1)
        history.plot()
        ```
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError:
            raise ImportError("`History.plot()` needs matplotlib: `pip install matplotlib`.") from None
        names = [k for k in self.history if not (k.startswith("val_") and k[4:] in self.history)]
        if metrics is not None:
            unknown = [m for m in metrics if m not in names]
            if unknown:
                raise ValueError(f"Unknown metrics {unknown}; the history has {names}. Received: metrics={list(metrics)}")
            names = list(metrics)
        if not names:
            raise ValueError(f"The history is empty: call `fit` first. Received: history={self.history}")
        fig, axes = plt.subplots(1, len(names), figsize=figsize or (4 * len(names), 3), squeeze=False)
        for ax, name in zip(axes[0], names):
            for key in (name, "val_" + name):
                if key in self.history:
                    values = [float(v) for v in self.history[key]]
                    ax.plot(range(1, len(values) + 1), values, marker=".", label=key)
            ax.set_title(name)
            ax.set_xlabel("epoch")
            ax.legend()
        fig.tight_layout()
        if path is not None:
            fig.savefig(path)
        return fig
