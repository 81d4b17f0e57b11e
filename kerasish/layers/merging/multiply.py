"""`Multiply` and `multiply`: elementwise product of a list of tensors."""

import torch

from kerasish.layers.merging.base_merge import _Reducing


class Multiply(_Reducing):
    """Multiplies a list of tensors elementwise.

    Example:

    ```python
    gated = Multiply()([x, Dense(8, activation="sigmoid")(x)])
    ```
    """

    _fold = torch.mul


def multiply(inputs, **kwargs):
    """Functional form of `Multiply`.

    Example:

    >>> a = kerasish.Input((3,))
    >>> b = kerasish.Input((3,))
    >>> kerasish.layers.multiply([a, b]).shape
    (None, 3)
    """
    return Multiply(**kwargs)(inputs)
