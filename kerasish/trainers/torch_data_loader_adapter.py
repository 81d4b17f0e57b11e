"""torch `DataLoader`s and `Dataset`s as `fit`/`evaluate`/`predict` input."""

import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset

from kerasish.trainers import data_adapters
from kerasish.trainers.batch_adapter_utils import StreamAdapter


def is_data_loader(x):
    return isinstance(x, DataLoader)


def is_torch_dataset(x):
    return isinstance(x, Dataset) and not isinstance(x, DataLoader)


class TorchDataLoaderAdapter(StreamAdapter):
    """Batches from a `DataLoader` whose items are `x`, `(x, y)` or `(x, y, sample_weight)`.

    The loader's own `batch_size`, `shuffle` and workers apply; each pass is one iteration of
    the loader, and its tensors are copied to the device with non-blocking copies.

    Args:
        loader: the `DataLoader`.
        steps: batches per epoch; the loader is restarted when a pass ends.
        class_weight: dict of class index -> weight, applied per batch.
        device: where batches are delivered.

    Example:

    ```python
    loader = torch.utils.data.DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)
    model.fit(loader, epochs=2)
    ```
    """

    def __init__(self, loader, steps=None, class_weight=None, device=None):
        super().__init__(steps=steps, class_weight=class_weight, device=device)
        self._loader = loader

    def _pass_length(self):
        try:
            return len(self._loader)
        except TypeError:  # an IterableDataset without a length
            return None

    def _new_pass(self):
        return iter(self._loader)


def _reject_separate_targets(y, sample_weight, what):
    if y is not None or sample_weight is not None:
        raise ValueError(
            f"When `x` is a torch {what}, its items carry the targets and sample weights; do not pass "
            f"them separately. Received: y={type(y).__name__}, sample_weight={type(sample_weight).__name__}"
        )


def _make_loader_adapter(x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                         class_weight=None, device=None, **options):
    _reject_separate_targets(y, sample_weight, "DataLoader")
    return TorchDataLoaderAdapter(x, steps=steps, class_weight=class_weight, device=device)


def _make_dataset_adapter(x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                          class_weight=None, device=None, **options):
    """A map-style or iterable `Dataset` of samples, batched by a `DataLoader` here."""
    _reject_separate_targets(y, sample_weight, "Dataset")
    iterable = isinstance(x, IterableDataset)
    loader = DataLoader(x, batch_size=int(batch_size or 32), shuffle=bool(shuffle) and not iterable,
                        pin_memory=device is not None and torch.device(device).type == "cuda")
    return TorchDataLoaderAdapter(loader, steps=steps, class_weight=class_weight, device=device)


data_adapters.register_adapter(is_data_loader, _make_loader_adapter)
data_adapters.register_adapter(is_torch_dataset, _make_dataset_adapter)
