"""`TensorBoard`: write logs for TensorBoard through `torch.utils.tensorboard`."""

import os
import time

from kerasish.backend import config
from kerasish.callbacks import _tensorboard_writes as writes
from kerasish.callbacks._lr_utils import get_lr
from kerasish.callbacks.callback import Callback

_INSTALL_HINT = (
    "The TensorBoard callback needs the `tensorboard` package (used through "
    "`torch.utils.tensorboard`). Install it with `pip install tensorboard`."
)

# Keras 2 arguments that would change what is written and have no torch counterpart here.
_LEGACY_REFUSED = {"write_grads": False, "embeddings_layer_names": None, "embeddings_data": None}


def _summary_writer_class():
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError as e:
        raise ImportError(f"{_INSTALL_HINT} Original error: {e}") from e
    return SummaryWriter


def _check_legacy(kwargs):
    for name, value in kwargs.items():
        if name == "batch_size":  # Keras 2's batch size of its histogram pass: no effect on values
            continue
        if name not in _LEGACY_REFUSED:
            raise TypeError(f"TensorBoard() got an unexpected keyword argument. Received: {name}={value!r}")
        if value != _LEGACY_REFUSED[name]:
            raise ValueError(f"`{name}` (Keras 2) is not supported by kerasish's TensorBoard. "
                             f"Received: {name}={value!r}")


