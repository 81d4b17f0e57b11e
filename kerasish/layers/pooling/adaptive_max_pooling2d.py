"""`AdaptiveMaxPooling2D`: adaptive max pooling over 2 spatial axes to a fixed output size."""

from kerasish.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Adaptive max pooling for 2D spatial data: the output has `output_size` along (height, width) whatever
    the input's size, each output value the maximum of each bin (bins as torch's adaptive pooling makes them).

    Args:
        output_size: int or tuple of 2 ints, the output's spatial size.
        data_format: `"channels_last"` (inputs `(batch, height, width, channels)`) or `"channels_first"`
            (inputs `(batch, channels, height, width)`). Defaults to `image_data_format()`.

    Example:

    ```python
    x = np.random.rand(1, 64, 64, 3).astype("float32")
    y = kerasish.layers.AdaptiveMaxPooling2D(32)(x)  # (1, 32, 32, 3)
    ```
    """

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, 2, "max", data_format=data_format, **kwargs)
