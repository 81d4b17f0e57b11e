"""`ModelCheckpoint`: save the model or its weights during training."""

import os
import warnings

from kerasish.backend.traceback_utils import user_stacklevel
from kerasish.callbacks.monitor_callback import MonitorCallback

_MODEL_EXTENSIONS = (".keras", ".h5", ".hdf5")
# Keras 3 wants `.weights.h5`; Keras 2 scripts pass `.h5`/`.hdf5` for weights, which still work.
_WEIGHTS_EXTENSIONS = (".weights.h5", ".h5", ".hdf5")


class ModelCheckpoint(MonitorCallback):
    """Saves the model (`model.save`) or its weights (`model.save_weights`) every epoch or every
    `save_freq` batches.

    The path may hold `str.format` fields: `epoch` (1-based), `batch` (1-based, with an integer
    `save_freq`) and any log name, e.g. `"weights.{epoch:02d}-{val_loss:.2f}.h5"`.

    Args:
        filepath: where to save; ends with `.keras` or `.h5` (a whole model), or `.weights.h5`
            (weights only; `.h5`/`.hdf5` are accepted for Keras 2 scripts).
        monitor: quantity compared by `save_best_only`. Defaults to `"val_loss"`.
        verbose: `1` prints a message on each decision.
        save_best_only: save only when `monitor` improves on the best value so far.
        save_weights_only: save only the weights.
        mode: `"auto"`, `"min"` or `"max"`.
        save_freq: `"epoch"` or an integer number of batches.
        initial_value_threshold: initial best value for `save_best_only`.

    Example:

    ```python
    checkpoint = kerasish.callbacks.ModelCheckpoint(
        "ckpt/weights.{epoch:02d}-{val_loss:.2f}.weights.h5", save_weights_only=True)
    model.fit(x, y, validation_split=0.2, epochs=3, callbacks=[checkpoint])
    ```
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch", initial_value_threshold=None,
                 **kwargs):
        kwargs.pop("period", None) and warnings.warn(
            "`period` argument is deprecated. Please use `save_freq` to specify the frequency in "
            "number of batches seen.", stacklevel=user_stacklevel())
        kwargs.pop("options", None)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments passed to ModelCheckpoint: {sorted(kwargs)}")
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = None
        self._current_epoch = 0
        if save_freq != "epoch" and (not isinstance(save_freq, int) or isinstance(save_freq, bool)):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq}. Expected save_freq are 'epoch' or integer values"
            )
        # Epoch-level saving needs no batch hook: the loop then skips calling it per step.
        self._skip_batch_hooks = save_freq == "epoch"
        self._check_extension()

    def _check_extension(self):
        allowed = _WEIGHTS_EXTENSIONS if self.save_weights_only else _MODEL_EXTENSIONS
        if not self.filepath.endswith(allowed):
            what = "`.weights.h5` (Keras weights format)" if self.save_weights_only else \
                "`.keras` (Keras model format) or `.h5`"
            raise ValueError(
                f"When using ModelCheckpoint with save_weights_only={self.save_weights_only}, the "
                f"filepath provided must end in {what}. Received: filepath={self.filepath}"
            )

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None and self.save_best_only:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=logs)

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch":
            return False
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            added = batch + 1  # a new epoch restarted the batch index
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _should_save_model(self, epoch, logs, filepath):
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {filepath}", flush=True)
            return True
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.", stacklevel=user_stacklevel())
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        best_str = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best_str} to {current:.5f}, "
                      f"saving model to {filepath}", flush=True)
            self.best = current
            return True
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best_str}", flush=True)
        return False

    def _save_model(self, epoch, batch, logs):
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save_model(epoch, logs, filepath):
            return
        if os.path.isdir(filepath):
            raise IOError(
                "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an "
                f"existing directory: {filepath}"
            )
        dirname = os.path.dirname(filepath)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)

    def _get_file_path(self, epoch, batch, logs):
        logs = dict(logs or {})
        fields = {"epoch": epoch + 1, **logs}
        if batch is not None and "batch" not in logs:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as e:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". Reason: {e}') from None
