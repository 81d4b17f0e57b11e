"""Datasets from folders and arrays, as `keras.utils.*_dataset_from_directory`,
`timeseries_dataset_from_array` and `split_dataset` build them, returning `kerasish.utils.Dataset`.

This module holds what they share: indexing a directory (Keras's file order, labels and seeded
shuffle), validation splits, label encodings, and the pipeline paths -> shuffle -> load -> batch
-> prefetch that Keras builds with tf.data.
"""

import os
import random

import numpy as np

from kerasish.utils.dataset import AUTOTUNE, Dataset
from kerasish.utils.io_utils import print_msg

_LABEL_MODES = ("int", "categorical", "binary", None)


# ---------------------------------------------------------------------- argument checks
def check_labels_args(labels, label_mode, class_names, what):
    """Keras's checks of `labels`, `class_names` and `label_mode`, in Keras's order."""
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                f"`labels` argument should be a list/tuple of integer labels, of the same size as the "
                f"number of {what} files in the target directory. If you wish to infer the labels from "
                'the subdirectory names in the target directory, pass `labels="inferred"`. If you wish '
                f"to get a dataset that only contains {what} samples (no labels), pass `labels=None`. "
                f"Received: labels={labels!r}")
        if class_names:
            raise ValueError('You can only pass `class_names` if `labels="inferred"`. Received: '
                             f"labels={labels!r}, and class_names={class_names!r}")
    if label_mode not in _LABEL_MODES:
        raise ValueError('`label_mode` argument must be one of "int", "categorical", "binary", or None. '
                         f"Received: label_mode={label_mode!r}")


def check_validation_split_arg(validation_split, subset, shuffle, seed):
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1. Received: validation_split={validation_split!r}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely. "
                         f"Received: validation_split={validation_split!r}, subset={subset!r}")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f'`subset` must be either "training", "validation" or "both". Received: subset={subset!r}')
    if validation_split and shuffle and seed is None:
        raise ValueError("If using `validation_split` and shuffling the data, you must provide a `seed` "
                         "argument, to make sure that there is no overlap between the training and "
                         "validation subset. Received: seed=None")


def check_format(format):
    if format != "tf":
        raise ValueError('`format` must be "tf" (kerasish returns its own tf.data-like `Dataset`; '
                         f'"grain" is not supported). Received: format={format!r}')


# ---------------------------------------------------------------------- indexing
def _list_class_dirs(directory):
    return [d for d in sorted(os.listdir(directory))
            if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")]


def _walk_files(directory, follow_links, formats):
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links), key=lambda t: t[0]):
        for fname in sorted(files):
            if fname.lower().endswith(formats):
                yield os.path.join(root, fname)


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None,
                    follow_links=False, verbose=True):
    """`(file_paths, labels, class_names)` in Keras's order: class folders alphabetically (or in
    `class_names`' order), files sorted within each folder (walked recursively), then one
    shuffle of paths and labels with `np.random.RandomState(seed)`."""
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise ValueError(f"`directory` must be an existing directory. Received: directory={directory!r}")
    if labels == "inferred":
        subdirs = _list_class_dirs(directory)
        if class_names is not None:
            if not set(class_names).issubset(set(subdirs)):
                raise ValueError("The `class_names` passed did not match the names of the subdirectories "
                                 f"of the target directory. Expected: {subdirs} (or a subset of it), but "
                                 f"received: class_names={class_names!r}")
            subdirs = list(class_names)
    else:
        if class_names is not None:
            raise ValueError("When `labels` is not \"inferred\", argument `class_names` cannot be "
                             f"specified. Received: labels={labels!r}, class_names={class_names!r}")
        subdirs = [""]
    paths, found = [], []
    for index, subdir in enumerate(subdirs):
        folder = os.path.join(directory, subdir)
        # Keras keeps the path as `directory/<class>/<relative path>` (`os.path.join`).
        for path in _walk_files(folder, follow_links, formats):
            paths.append(os.path.join(directory, subdir, os.path.relpath(path, folder)) if subdir else path)
            found.append(index)
    if labels == "inferred":
        label_array, names = np.asarray(found, dtype="int32"), subdirs
    elif labels is None:
        label_array, names = None, None
    else:
        if len(labels) != len(paths):
            raise ValueError("Expected the lengths of `labels` to match the number of files in the target "
                             f"directory. Received: len(labels)={len(labels)}, number of files={len(paths)} "
                             f"in directory {directory!r}")
        label_array, names = np.asarray(labels), [str(v) for v in sorted(set(labels))]
    if verbose:
        print_msg(f"Found {len(paths)} files." if label_array is None else
                  f"Found {len(paths)} files belonging to {len(names)} classes.")
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(paths)
        if label_array is not None:
            np.random.RandomState(seed).shuffle(label_array)
    return paths, label_array, names


def get_training_or_validation_split(samples, labels, validation_split, subset):
    """Keras's split: the last `int(validation_split * n)` samples are the validation subset."""
    if not validation_split:
        return samples, labels
    num_val = int(validation_split * len(samples))
    if subset == "training":
        print_msg(f"Using {len(samples) - num_val} files for training.")
        sl = slice(None, -num_val) if num_val else slice(0, 0)  # Keras's `[:-0]` is empty too
    elif subset == "validation":
        print_msg(f"Using {num_val} files for validation.")
        sl = slice(-num_val, None) if num_val else slice(None)  # and `[-0:]` is everything
    else:
        raise ValueError(f'`subset` must be either "training" or "validation". Received: subset={subset!r}')
    return samples[sl], None if labels is None else labels[sl]


