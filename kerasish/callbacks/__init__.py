"""`kerasish.callbacks`: hooks into `fit`, `evaluate` and `predict`."""

from kerasish.callbacks.backup_and_restore import BackupAndRestore
from kerasish.callbacks.callback import Callback
from kerasish.callbacks.callback_list import CallbackList
from kerasish.callbacks.csv_logger import CSVLogger
from kerasish.callbacks.early_stopping import EarlyStopping
from kerasish.callbacks.history import History
from kerasish.callbacks.lambda_callback import LambdaCallback
from kerasish.callbacks.learning_rate_scheduler import LearningRateScheduler
from kerasish.callbacks.model_checkpoint import ModelCheckpoint
from kerasish.callbacks.monitor_callback import MonitorCallback
from kerasish.callbacks.progbar_logger import ProgbarLogger
from kerasish.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from kerasish.callbacks.orbax_checkpoint import OrbaxCheckpoint  # noqa: F401 (refuses, see its docstring)
from kerasish.callbacks.remote_monitor import RemoteMonitor
from kerasish.callbacks.swap_ema_weights import SwapEMAWeights
from kerasish.callbacks.tensorboard import TensorBoard
from kerasish.callbacks.terminate_on_nan import TerminateOnNaN
from kerasish.saving.registry import Registry as _Registry

_ALL = [BackupAndRestore, Callback, CallbackList, CSVLogger, EarlyStopping, History, LambdaCallback,
        LearningRateScheduler, ModelCheckpoint, ProgbarLogger, ReduceLROnPlateau, RemoteMonitor,
        TensorBoard, TerminateOnNaN, SwapEMAWeights]
# Keras 2 / tf.keras spellings.
_ALIASES = {"BackupAndRestoreExperimental": "BackupAndRestore"}
# Callbacks need arguments (paths, schedules): a name resolves to the class, not an instance.
_REGISTRY = _Registry("callback", {c.__name__: c for c in _ALL}, _ALIASES, base=Callback, instantiate=False)


def get(identifier):
    """A callback class by name (`"EarlyStopping"`), or an instance from a config dict or an instance.

    Example:

    ```python
    cls = kerasish.callbacks.get("EarlyStopping")
    stopper = cls(monitor="loss", patience=2)
    ```
    """
    return _REGISTRY.get(identifier)


def register(cls, name=None, aliases=()):
    """Adds a custom callback class to the registry (for `get` by name).

    Example:

    >>> class PrintEpoch(keras.callbacks.Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         print(epoch)
    >>> keras.callbacks.register(PrintEpoch) is PrintEpoch
    True
    >>> keras.callbacks.get("PrintEpoch") is PrintEpoch
    True
    """
    return _REGISTRY.register(cls, name, aliases)
