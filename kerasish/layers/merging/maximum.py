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
    """Functional form of `Maximum`."""
    return Maximum(**kwargs)(inputs)
