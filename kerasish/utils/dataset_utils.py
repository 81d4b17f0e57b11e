"""Datasets from folders and arrays: `image_dataset_from_directory`, `text_dataset_from_directory`,
`timeseries_dataset_from_array`.

Each returns a `BatchDataset`: a `PyDataset` of `(x, y)` numpy batches (or `x` alone) that `fit`,
`evaluate` and `predict` take directly, and that a `for` loop iterates once per pass.
"""

import os

import numpy as np

from kerasish.utils.sequence import PyDataset

_IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_LABEL_MODES = ("int", "categorical", "binary", None)


class BatchDataset(PyDataset):
    """Fixed batches built by a loader function from a list of items."""

    def __init__(self, items, labels, batch_size, load, label_mode, num_classes, class_names=None):
        super().__init__()
        self.items, self.labels = items, labels
        self.batch_size = len(items) if batch_size is None else batch_size
        self._load, self._label_mode, self._num_classes = load, label_mode, num_classes
        self.class_names = class_names
        self.file_paths = list(items) if items and isinstance(items[0], str) else None

    def __len__(self):
        return (len(self.items) + self.batch_size - 1) // max(self.batch_size, 1)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"Batch index out of range. Received: index={index}, len={len(self)}")
        sl = slice(index * self.batch_size, (index + 1) * self.batch_size)
        x = self._load(self.items[sl])
        if self.labels is None or self._label_mode is None:
            return x
        return x, _encode_labels(np.asarray(self.labels[sl]), self._label_mode, self._num_classes)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]


def _encode_labels(labels, label_mode, num_classes):
    if label_mode == "binary":
        return labels.astype("float32").reshape(-1, 1)
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels]
    return labels.astype("int32")


def _index_directory(directory, labels, formats, class_names, shuffle, seed, follow_links):
    if labels == "inferred":
        subdirs = sorted(d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d)))
        if class_names:
            if sorted(class_names) != sorted(subdirs) and set(class_names) - set(subdirs):
                raise ValueError(f"The `class_names` passed did not match the names of the subdirectories "
                                 f"of the target directory. Expected: {subdirs}. Received: class_names={class_names}")
            subdirs = list(class_names)
        folders = [(os.path.join(directory, d), i) for i, d in enumerate(subdirs)]
    else:
        subdirs, folders = [], [(directory, 0)]
    paths, found = [], []
    for folder, index in folders:
        for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda t: t[0]):
            for fname in sorted(files):
                if fname.lower().endswith(formats):
                    paths.append(os.path.join(root, fname))
                    found.append(index)
    if labels not in ("inferred", None):
        if len(labels) != len(paths):
            raise ValueError("Expected the lengths of `labels` to match the number of files in the target "
                             f"directory. Received: len(labels)={len(labels)}, number of files={len(paths)}")
        found = list(labels)
    labels_out = None if labels is None else np.asarray(found)
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        order = np.random.RandomState(seed).permutation(len(paths))
        paths = [paths[i] for i in order]
        labels_out = None if labels_out is None else labels_out[order]
    return paths, labels_out, subdirs


def _split(paths, labels, validation_split, subset):
    if not validation_split:
        return paths, labels
    if subset not in ("training", "validation"):
        raise ValueError(f'`subset` must be "training" or "validation" with `validation_split`. Received: subset={subset!r}')
    num_val = int(validation_split * len(paths))
    sl = slice(None, len(paths) - num_val) if subset == "training" else slice(len(paths) - num_val, None)
    return paths[sl], None if labels is None else labels[sl]


def _check_label_mode(label_mode, labels):
    if label_mode not in _LABEL_MODES:
        raise ValueError(f"`label_mode` must be one of {_LABEL_MODES}. Received: label_mode={label_mode!r}")
    if labels is None:
        return None
    return label_mode


