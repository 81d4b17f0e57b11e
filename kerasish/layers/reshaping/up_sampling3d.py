"""`UpSampling3D`: upsamples the three spatial axes by integer factors."""

from kerasish.layers.reshaping.up_sampling import BaseUpSampling


class UpSampling3D(BaseUpSampling):
    """Repeats each of the three spatial axes of `(batch, d1, d2, d3, channels)` inputs.

    Args:
        size: int or 3 ints. Defaults to `(2, 2, 2)`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.

    Example:

    ```python
    y = kerasish.layers.UpSampling3D()(np.zeros((1, 2, 2, 2, 3), "float32"))  # (1, 4, 4, 4, 3)
    ```
    """

    rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(size, data_format=data_format, **kwargs)
