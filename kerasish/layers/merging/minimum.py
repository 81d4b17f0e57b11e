"""`Minimum` and `minimum`: elementwise minimum of a list of tensors."""

import torch

from kerasish.layers.merging.base_merge import _Reducing


class Minimum(_Reducing):
    """Elementwise minimum of a list of tensors.

    Example:

    ```python
    y = Minimum()([x1, x2])
    ```
    """

    _fold = torch.minimum


def minimum(inputs, **kwargs):
    """Functional form of `Minimum`.

    Example:

    >>> kerasish.layers.minimum([torch.tensor([[1.0, 7.0]]), torch.tensor([[3.0, 6.0]])])
    tensor([[1., 6.]])
    """
    return Minimum(**kwargs)(inputs)
