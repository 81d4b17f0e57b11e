"""`to_categorical` and `normalize`, as in `keras.utils`."""

import numpy as np


def to_categorical(y, num_classes=None, dtype="float32"):
    """Converts a class vector (integers) to a one-hot matrix.

    Args:
        y: array of class indices (any shape; a trailing axis of size 1 is dropped).
        num_classes: total number of classes. Defaults to `max(y) + 1`.
        dtype: dtype of the result. Defaults to `"float32"`.

    Example:

    >>> to_categorical([0, 2, 1], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
    """
    if hasattr(y, "detach"):
        y = y.detach().cpu().numpy()
    y = np.asarray(y)
    if y.dtype.kind == "f":
        if not np.all(np.equal(np.mod(y, 1), 0)):
            raise ValueError(f"`to_categorical` expects integer class labels. Received non-integer values, e.g. {y.flat[0]}")
    elif y.dtype.kind not in "iub":
        raise TypeError(f"`to_categorical` expects integer class labels. Received: dtype={y.dtype}")
    y = y.astype("int64")
    input_shape = y.shape
    if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
        input_shape = input_shape[:-1]
    y = y.reshape(-1)
    if y.size and y.min() < 0:
        raise ValueError(f"`to_categorical` expects non-negative class labels. Received a label of {y.min()}")
    if not num_classes:
        num_classes = int(np.max(y)) + 1 if y.size else 0
    elif y.size and int(np.max(y)) >= num_classes:
        raise ValueError(
            f"Class label {int(np.max(y))} is out of range for num_classes={num_classes} "
            "(labels must be in [0, num_classes))."
        )
    n = y.shape[0]
    categorical = np.zeros((n, num_classes), dtype=dtype)
    categorical[np.arange(n), y] = 1
    return categorical.reshape(input_shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Normalizes `x` to unit `order`-norm along `axis` (zero vectors stay zero).

    Example:

    >>> kerasish.utils.normalize(np.array([[3.0, 4.0]]), axis=-1, order=2)
    array([[0.6, 0.8]])
    """
    if hasattr(x, "detach"):
        import torch

        norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
        return x / torch.where(norm == 0, torch.ones_like(norm), norm)
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)
