"""`GlobalMaxPooling2D`: max over the 2 spatial axes."""

from kerasish.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling2D(BaseGlobalPooling):
    """Global max pooling for 2D inputs `(batch, rows, cols, channels)` (channels-last by default).

    Args:
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.
        keepdims: keep the spatial axes with size 1. Defaults to `False`.

    Example:

    ```python
    y = kerasish.layers.GlobalMaxPooling2D()(np.ones((2, 6, 6, 3), "float32"))  # shape (2, 3)
    ```
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, "max", data_format=data_format, keepdims=keepdims, **kwargs)
