"""`kerasish.utils.Dataset` (the tf.data-like pipeline) as `fit`/`evaluate`/`predict` input."""

from kerasish.trainers import data_adapters
from kerasish.trainers.batch_adapter_utils import StreamAdapter
from kerasish.utils.dataset import Dataset


class DatasetAdapter(StreamAdapter):
    """Batches from a `Dataset` whose elements are `x`, `(x, y)` or `(x, y, sample_weight)`.

    Each epoch iterates the dataset once (a `shuffle` in it reshuffles per iteration, as in
    tf.data); with `steps`, an epoch takes that many batches and the next continues where it
    stopped (an endless `repeat()`ed dataset needs `steps_per_epoch`, as in Keras). The dataset's
    own batching applies: `batch_size` and `shuffle` are not used.

    Example:

    ```python
    ds = Dataset.from_tensor_slices((x, y)).shuffle(1000).batch(32)
    model.fit(ds, epochs=2)
    ```
    """

    def __init__(self, dataset, steps=None, class_weight=None, device=None):
        super().__init__(steps=steps, class_weight=class_weight, device=device)
        self._dataset = dataset

    def _pass_length(self):
        n = self._dataset._cardinality()
        return n if n >= 0 else None

    def _new_pass(self):
        return iter(self._dataset)


def _make(x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False, class_weight=None,
          device=None, **options):
    if y is not None or sample_weight is not None:
        raise ValueError(
            "When `x` is a Dataset, its elements carry the targets and sample weights (`(x, y)` or "
            "`(x, y, sample_weight)`); do not pass them separately. "
            f"Received: y={type(y).__name__}, sample_weight={type(sample_weight).__name__}")
    if steps is None and dataset_is_infinite(x):
        raise ValueError("The dataset is infinite (`repeat()` without a count): pass `steps_per_epoch` "
                         "(or `steps` / `validation_steps`) to say how many batches make an epoch. "
                         "Received: steps=None")
    return DatasetAdapter(x, steps=steps, class_weight=class_weight, device=device)


def dataset_is_infinite(x):
    from kerasish.utils.dataset import INFINITE

    return x._cardinality() == INFINITE


data_adapters.register_adapter(lambda x: isinstance(x, Dataset), _make)
