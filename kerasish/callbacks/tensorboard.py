"""`TensorBoard`: write logs for TensorBoard through `torch.utils.tensorboard`."""

import os

from kerasish.callbacks._lr_utils import get_lr
from kerasish.callbacks.callback import Callback

_INSTALL_HINT = (
    "The TensorBoard callback needs the `tensorboard` package (used through "
    "`torch.utils.tensorboard`). Install it with `pip install tensorboard`."
)


def _summary_writer_class():
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError as e:
        raise ImportError(f"{_INSTALL_HINT} Original error: {e}") from e
    return SummaryWriter


class TensorBoard(Callback):
    """Writes scalars (and optionally weight histograms) readable by TensorBoard.

    Training values go to `log_dir/train` and validation values to `log_dir/validation`, as
    `epoch_<name>` scalars (and `batch_<name>` with a batch-level `update_freq`), like Keras.

    Args:
        log_dir: directory of the event files. Defaults to `"logs"`.
        histogram_freq: write weight histograms every this many epochs (0: never).
        update_freq: `"epoch"`, `"batch"` or an integer number of batches. Batch-level
            writing reads the loss every that many batches (a host sync each time).

    `write_graph`, `write_images`, `write_steps_per_second`, `profile_batch`, `embeddings_freq`,
    `embeddings_metadata`: accepted for compatibility; not written.

    Raises:
        ImportError: when `tensorboard` is not installed (`pip install tensorboard`).

    Example:

    ```python
    tb = kerasish.callbacks.TensorBoard(log_dir="./logs")
    model.fit(x, y, epochs=2, callbacks=[tb])
    ```
    """

    _reads_batch_logs = False

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0, embeddings_freq=0,
                 embeddings_metadata=None, **kwargs):
        super().__init__()
        self._writer_class = _summary_writer_class()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and (not isinstance(update_freq, int) or update_freq < 1):
            raise ValueError(
                f"`update_freq` must be 'epoch', 'batch' or a positive integer. Received: update_freq={update_freq}"
            )
        self.update_freq = update_freq
        self._skip_batch_hooks = update_freq == "epoch"
        self._writers = {}
        self._global_step = 0

    def _writer(self, kind):
        if kind not in self._writers:
            self._writers[kind] = self._writer_class(os.path.join(self.log_dir, kind))
        return self._writers[kind]

    def on_train_begin(self, logs=None):
        self._global_step = 0

    def on_train_batch_end(self, batch, logs=None):
        self._global_step += 1
        if self._global_step % self.update_freq or logs is None:
            return
        writer = self._writer("train")
        for name, value in logs.items():
            writer.add_scalar(f"batch_{name}", value, self._global_step)

    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        if "learning_rate" not in logs and getattr(self.model, "optimizer", None) is not None:
            logs["learning_rate"] = get_lr(self.model.optimizer)
        for name, value in logs.items():
            kind, key = ("validation", name[4:]) if name.startswith("val_") else ("train", name)
            self._writer(kind).add_scalar(f"epoch_{key}", value, epoch)
        if self.histogram_freq and (epoch + 1) % self.histogram_freq == 0:
            writer = self._writer("train")
            for weight in self.model.weights:
                name = getattr(weight, "path", None) or getattr(weight, "name", "weight")
                writer.add_histogram(f"{name}/histogram", weight.detach().cpu(), epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
