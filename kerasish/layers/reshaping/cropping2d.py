"""`Cropping2D`: removes rows/columns from the ends of each spatial axis."""

from kerasish.layers.reshaping.cropping import BaseCropping


class Cropping2D(BaseCropping):
    """Crops `(batch, rows, cols, channels)` inputs along the 2 spatial axes (a slice: no copy).

    Args:
        cropping: int, 2 ints, or 2 `(before, after)` pairs. Defaults to `((0, 0), (0, 0))`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.

    Example:

    ```python
    y = kerasish.layers.Cropping2D(((1, 1), (2, 2)))(np.zeros((2, 6, 6, 3), "float32"))  # shape (2, 4, 2, 3)
    ```
    """

    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format=data_format, **kwargs)
