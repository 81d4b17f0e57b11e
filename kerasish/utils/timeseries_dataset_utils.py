"""`timeseries_dataset_from_array`: Keras's windows, targets, checks and seeded start order."""

import numpy as np
import torch

from kerasish.utils.dataset import Dataset


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1, sampling_rate=1,
                                  batch_size=128, shuffle=False, seed=None, start_index=None,
                                  end_index=None, format="tf"):
    """A `Dataset` of sliding windows over `data` (and the target of each window's first step).

    Window `i` is `data[start + p_i : start + p_i + sequence_length * sampling_rate : sampling_rate]`
    with `p_i = i * sequence_stride`; its target is `targets[start + p_i]` (Keras's alignment).
    With `shuffle`, the window order is shuffled with `np.random.RandomState(seed)` as Keras does,
    then again per epoch in a buffer of `batch_size * 8` windows.

    Args:
        data: array of timesteps (first axis is time).
        targets: targets per timestep, or None.
        sequence_length: timesteps per window.
        sequence_stride: step between window starts.
        sampling_rate: step between timesteps inside a window.
        batch_size: windows per batch, or None for single windows. Defaults to 128.
        shuffle, seed: shuffle the windows.
        start_index, end_index: the part of `data` used (end exclusive).

    Example:

    ```python
    ds = timeseries_dataset_from_array(np.arange(100), None, sequence_length=10, batch_size=16)
    next(iter(ds)).shape   # torch.Size([16, 10])
    ```
    """
    from kerasish.utils.dataset_utils import check_format

    data = data.numpy() if isinstance(data, torch.Tensor) else np.asarray(data)
    _check_indices(data, start_index, end_index)
    _check_strides(data, sampling_rate, sequence_stride)
    check_format(format)
    start = start_index or 0
    end = len(data) if end_index is None else end_index
    num_seqs = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = targets.numpy() if isinstance(targets, torch.Tensor) else np.asarray(targets)
        num_seqs = min(num_seqs, len(targets))
    positions = np.arange(0, max(num_seqs, 0), sequence_stride,
                          dtype="int32" if num_seqs < 2147483647 else "int64")
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(positions)
    window_data = torch.from_numpy(np.ascontiguousarray(data[start:end]))
    window_targets = None if targets is None else torch.from_numpy(np.ascontiguousarray(targets[start:]))
    offsets = torch.arange(sequence_length, dtype=torch.int64) * sampling_rate

    def windows(pos):
        pos = pos.to(torch.int64)
        x = window_data[pos.unsqueeze(-1) + offsets]
        return x if window_targets is None else (x, window_targets[pos])

    ds = Dataset.from_tensor_slices(positions)
    if shuffle:
        ds = ds.shuffle(buffer_size=batch_size * 8 if batch_size is not None else 1024, seed=seed)
    if batch_size is not None:
        ds = ds.batch(batch_size)
    return ds.map(windows)  # gathers whole batches of windows at once


def _check_indices(data, start_index, end_index):
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: start_index={start_index}")
        if start_index >= len(data):
            raise ValueError("`start_index` must be lower than the length of the data. "
                             f"Received: start_index={start_index}, for data of length {len(data)}")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError("`end_index` must be higher than `start_index`. "
                             f"Received: start_index={start_index}, and end_index={end_index}")
        if end_index >= len(data):
            raise ValueError("`end_index` must be lower than the length of the data. "
                             f"Received: end_index={end_index}, for data of length {len(data)}")
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")


def _check_strides(data, sampling_rate, sequence_stride):
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
        if value >= len(data):
            raise ValueError(f"`{name}` must be lower than the length of the data. "
                             f"Received: {name}={value}, for data of length {len(data)}")
