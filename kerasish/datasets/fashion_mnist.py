"""Fashion-MNIST: `load_data()` -> `(x_train, y_train), (x_test, y_test)` (uint8, 28x28)."""

import gzip
import os

import numpy as np

from kerasish.datasets import _fetch

FILES = ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz")
CACHE_SUBDIR = os.path.join("datasets", "fashion-mnist")


def _read_idx(path, offset, shape):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset).reshape(shape)


def load_data():
    """The four IDX files Keras downloads into `$KERAS_HOME/datasets/fashion-mnist`.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = load_data()
    ```
    """
    paths = [_fetch.fetch(fname, cache_subdir=CACHE_SUBDIR) for fname in FILES]
    y_train = _read_idx(paths[0], 8, (-1,))
    x_train = _read_idx(paths[1], 16, (len(y_train), 28, 28))
    y_test = _read_idx(paths[2], 8, (-1,))
    x_test = _read_idx(paths[3], 16, (len(y_test), 28, 28))
    return (x_train, y_train), (x_test, y_test)
