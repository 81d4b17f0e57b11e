"""`GlobalMaxPooling1D`: max over the 1 spatial axes."""

from kerasish.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Global max pooling for 1D inputs `(batch, steps, channels)` (channels-last by default).

    Args:
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.
        keepdims: keep the spatial axes with size 1. Defaults to `False`.

    Example:

    ```python
    y = kerasish.layers.GlobalMaxPooling1D()(np.ones((2, 6, 3), "float32"))  # shape (2, 3)
    ```
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, "max", data_format=data_format, keepdims=keepdims, **kwargs)
