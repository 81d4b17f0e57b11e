"""`ZeroPadding1D`: adds zeros at the ends of each spatial axis."""

from kerasish.layers.reshaping.zero_padding import BaseZeroPadding


class ZeroPadding1D(BaseZeroPadding):
    """Zero-pads `(batch, steps, features)` inputs along the 1 spatial axes.

    Args:
        padding: int, 1 ints, or 1 `(before, after)` pairs. Defaults to `1`.

    Example:

    ```python
    y = kerasish.layers.ZeroPadding1D(1)(np.zeros((2, 6, 3), "float32"))  # shape (2, 8, 3)
    ```
    """

    rank = 1

    def __init__(self, padding=1, **kwargs):
        super().__init__(padding, **kwargs)
