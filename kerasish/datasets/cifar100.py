"""CIFAR-100: `load_data(label_mode="fine")` -> `(x_train, y_train), (x_test, y_test)`; read from the
binary archive (see `_cifar.py`: no pickles)."""

import os

from kerasish.datasets import _cifar

ARCHIVE = "cifar-100-binary.tar.gz"
MD5 = "03b5dce01913d631647c71ecec9e9cb8"  # published by the CIFAR authors
_LABEL_COLUMN = {"coarse": 0, "fine": 1}


def load_data(label_mode="fine"):
    """CIFAR-100 with `"fine"` (100 classes, default) or `"coarse"` (20 superclasses) labels.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = load_data(label_mode="coarse")
    ```
    """
    if label_mode not in _LABEL_COLUMN:
        raise ValueError(f'`label_mode` must be one of "fine", "coarse". Received: label_mode={label_mode!r}')
    root = _cifar.download(ARCHIVE, "cifar-100-binary", MD5)
    col = _LABEL_COLUMN[label_mode]
    x_train, y_train = _cifar.read_records(os.path.join(root, "train.bin"), 2)
    x_test, y_test = _cifar.read_records(os.path.join(root, "test.bin"), 2)
    return ((_cifar.to_keras_layout(x_train), y_train[:, col:col + 1].astype("int64")),
            (_cifar.to_keras_layout(x_test), y_test[:, col:col + 1].astype("int64")))
