"""`AdaptiveMaxPooling3D`: adaptive max pooling over 3 spatial axes to a fixed output size."""

from kerasish.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Adaptive max pooling for 3D spatial data: the output has `output_size` along (depth, height, width) whatever
    the input's size, each output value the maximum of each bin (bins as torch's adaptive pooling makes them).

    Args:
        output_size: int or tuple of 3 ints, the output's spatial size.
        data_format: `"channels_last"` (inputs `(batch, depth, height, width, channels)`) or `"channels_first"`
            (inputs `(batch, channels, depth, height, width)`). Defaults to `image_data_format()`.

    Example:

    ```python
    x = np.random.rand(1, 16, 16, 16, 3).astype("float32")
    y = kerasish.layers.AdaptiveMaxPooling3D(8)(x)  # (1, 8, 8, 8, 3)
    ```
    """

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, 3, "max", data_format=data_format, **kwargs)