class TensorBoard(Callback):
    """Writes logs readable by TensorBoard: scalars, weight histograms and images, the model's
    graph, embeddings and a profile of chosen batches.

    Training values go to `log_dir/train` and validation values to `log_dir/validation`, as
    `epoch_<name>` scalars (and `batch_<name>` with a batch-level `update_freq`), like Keras.

    Args:
        log_dir: directory of the event files. Defaults to `"logs"`.
        histogram_freq: write weight histograms every this many epochs (at epochs 0, f, 2f, ...;
            0: never).
        write_graph: write the model's graph: Keras's `keras` summary of a functional or
            sequential model (TensorBoard draws it as the conceptual graph) and torch's traced
            graph of its forward pass on zeros of its input shapes (a model that cannot be
            traced gets a warning instead). Defaults to `True`.
        write_images: with histograms, also write each weight as an image (Keras's layout: a
            bias as a column, a dense kernel long side down, one image per conv output channel;
            torch's writer puts the first 3 images of a weight in one grid, as many as
            `tf.summary.image` keeps).
        write_steps_per_second: also write `epoch_steps_per_second` (and
            `batch_steps_per_second` at a batch-level `update_freq`).
        update_freq: `"epoch"`, `"batch"` or an integer number of batches. Batch-level
            writing reads the loss every that many batches (a host sync each time).
        profile_batch: the batch (counted from 1 over the whole fit) or `(start, stop)` range of
            batches to profile with `torch.profiler`; the trace goes to `log_dir/train` as
            `*.pt.trace.json` (TensorBoard shows it with the `torch-tb-profiler` plugin).
            Defaults to `0` (no profiling).
        embeddings_freq: every this many epochs (at epochs 0, f, 2f, ...), write the weights of
            the model's `Embedding` layers for TensorBoard's projector (`log_dir/train`).
        embeddings_metadata: a metadata TSV file for every embedding, or a dict from `Embedding`
            layer names to files (as given or relative to `log_dir`).

    Raises:
        ImportError: when `tensorboard` is not installed (`pip install tensorboard`).
        ValueError: on a bad `update_freq` or `profile_batch`, or `embeddings_metadata` naming
            a layer the model lacks.

    Example:

    ```python
    import tempfile

    model = kerasish.Sequential([kerasish.Input((3,)), kerasish.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    tb = kerasish.callbacks.TensorBoard(log_dir=tempfile.mkdtemp(), histogram_freq=1)
    model.fit(np.zeros((8, 3)), np.zeros((8, 1)), epochs=2, callbacks=[tb], verbose=0)
    ```
    """

    _reads_batch_logs = False

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0, embeddings_freq=0,
                 embeddings_metadata=None, **kwargs):
        super().__init__()
        _check_legacy(kwargs)
        self._writer_class = _summary_writer_class()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and (not isinstance(update_freq, int) or update_freq < 1):
            raise ValueError(
                f"`update_freq` must be 'epoch', 'batch' or a positive integer. Received: update_freq={update_freq}"
            )
        if embeddings_metadata is not None and not isinstance(embeddings_metadata, (str, dict)):
            raise ValueError("`embeddings_metadata` must be a file name or a dict of layer names to file "
                             f"names. Received: embeddings_metadata={embeddings_metadata!r}")
        self.update_freq = update_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._start_batch, self._stop_batch = writes.parse_profile_batch(profile_batch)
        self._profiler = None
        self._skip_batch_hooks = (update_freq == "epoch" and not write_steps_per_second
                                  and self._stop_batch == 0)
        self._writers = {}
        self._global_step = 0

    def _writer(self, kind):
        if kind not in self._writers:
            self._writers[kind] = self._writer_class(os.path.join(self.log_dir, kind))
        return self._writers[kind]

    def set_model(self, model):
        super().set_model(model)
        if self.embeddings_freq:
            self._embeddings = writes.embedding_layers(model, self.embeddings_metadata)

    def on_train_begin(self, logs=None):
        self._global_step = 0
        if self.write_graph:
            writes.write_keras_model(self._writer("train"), self.model)
            writes.write_op_graph(self._writer("train"), self.model)

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start, self._epoch_batches = time.perf_counter(), 0

    def on_train_batch_begin(self, batch, logs=None):
        self._global_step += 1
        self._batch_start = time.perf_counter()
        if self._global_step == self._start_batch and self._profiler is None:
            self._profiler = writes.start_profiler(os.path.join(self.log_dir, "train"))

    def on_train_batch_end(self, batch, logs=None):
        self._epoch_batches += 1
        if self._profiler is not None and self._global_step >= self._stop_batch:
            self._stop_profiler()
        if self.update_freq == "epoch" or self._global_step % self.update_freq:
            return
        writer = self._writer("train")
        if self.write_steps_per_second:
            elapsed = time.perf_counter() - self._batch_start
            writer.add_scalar("batch_steps_per_second", 1.0 / max(elapsed, 1e-9), self._global_step)
        for name, value in (logs or {}).items():
            writer.add_scalar(f"batch_{name}", value, self._global_step)

    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        if "learning_rate" not in logs and getattr(self.model, "optimizer", None) is not None:
            logs["learning_rate"] = get_lr(self.model.optimizer)
        if self.write_steps_per_second:
            logs["steps_per_second"] = self._epoch_batches / max(time.perf_counter() - self._epoch_start, 1e-9)
        for name, value in logs.items():
            kind, key = ("validation", name[4:]) if name.startswith("val_") else ("train", name)
            self._writer(kind).add_scalar(f"epoch_{key}", value, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._log_embeddings(epoch)
        for writer in self._writers.values():
            writer.flush()

    def _log_weights(self, epoch):
        writer = self._writer("train")
        for weight in self.model.weights:
            name = (getattr(weight, "path", None) or getattr(weight, "name", "weight")).replace(":", "_")
            writer.add_histogram(f"{name}/histogram", weight.detach().cpu(), epoch)
            if self.write_images:
                image = writes.weight_image(weight.numpy(), config.image_data_format())
                if image is not None:
                    writer.add_images(f"{name}/image", image[:3], epoch, dataformats="NHWC")

    def _log_embeddings(self, epoch):
        writer = self._writer("train")
        for layer, path in self._embeddings.items():
            rows, header = writes.read_metadata(path, self.log_dir) if path else (None, None)
            writer.add_embedding(layer.embeddings.numpy(), metadata=rows, metadata_header=header,
                                 global_step=epoch, tag=layer.name)

    def _stop_profiler(self):
        self._profiler.stop()  # its trace handler writes the trace file
        self._profiler = None

    def on_train_end(self, logs=None):
        if self._profiler is not None:
            self._stop_profiler()
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
