"""`keras.utils.PyDataset` / `Sequence` as `fit`/`evaluate`/`predict` input, with an optional
thread pool fetching batches ahead of the training loop."""

import collections
import concurrent.futures
import warnings

import torch

from kerasish.backend.traceback_utils import user_stacklevel
from kerasish.trainers import data_adapters
from kerasish.trainers.batch_adapter_utils import StreamAdapter
from kerasish.utils.sequence import PyDataset

_warned_multiprocessing = []


def is_py_dataset(x):
    """A `PyDataset`/`Sequence`, or a Keras `PyDataset` object (same protocol)."""
    if isinstance(x, PyDataset):
        return True
    return any(c.__name__ in ("PyDataset", "Sequence") and "keras" in c.__module__ for c in type(x).__mro__)


def _prefetch(fetch, indices, workers, queue_size):
    """`fetch(i)` for each index in order, at most `queue_size` running ahead on `workers` threads."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        pending = collections.deque()
        it = iter(indices)
        for i in it:
            pending.append(pool.submit(fetch, i))
            if len(pending) >= queue_size:
                break
        while pending:
            batch = pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(fetch, nxt))
            yield batch


class PyDatasetAdapter(StreamAdapter):
    """Batches `dataset[i]` for `i` in `range(len(dataset))`, in a shuffled order when
    `shuffle=True` (or `"batch"`); `dataset.on_epoch_end()` runs after each epoch.

    Args:
        dataset: a `PyDataset` / `Sequence`.
        steps: batches per epoch; continues across epochs when smaller than `len(dataset)`.
        shuffle: shuffle the order of the batches each pass.
        class_weight: dict of class index -> weight, applied per batch.
        workers, use_multiprocessing, max_queue_size: override the dataset's own settings
            (Keras 2 passed them to `fit`). Batches are fetched in threads; with
            `use_multiprocessing=True` a single warning says so.
        device: where batches are delivered.

    Example:

    ```python
    adapter = PyDatasetAdapter(my_sequence, shuffle=True)
    for x, y in adapter:
        ...
    ```
    """

    def __init__(self, dataset, steps=None, shuffle=False, class_weight=None, device=None, workers=None,
                 use_multiprocessing=None, max_queue_size=None):
        super().__init__(steps=steps, class_weight=class_weight, device=device)
        self._dataset = dataset
        self._shuffle = bool(shuffle)
        self._workers = int(workers if workers is not None else getattr(dataset, "workers", 1) or 1)
        self._queue_size = int(max_queue_size if max_queue_size is not None
                               else getattr(dataset, "max_queue_size", 10) or 10)
        multiprocessing = use_multiprocessing if use_multiprocessing is not None else \
            getattr(dataset, "use_multiprocessing", False)
        if multiprocessing and not _warned_multiprocessing:
            _warned_multiprocessing.append(True)
            warnings.warn("`use_multiprocessing=True` is not supported by kerasish: batches are fetched "
                          f"in {self._workers} thread(s) instead.", stacklevel=user_stacklevel())

    def _pass_length(self):
        length = getattr(self._dataset, "num_batches", None)
        return length if length is not None else len(self._dataset)

    def _new_pass(self):
        n = self._pass_length()
        if n is None:
            raise ValueError("A PyDataset without a length needs `steps_per_epoch`. Received: steps=None")
        indices = torch.randperm(n).tolist() if self._shuffle else range(n)
        if self._workers > 1:
            return _prefetch(self._dataset.__getitem__, indices, self._workers, self._queue_size)
        return (self._dataset[i] for i in indices)

    def _end_of_epoch(self):
        self._dataset.on_epoch_end()


def _make(x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False, class_weight=None,
          device=None, **options):
    if y is not None or sample_weight is not None:
        raise ValueError(
            "When `x` is a PyDataset/Sequence, its batches carry the targets and sample weights; do "
            f"not pass them separately. Received: y={type(y).__name__}, "
            f"sample_weight={type(sample_weight).__name__}"
        )
    return PyDatasetAdapter(x, steps=steps, shuffle=shuffle, class_weight=class_weight, device=device,
                            **options)


data_adapters.register_adapter(is_py_dataset, _make)
