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
    """Functional form of `Minimum`."""
    return Minimum(**kwargs)(inputs)
