"""`ZeroPadding2D`: adds zeros at the ends of each spatial axis."""

from kerasish.layers.reshaping.zero_padding import BaseZeroPadding


class ZeroPadding2D(BaseZeroPadding):
    """Zero-pads `(batch, rows, cols, channels)` inputs along the 2 spatial axes.

    Args:
        padding: int, 2 ints, or 2 `(before, after)` pairs. Defaults to `(1, 1)`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.

    Example:

    ```python
    y = kerasish.layers.ZeroPadding2D(1)(np.zeros((2, 6, 6, 3), "float32"))  # shape (2, 8, 8, 3)
    ```
    """

    rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format=data_format, **kwargs)
