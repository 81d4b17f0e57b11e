"""`Maximum` and `maximum`: elementwise maximum of a list of tensors."""

import torch

from kerasish.layers.merging.base_merge import _Reducing


class Maximum(_Reducing):
    """Elementwise maximum of a list of tensors.

    Example:

    ```python
    y = Maximum()([x1, x2])
    ```
    """

    _fold = torch.maximum


def maximum(inputs, **kwargs):
    """Functional form of `Maximum`.

    Example:

    >>> kerasish.layers.maximum([torch.tensor([[1.0, 7.0]]), torch.tensor([[3.0, 6.0]])])
    tensor([[3., 7.]])
    """
    return Maximum(**kwargs)(inputs)
