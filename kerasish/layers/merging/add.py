"""`Add` and `add`: elementwise sum of a list of tensors."""

import torch

from kerasish.layers.merging.base_merge import _Reducing


class Add(_Reducing):
    """Sums a list of tensors of the same shape (or broadcastable).

    Example:

    ```python
    added = Add()([Dense(8)(a), Dense(8)(b)])
    ```
    """

    _fold = torch.add


def add(inputs, **kwargs):
    """Functional form of `Add`: `add([x1, x2])`.

    Example:

    >>> a = kerasish.Input((3,))
    >>> b = kerasish.Input((3,))
    >>> kerasish.layers.add([a, b]).shape
    (None, 3)
    """
    return Add(**kwargs)(inputs)
