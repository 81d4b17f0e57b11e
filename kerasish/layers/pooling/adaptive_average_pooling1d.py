"""`AdaptiveAveragePooling1D`: adaptive average pooling over 1 spatial axis to a fixed output size."""

from kerasish.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """Adaptive average pooling for 1D spatial data: the output has `output_size` along (steps) whatever
    the input's size, each output value the mean of each bin (bins as torch's adaptive pooling makes them).

    Args:
        output_size: int or tuple of 1 int, the output's spatial size.
        data_format: `"channels_last"` (inputs `(batch, steps, channels)`) or `"channels_first"`
            (inputs `(batch, channels, steps)`). Defaults to `image_data_format()`.

    Example:

    ```python
    x = np.random.rand(1, 64, 3).astype("float32")
    y = kerasish.layers.AdaptiveAveragePooling1D(32)(x)  # (1, 32, 3)
    ```
    """

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, 1, "average", data_format=data_format, **kwargs)
