"""`Cropping3D`: removes rows/columns from the ends of each spatial axis."""

from kerasish.layers.reshaping.cropping import BaseCropping


class Cropping3D(BaseCropping):
    """Crops `(batch, d1, d2, d3, channels)` inputs along the 3 spatial axes (a slice: no copy).

    Args:
        cropping: int, 3 ints, or 3 `(before, after)` pairs. Defaults to `((1, 1), (1, 1), (1, 1))`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.

    Example:

    ```python
    y = kerasish.layers.Cropping3D(1)(np.zeros((2, 4, 4, 4, 3), "float32"))  # shape (2, 2, 2, 2, 3)
    ```
    """

    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format=data_format, **kwargs)
