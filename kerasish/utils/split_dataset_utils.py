"""The body of `split_dataset` (see `dataset_utils.split_dataset`)."""

import numpy as np
import torch

from kerasish.utils import dataset_structure as structure
from kerasish.utils import dataset_transforms
from kerasish.utils.dataset import AUTOTUNE, Dataset


def split(dataset, left_size, right_size, shuffle, seed, preferred_backend):
    if preferred_backend not in (None, "tensorflow", "torch"):
        raise ValueError('`preferred_backend` must be None, "tensorflow" or "torch". '
                         f"Received: preferred_backend={preferred_backend!r}")
    is_torch = isinstance(dataset, torch.utils.data.Dataset)
    if not is_torch and not isinstance(dataset, (Dataset, list, tuple, np.ndarray)):
        raise TypeError("The `dataset` argument must be a Dataset, a torch Dataset, or a list/tuple of "
                        f"arrays. Received: dataset of type {type(dataset).__name__}")
    if left_size is None and right_size is None:
        raise ValueError("At least one of the `left_size` or `right_size` must be specified. "
                         "Received: left_size=None and right_size=None")
    if preferred_backend == "torch" or (is_torch and preferred_backend is None):
        return _split_torch(dataset, left_size, right_size, shuffle, seed)
    return _split_samples(dataset, left_size, right_size, shuffle, seed)


def _split_samples(dataset, left_size, right_size, shuffle, seed):
    from kerasish.utils.dataset_utils import _python_shuffle

    samples, batch_size = _samples(dataset)
    if shuffle:
        samples = _python_shuffle(samples, seed)
    left_n, right_n = rescale_split_sizes(left_size, right_size, len(samples))
    out = []
    for part in (samples[:left_n], samples[-right_n:]):
        ds = Dataset.from_tensor_slices(structure.stack_elements(part))
        if batch_size is not None:
            ds = ds.batch(batch_size)
        out.append(ds.prefetch(AUTOTUNE))
    return tuple(out)


def _samples(dataset):
    """(list of samples, batch size of a batched Dataset or None)."""
    if isinstance(dataset, Dataset):
        inner = dataset
        while isinstance(inner, dataset_transforms.Prefetch):
            inner = inner._input
        batch_size = inner._batch_size if isinstance(inner, dataset_transforms.Batch) else None
        samples = list(dataset.unbatch() if batch_size is not None else dataset)
    elif isinstance(dataset, np.ndarray):
        samples, batch_size = list(structure.to_leaf(dataset).unbind(0)) if dataset.dtype.kind not in "USO" \
            else [str(s) for s in dataset], None
    else:
        if len(dataset) == 0:
            raise ValueError("Received an empty list dataset. Please provide a non-empty list of arrays.")
        arrays = [np.asarray(a) for a in dataset]
        lengths = {len(a) for a in arrays}
        if len(lengths) > 1:
            raise ValueError("Received a list of NumPy arrays with different lengths. "
                             f"Received: lengths {[len(a) for a in arrays]}")
        sliced = Dataset.from_tensor_slices(tuple(arrays))
        samples, batch_size = list(sliced), None
    if not samples:
        raise ValueError("Received an empty dataset. Argument `dataset` must be a non-empty list/tuple of "
                         "arrays or a non-empty Dataset.")
    return samples, batch_size


def _split_torch(dataset, left_size, right_size, shuffle, seed):
    from torch.utils.data import TensorDataset, random_split

    if not isinstance(dataset, torch.utils.data.Dataset):
        if isinstance(dataset, Dataset):
            raise TypeError('`preferred_backend="torch"` splits arrays or torch Datasets. Received: a kerasish Dataset')
        arrays = [dataset] if isinstance(dataset, np.ndarray) else list(dataset)
        dataset = TensorDataset(*[torch.from_numpy(np.asarray(a)) for a in arrays])
    left_n, right_n = rescale_split_sizes(left_size, right_size, len(dataset))
    generator = None
    if shuffle:
        generator = torch.Generator()
        if seed is not None:
            generator.manual_seed(seed)
        else:
            generator.seed()
    return tuple(random_split(dataset, [left_n, right_n], generator=generator))


def rescale_split_sizes(left_size, right_size, total):
    """Keras's `_rescale_dataset_split_sizes`: checks, then sizes as ints."""
    for name, value in (("left_size", left_size), ("right_size", right_size)):
        if value is not None and type(value) not in (int, float):
            raise TypeError(f"Invalid `{name}` Type. Expected: int or float or None. Received: type({name})={type(value)}")
    if left_size == 0 and right_size == 0:
        raise ValueError("Both `left_size` and `right_size` are zero. At least one of the split sizes must be "
                         "non-zero. Received: left_size=0, right_size=0")
    for name, value in (("left_size", left_size), ("right_size", right_size)):
        if (type(value) is int and (value <= 0 or value >= total)) or \
                (type(value) is float and (value <= 0 or value >= 1)):
            raise ValueError(f"`{name}` should be either a positive integer smaller than {total}, or a float "
                             f"within the range `[0, 1]`. Received: {name}={value}")
    if type(left_size) is type(right_size) is float and left_size + right_size > 1:
        raise ValueError("The sum of `left_size` and `right_size` is greater than 1. It must be less than or "
                         f"equal to 1. Received: left_size={left_size}, right_size={right_size}")
    left = round(left_size * total) if type(left_size) is float else left_size
    right = round(right_size * total) if type(right_size) is float else right_size
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(f"The sum of `left_size` and `right_size` should be smaller than the {total}. "
                         f"Received: left_size + right_size = {left + right} and total_length = {total}")
    for value, side in ((left, "left"), (right, "right")):
        if value == 0:
            raise ValueError(f"With `dataset` of length={total}, `left_size`={left} and `right_size`={right}. "
                             f"Resulting {side} side dataset split will be empty. Received: {side} size 0")
    return int(left), int(right)
