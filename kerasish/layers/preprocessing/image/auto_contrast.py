"""`AutoContrast`: stretches each image's values to the full range."""

import torch

from kerasish.layers.preprocessing.image.color_utils import BaseColorLayer, check_value_range


class AutoContrast(BaseColorLayer):
    """Rescales each image, channel by channel, so its lowest value maps to `value_range[0]` and
    its highest to `value_range[1]`. A constant channel is left unchanged.

    The layer is deterministic and, as in Keras, applies in inference too.

    Args:
        value_range: the range of the input values. Defaults to `(0, 255)`.

    Example:

    ```python
    layer = kerasish.layers.AutoContrast()
    out = layer(np.random.uniform(50, 100, (2, 8, 8, 3)))  # each channel spans [0, 255]
    ```
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = check_value_range(value_range)

    def transform_images(self, images, transformation=None, training=True):
        original = self._cast_images(images)
        x = self._transform_value_range(original, self.value_range, (0, 255), self.compute_dtype)
        h_axis, w_axis = self._hw_axes()
        low = torch.amin(x, dim=(h_axis, w_axis), keepdim=True)
        high = torch.amax(x, dim=(h_axis, w_axis), keepdim=True)
        scale = 255.0 / (high - low)
        x = (x * scale + (-low * scale)).clamp(0.0, 255.0)
        x = self._transform_value_range(x, (0, 255), self.value_range, self.compute_dtype)
        # A constant channel divides by zero: NaN there, and the input is kept.
        return torch.where(torch.isnan(x), original, x)

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range})
        return config
