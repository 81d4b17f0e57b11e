"""`ZeroPadding3D`: adds zeros at the ends of each spatial axis."""

from kerasish.layers.reshaping.zero_padding import BaseZeroPadding


class ZeroPadding3D(BaseZeroPadding):
    """Zero-pads `(batch, d1, d2, d3, channels)` inputs along the 3 spatial axes.

    Args:
        padding: int, 3 ints, or 3 `(before, after)` pairs. Defaults to `(1, 1, 1)`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.

    Example:

    ```python
    y = kerasish.layers.ZeroPadding3D(1)(np.zeros((2, 4, 4, 4, 3), "float32"))  # shape (2, 6, 6, 6, 3)
    ```
    """

    rank = 3

    def __init__(self, padding=(1, 1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format=data_format, **kwargs)
