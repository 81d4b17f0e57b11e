"""The iterators behind `ImageDataGenerator.flow` and `flow_from_directory`.

They are `PyDataset`s (so `fit` takes them, batch by batch, by index) and Python iterators that loop
forever (`next(it)`, as Keras 2 generators did). Index order and seeding follow Keras's `Iterator`.
"""

import os
import threading

import numpy as np

from kerasish.backend import config
from kerasish.utils.image_utils import array_to_img, img_to_array, load_img
from kerasish.utils.sequence import PyDataset

WHITE_LIST_FORMATS = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")
_CLASS_MODES = ("categorical", "binary", "sparse", "input", None)
_COLOR_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


class Iterator(PyDataset):
    """Batches of `batch_size` indices into `n` samples: by index (`it[i]`) or forever (`next(it)`)."""

    def __init__(self, n, batch_size, shuffle, seed):
        super().__init__()
        self.n, self.batch_size, self.shuffle, self.seed = n, batch_size, shuffle, seed
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array = None
        self.index_generator = self._flow_index()

    def _set_index_array(self):
        self.index_array = np.random.permutation(self.n) if self.shuffle else np.arange(self.n)

    def __getitem__(self, idx):
        if idx >= len(self):
            raise ValueError(f"Asked to retrieve element {idx}, but the Sequence has length {len(self)}")
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)
        self.total_batches_seen += 1
        if self.index_array is None:
            self._set_index_array()
        return self._get_batches_of_transformed_samples(
            self.index_array[self.batch_size * idx:self.batch_size * (idx + 1)])

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_end(self):
        self._set_index_array()

    def reset(self):
        self.batch_index = 0

    def _flow_index(self):
        self.reset()
        while True:
            if self.seed is not None:
                np.random.seed(self.seed + self.total_batches_seen)
            if self.batch_index == 0:
                self._set_index_array()
            current = (self.batch_index * self.batch_size) % self.n if self.n else 0
            self.batch_index = self.batch_index + 1 if self.n > current + self.batch_size else 0
            self.total_batches_seen += 1
            yield self.index_array[current:current + self.batch_size]

    def __iter__(self):
        return self

    def __next__(self):
        with self.lock:
            index_array = next(self.index_generator)
        return self._get_batches_of_transformed_samples(index_array)

    def _transform_batch(self, batch_x):
        gen = self.image_data_generator
        if gen is None:
            return batch_x
        params = [gen.get_random_transform(x.shape) for x in batch_x]
        batch_x = gen.apply_transform_batch(batch_x, params)
        return np.stack([gen.standardize(x) for x in batch_x]) if len(batch_x) else batch_x

    def _save_batch(self, batch_x, index_array):
        for i, j in enumerate(index_array):
            img = array_to_img(batch_x[i], self.data_format, scale=True)
            name = f"{self.save_prefix}_{j}_{np.random.randint(int(1e7))}.{self.save_format}"
            img.save(os.path.join(self.save_to_dir, name))


def _check_subset(subset):
    if subset not in ("training", "validation", None):
        raise ValueError(f"Invalid subset name: expected 'training' or 'validation'. Received: subset={subset!r}")


class NumpyArrayIterator(Iterator):
    """Augmented batches from arrays (`ImageDataGenerator.flow`)."""

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False, sample_weight=None,
                 seed=None, data_format=None, save_to_dir=None, save_prefix="", save_format="png",
                 subset=None, ignore_class_split=False, dtype=None):
        _check_subset(subset)
        self.dtype = dtype or config.floatx()
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"Input data in `NumpyArrayIterator` should have rank 4. Received: shape={x.shape}")
        if y is not None and len(x) != len(y):
            raise ValueError("`x` (images tensor) and `y` (labels) should have the same length. "
                             f"Received: x.shape={x.shape}, y.shape={np.asarray(y).shape}")
        if sample_weight is not None and len(x) != len(sample_weight):
            raise ValueError("`x` and `sample_weight` should have the same length. "
                             f"Received: x.shape={x.shape}, sample_weight.shape={np.asarray(sample_weight).shape}")
        split = image_data_generator._validation_split if (subset and image_data_generator) else 0
        if split:
            split_idx = int(len(x) * split)
            keep = slice(None, split_idx) if subset == "validation" else slice(split_idx, None)
            if y is not None and not ignore_class_split and not np.array_equal(
                    np.unique(np.asarray(y)[:split_idx]), np.unique(np.asarray(y)[split_idx:])):
                raise ValueError("Training and validation subsets have different number of classes after "
                                 "the split. If your numpy arrays are sorted by the label, you might want "
                                 "to shuffle them (or pass `ignore_class_split=True`).")
            x = x[keep]
            y = None if y is None else np.asarray(y)[keep]
            sample_weight = None if sample_weight is None else np.asarray(sample_weight)[keep]
        self.x = x
        self.y = None if y is None else np.asarray(y)
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        self.image_data_generator = image_data_generator
        self.data_format = config.standardize_data_format(data_format)
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        super().__init__(x.shape[0], batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = self._transform_batch(self.x[index_array])
        if self.save_to_dir:
            self._save_batch(batch_x, index_array)
        if self.y is None:
            return batch_x
        out = (batch_x, self.y[index_array])
        if self.sample_weight is not None:
            out += (self.sample_weight[index_array],)
        return out


def _iter_valid_files(directory, follow_links):
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links), key=lambda t: t[0]):
        for fname in sorted(files):
            if fname.lower().endswith(WHITE_LIST_FORMATS):
                yield root, fname


