"""Python generators and iterators as `fit`/`evaluate`/`predict` input."""

import inspect

import numpy as np
import torch

from kerasish.trainers import data_adapters
from kerasish.trainers.batch_adapter_utils import StreamAdapter


def is_generator(x):
    """A generator or another one-shot iterator (not an array, list, dict or batch dataset)."""
    if inspect.isgenerator(x):
        return True
    if isinstance(x, (np.ndarray, torch.Tensor, list, tuple, dict, str, bytes)):
        return False
    return hasattr(x, "__next__") and hasattr(x, "__iter__")


class GeneratorDataAdapter(StreamAdapter):
    """Batches from a generator yielding `x`, `(x, y)` or `(x, y, sample_weight)`.

    Without `steps`, an epoch runs until the generator is exhausted (so only the first epoch
    has data, as in Keras); with `steps`, each epoch takes that many batches from it (an endless
    generator, as Keras 2's `fit_generator` expects).

    Args:
        generator: the generator.
        steps: batches per epoch (`steps_per_epoch`, `validation_steps` or `steps`).
        class_weight: dict of class index -> weight, applied per batch.
        device: where batches are delivered.

    Example:

    ```python
    def batches():
        while True:
            yield x[:32], y[:32]

    model.fit(batches(), steps_per_epoch=10, epochs=2)
    ```
    """

    can_restart = False

    def __init__(self, generator, steps=None, class_weight=None, device=None):
        super().__init__(steps=steps, class_weight=class_weight, device=device)
        self._generator = generator

    def _new_pass(self):
        return self._generator


def _make(x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False, class_weight=None,
          device=None, **options):
    if y is not None or sample_weight is not None:
        raise ValueError(
            "When `x` is a generator, pass targets and sample weights in the batches it yields "
            "(`(x, y)` or `(x, y, sample_weight)`), not as separate arguments. "
            f"Received: y={type(y).__name__}, sample_weight={type(sample_weight).__name__}"
        )
    return GeneratorDataAdapter(x, steps=steps, class_weight=class_weight, device=device)


data_adapters.register_adapter(is_generator, _make)
