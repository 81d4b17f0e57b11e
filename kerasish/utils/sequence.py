"""`PyDataset` (Keras 3) and `Sequence` (Keras 2): datasets that hand out whole batches by index."""


class PyDataset:
    """Base class of datasets that return a batch per index.

    Subclasses implement `__len__` (batches per epoch) and `__getitem__(index)` returning
    `x`, `(x, y)` or `(x, y, sample_weight)`; `on_epoch_end` runs after each epoch (reshuffle
    there). `fit(..., shuffle=True)` shuffles the order of the batches, not their contents.

    Args:
        workers: threads fetching batches ahead of the training loop. `1` (default) fetches
            in the loop's thread.
        use_multiprocessing: accepted for compatibility; batches are fetched in threads (one
            warning says so), since processes would pickle the dataset.
        max_queue_size: batches fetched ahead at most. Defaults to `10`.

    Example:

    ```python
    class Batches(kerasish.utils.PyDataset):
        def __init__(self, x, y, batch_size, **kwargs):
            super().__init__(**kwargs)
            self.x, self.y, self.batch_size = x, y, batch_size

        def __len__(self):
            return math.ceil(len(self.x) / self.batch_size)

        def __getitem__(self, idx):
            sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
            return self.x[sl], self.y[sl]

    model.fit(Batches(x, y, 32), epochs=2)
    ```
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self):
        return getattr(self, "_workers", 1)

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self):
        return getattr(self, "_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self):
        return getattr(self, "_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    @property
    def num_batches(self):
        """Batches per epoch (`len(self)`), or None for an endless dataset."""
        try:
            return len(self)
        except NotImplementedError:
            return None

    def on_epoch_begin(self):
        """Called before each epoch."""

    def on_epoch_end(self):
        """Called after each epoch (e.g. to reshuffle the samples)."""

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]


# Keras 2 name. Keras 2 subclasses do not call `__init__`; the properties above have defaults.
Sequence = PyDataset

__all__ = ["PyDataset", "Sequence"]