def _list_class_files(directory, split, class_index, follow_links):
    files = list(_iter_valid_files(directory, follow_links))
    if split:
        files = files[int(split[0] * len(files)):int(split[1] * len(files))]
    parent = os.path.dirname(directory)
    return [class_index] * len(files), [os.path.relpath(os.path.join(r, f), parent) for r, f in files]


class DirectoryIterator(Iterator):
    """Augmented batches from image files in `directory/<class>/...` (`flow_from_directory`)."""

    def __init__(self, directory, image_data_generator, target_size=(256, 256), color_mode="rgb",
                 classes=None, class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                 data_format=None, save_to_dir=None, save_prefix="", save_format="png",
                 follow_links=False, subset=None, interpolation="nearest", keep_aspect_ratio=False,
                 dtype=None):
        _check_subset(subset)
        if color_mode not in _COLOR_CHANNELS:
            raise ValueError(f"Invalid color mode: expected one of {sorted(_COLOR_CHANNELS)}. Received: color_mode={color_mode!r}")
        if class_mode not in _CLASS_MODES:
            raise ValueError(f"Invalid class_mode: expected one of {_CLASS_MODES}. Received: class_mode={class_mode!r}")
        if not os.path.isdir(directory):
            raise ValueError(f"`directory` must be an existing folder. Received: directory={directory!r}")
        self.directory, self.image_data_generator = directory, image_data_generator
        self.target_size, self.color_mode = tuple(target_size), color_mode
        self.data_format = config.standardize_data_format(data_format)
        channels = _COLOR_CHANNELS[color_mode]
        self.image_shape = (channels,) + self.target_size if self.data_format == "channels_first" \
            else self.target_size + (channels,)
        self.class_mode, self.dtype = class_mode, dtype or config.floatx()
        self.interpolation, self.keep_aspect_ratio = interpolation, keep_aspect_ratio
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        split_frac = image_data_generator._validation_split if (subset and image_data_generator) else 0
        split = None
        if split_frac:
            split = (0, split_frac) if subset == "validation" else (split_frac, 1)
        if not classes:
            classes = sorted(d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d)))
        self.num_classes = len(classes)
        self.class_indices = dict(zip(classes, range(len(classes))))
        labels, self.filenames = [], []
        for name in classes:
            c, f = _list_class_files(os.path.join(directory, name), split, self.class_indices[name], follow_links)
            labels += c
            self.filenames += f
        self.classes = np.array(labels, dtype="int32")
        self.samples = len(self.filenames)
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        self._filepaths = [os.path.join(directory, f) for f in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        return self.classes

    def _load(self, j):
        img = load_img(self._filepaths[j], color_mode=self.color_mode, target_size=self.target_size,
                       interpolation=self.interpolation, keep_aspect_ratio=self.keep_aspect_ratio)
        x = img_to_array(img, data_format=self.data_format, dtype=self.dtype)
        img.close()
        return x

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.image_shape, dtype=self.dtype)
        for i, j in enumerate(index_array):
            batch_x[i] = self._load(j)
        batch_x = self._transform_batch(batch_x)
        if self.save_to_dir:
            self._save_batch(batch_x, index_array)
        labels = self.classes[index_array]
        if self.class_mode == "input":
            return batch_x, batch_x.copy()
        if self.class_mode in ("binary", "sparse"):
            return batch_x, labels.astype(self.dtype)
        if self.class_mode == "categorical":
            batch_y = np.zeros((len(batch_x), self.num_classes), dtype=self.dtype)
            batch_y[np.arange(len(batch_x)), labels] = 1.0
            return batch_x, batch_y
        return batch_x
