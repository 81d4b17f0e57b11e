"""`AveragePooling3D`: average pooling over 3 spatial axes."""

from kerasish.compat.legacy_args import legacy_arguments
from kerasish.layers.pooling.base_pooling import POOL_RENAMES, BasePooling


class AveragePooling3D(BasePooling):
    """Average pooling for 3D inputs `(batch, d1, d2, d3, channels)` (channels-last by default).

    Args:
        pool_size: int or tuple of 3 ints. Defaults to `(2, 2, 2)`.
        strides: int or tuple of 3 ints. Defaults to `pool_size`.
        padding: `"valid"` or `"same"` (output size `ceil(input / strides)`; the odd pixel of
            padding goes at the end; each average counts only real inputs).
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.

    Keras 1 spellings (`border_mode`, `dim_ordering`) are converted with a warning.

    Example:

    ```python
    layer = kerasish.layers.AveragePooling3D((2, 2, 2), padding="same")
    y = layer(np.zeros((2, 4, 4, 4, 3), "float32"))  # shape (2, 2, 2, 2, 3)
    ```
    """

    @legacy_arguments(POOL_RENAMES)
    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, 3, "average", padding=padding,
                         data_format=data_format, **kwargs)