def encode_labels(labels, label_mode, num_classes):
    """Labels as Keras's datasets yield them: int32; float32 `(n, 1)` for "binary"; a float32
    one-hot for "categorical" (a label outside `[0, num_classes)` is all zeros, as `tf.one_hot`)."""
    labels = np.asarray(labels)
    if label_mode == "binary":
        return labels.astype("float32").reshape(-1, 1)
    if label_mode == "categorical":
        out = np.zeros((len(labels), num_classes), dtype="float32")
        valid = (labels >= 0) & (labels < num_classes)
        out[np.nonzero(valid)[0], labels[valid].astype("int64")] = 1.0
        return out
    return labels.astype("int32")


# ---------------------------------------------------------------------- the shared pipeline
def files_dataset(paths, labels, label_mode, num_classes, load, shuffle, seed, batch_size,
                  batch=None):
    """paths (+ encoded labels) -> shuffle(batch_size * 8, seed) -> map(load) -> batch -> prefetch,
    as Keras's tf.data pipeline; `batch(ds, batch_size)` replaces plain batching (audio pads)."""
    if label_mode:
        ds = Dataset.from_tensor_slices((np.asarray(paths), encode_labels(labels, label_mode, num_classes)))
    else:
        ds = Dataset.from_tensor_slices(np.asarray(paths))
    if shuffle:
        ds = ds.shuffle(buffer_size=batch_size * 8 if batch_size else 1024, seed=seed)
    if label_mode:
        ds = ds.map(lambda path, label: (load(path), label), num_parallel_calls=AUTOTUNE)
    else:
        ds = ds.map(load, num_parallel_calls=AUTOTUNE)
    if batch_size is not None:
        ds = batch(ds, batch_size) if batch else ds.batch(batch_size)
    return ds.prefetch(AUTOTUNE)


def directory_datasets(directory, labels, label_mode, class_names, batch_size, shuffle, seed,
                       validation_split, subset, follow_links, verbose, formats, what, load, batch=None):
    """The common body of the `*_dataset_from_directory` functions (after their own checks)."""
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = index_directory(directory, labels, formats, class_names, shuffle, seed,
                                                 follow_links, verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 class_names. '
                         f"Received: class_names={class_names}")
    num_classes = len(class_names) if class_names else 0

    def build(subset_name, shuffle_subset, label):
        sub_paths, sub_labels = get_training_or_validation_split(paths, labels, validation_split, subset_name)
        if not sub_paths:
            raise ValueError(f"No {label} found in directory {directory!r}. Allowed formats: {formats}")
        ds = files_dataset(sub_paths, sub_labels, label_mode, num_classes, load, shuffle_subset, seed,
                           batch_size, batch)
        ds.class_names, ds.file_paths = class_names, list(sub_paths)
        return ds

    if subset == "both":
        return [build("training", shuffle, f"training {what}"), build("validation", False, f"validation {what}")]
    return build(subset, shuffle, what)


# ---------------------------------------------------------------------- split_dataset
def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None, preferred_backend=None):
    """Splits a dataset into a left part and a right part (e.g. train / test).

    Arrays, tuples / lists of arrays and kerasish `Dataset`s are split as Keras splits a
    `tf.data.Dataset` (samples shuffled with Python's `random` seeded by `seed`, the left part
    taken from the front and the right part from the back) and come back as two `Dataset`s
    (re-batched when the input was batched). A torch `Dataset`, or `preferred_backend="torch"`,
    is split as Keras's torch path does (`torch.utils.data.random_split`), returning `Subset`s.

    Args:
        dataset: a `Dataset`, a torch `Dataset`, a numpy array, or a list/tuple of arrays of the
            same length.
        left_size, right_size: a float in `(0, 1)` (fraction) or an int (samples); None is the
            complement of the other.
        shuffle: shuffle the samples before splitting.
        seed: seed of the shuffle.

    Example:

    ```python
    left, right = split_dataset(np.random.random((1000, 4)), left_size=0.8)
    len(left), len(right)   # (800, 200)
    ```
    """
    from kerasish.utils import split_dataset_utils

    return split_dataset_utils.split(dataset, left_size, right_size, shuffle, seed, preferred_backend)


def _python_shuffle(items, seed):
    if seed is None:
        seed = random.randint(0, int(1e6))
    random.Random(seed).shuffle(items)  # the sequence of Keras's `random.seed(seed); random.shuffle`
    return items


# The builders, importable from here as before.
from kerasish.utils.image_dataset_utils import image_dataset_from_directory  # noqa: E402,F401
from kerasish.utils.text_dataset_utils import text_dataset_from_directory  # noqa: E402,F401
from kerasish.utils.audio_dataset_utils import audio_dataset_from_directory  # noqa: E402,F401
from kerasish.utils.timeseries_dataset_utils import timeseries_dataset_from_array  # noqa: E402,F401