def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                 color_mode="rgb", batch_size=32, image_size=(256, 256), shuffle=True,
                                 seed=None, validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False, data_format=None,
                                 verbose=True):
    """Batches `(images, labels)` from `directory/<class name>/*.{png,jpg,...}`.

    Images are float32 arrays with values in `[0, 255]`, resized to `image_size` (Pillow's resampling).
    Labels follow `label_mode`: `"int"`, `"categorical"` (one-hot), `"binary"` (float, shape `(n, 1)`)
    or None. The file order is shuffled once with `seed`; `validation_split` + `subset` take the last
    fraction as validation, as Keras does.

    Example:

    ```python
    train = image_dataset_from_directory("photos", image_size=(64, 64), validation_split=0.2,
                                         subset="training", seed=1)
    model.fit(train, epochs=2)
    ```
    """
    from kerasish.utils.image_utils import img_to_array, load_img

    label_mode = _check_label_mode(label_mode, labels)
    paths, found, subdirs = _index_directory(directory, labels, _IMAGE_FORMATS, class_names, shuffle,
                                             seed, follow_links)
    if verbose:
        print(f"Found {len(paths)} files belonging to {max(len(subdirs), 1)} classes.")
    paths, found = _split(paths, found, validation_split, subset)

    def load(batch_paths):
        images = [img_to_array(load_img(p, color_mode=color_mode, target_size=tuple(image_size),
                                        interpolation=interpolation, keep_aspect_ratio=crop_to_aspect_ratio),
                               data_format=data_format, dtype="float32") for p in batch_paths]
        return np.stack(images)

    return BatchDataset(paths, found, batch_size, load, label_mode, max(len(subdirs), 1), subdirs or None)


def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                batch_size=32, max_length=None, shuffle=True, seed=None,
                                validation_split=None, subset=None, follow_links=False, verbose=True):
    """Batches `(texts, labels)` from `directory/<class name>/*.txt`; texts are numpy arrays of `str`
    (truncated to `max_length` characters when given).

    Example:

    ```python
    ds = text_dataset_from_directory("aclImdb/train", batch_size=64)
    texts, labels = ds[0]
    ```
    """
    label_mode = _check_label_mode(label_mode, labels)
    paths, found, subdirs = _index_directory(directory, labels, (".txt",), class_names, shuffle, seed,
                                             follow_links)
    if verbose:
        print(f"Found {len(paths)} files belonging to {max(len(subdirs), 1)} classes.")
    paths, found = _split(paths, found, validation_split, subset)

    def load(batch_paths):
        texts = []
        for p in batch_paths:
            with open(p, encoding="utf-8") as f:
                text = f.read()
            texts.append(text[:max_length] if max_length else text)
        return np.array(texts, dtype=str)

    return BatchDataset(paths, found, batch_size, load, label_mode, max(len(subdirs), 1), subdirs or None)


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1, sampling_rate=1,
                                  batch_size=128, shuffle=False, seed=None, start_index=None, end_index=None):
    """Batches of sliding windows over `data` (and the target of each window's first step).

    Window `i` is `data[start + p_i : start + p_i + sequence_length * sampling_rate : sampling_rate]`,
    with `p_i = i * sequence_stride`, and its target is `targets[start + p_i]` (Keras's alignment).

    Example:

    ```python
    ds = timeseries_dataset_from_array(np.arange(100), None, sequence_length=10, batch_size=16)
    ds[0].shape   # (16, 10)
    ```
    """
    data = np.asarray(data)
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0 or value >= len(data):
            raise ValueError(f"`{name}` must be higher than 0 and lower than the length of the data. "
                             f"Received: {name}={value}, len(data)={len(data)}")
    start = start_index or 0
    end = len(data) if end_index is None else end_index
    num_seqs = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)
        num_seqs = min(num_seqs, len(targets))
    positions = np.arange(0, max(num_seqs, 0), sequence_stride)
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(positions)
    offsets = np.arange(sequence_length) * sampling_rate
    window_data = data[start:end]
    window_targets = None if targets is None else targets[start:end]
    items = list(positions)

    def load(batch_positions):
        return window_data[np.asarray(batch_positions)[:, None] + offsets]

    labels = None if window_targets is None else window_targets[positions]
    return _TimeseriesBatches(items, labels, batch_size, load)


class _TimeseriesBatches(BatchDataset):
    def __init__(self, items, labels, batch_size, load):
        super().__init__(items, labels, batch_size, load, "raw", None)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"Batch index out of range. Received: index={index}, len={len(self)}")
        sl = slice(index * self.batch_size, (index + 1) * self.batch_size)
        x = self._load(self.items[sl])
        return x if self.labels is None else (x, self.labels[sl])
