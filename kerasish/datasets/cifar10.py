"""CIFAR-10: `load_data()` -> `(x_train, y_train), (x_test, y_test)`, uint8 images `(n, 32, 32, 3)` and
labels `(n, 1)`, as Keras returns them. Read from the binary archive (see `_cifar.py`: no pickles)."""

import os

import numpy as np

from kerasish.datasets import _cifar

ARCHIVE = "cifar-10-binary.tar.gz"
MD5 = "c32a1d4ab5d03f1284b67883e8d87530"  # published by the CIFAR authors


def load_data():
    """CIFAR-10 (50,000 train / 10,000 test images in 10 classes).

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = load_data()
    ```
    """
    root = _cifar.download(ARCHIVE, "cifar-10-batches-bin", MD5)
    parts = [_cifar.read_records(os.path.join(root, f"data_batch_{i}.bin"), 1) for i in range(1, 6)]
    x_train = np.concatenate([p[0] for p in parts])
    y_train = np.concatenate([p[1] for p in parts]).astype("uint8")
    x_test, y_test = _cifar.read_records(os.path.join(root, "test_batch.bin"), 1)
    return (_cifar.to_keras_layout(x_train), y_train), (_cifar.to_keras_layout(x_test), y_test.astype("uint8"))
