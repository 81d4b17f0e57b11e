"""`UpSampling2D`: upsamples rows and columns by integer factors."""

from kerasish.layers.reshaping.up_sampling import BaseUpSampling


class UpSampling2D(BaseUpSampling):
    """Repeats the rows and columns of `(batch, rows, cols, channels)` inputs (`"nearest"`) or
    resizes them bilinearly (`"bilinear"`, half-pixel centres as in Keras).

    Args:
        size: int or 2 ints, the row and column factors. Defaults to `(2, 2)`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.
        interpolation: `"nearest"`, `"bilinear"` or `"bicubic"`. Defaults to `"nearest"`.

    Example:

    ```python
    y = kerasish.layers.UpSampling2D(interpolation="bilinear")(np.zeros((1, 3, 3, 2), "float32"))
    ```
    """

    rank = 2

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(size, data_format=data_format, interpolation=interpolation, **kwargs)

    def get_config(self):
        config = super().get_config()
        config["interpolation"] = self.interpolation
        return config
