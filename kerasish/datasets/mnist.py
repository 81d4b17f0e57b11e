"""MNIST digits: `load_data()` -> `(x_train, y_train), (x_test, y_test)` (uint8, 60,000 + 10,000)."""

import os
import warnings

from kerasish.datasets import _fetch, _safe_npz

FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
SAMPLE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "mnist_5k.npz")


def _read(path):
    x_train, y_train, x_test, y_test = _safe_npz.read_arrays(path, ["x_train", "y_train", "x_test",
                                                                     "y_test"])
    return (x_train, y_train), (x_test, y_test)


def load_data(path="mnist.npz"):
    """Keras's `mnist.npz` (downloaded once into `$KERAS_HOME/datasets`, sha256-checked).

    If it can be neither downloaded nor found in the cache, the 5,000-digit sample bundled with
    kerasish (4,000 train / 1,000 test) is returned instead, with a warning.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = load_data()
    x_train.shape   # (60000, 28, 28)
    ```
    """
    try:
        file_path = _fetch.fetch(path, remote_name="mnist.npz", file_hash=FILE_HASH)
    except RuntimeError as e:
        warnings.warn(f"{e}\nUsing the 5,000-digit MNIST sample bundled with kerasish instead "
                      "(4,000 train / 1,000 test digits).", stacklevel=2)
        file_path = SAMPLE_PATH
    return _read(file_path)
