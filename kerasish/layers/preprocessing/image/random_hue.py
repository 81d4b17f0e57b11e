"""`RandomHue`: rotates the hue of each image by a random amount."""

import torch

from kerasish.layers.preprocessing.image.color_utils import (
    BaseColorLayer, batch_size, check_value_range, images_of, to_device,
)
from kerasish.ops.image import hsv_to_rgb, rgb_to_hsv
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator


class RandomHue(BaseColorLayer):
    """Shifts the hue of RGB images in training by a random amount per image, in
    `[-upper / 2, upper / 2]` of a full turn (the sign and size are drawn separately).

    Args:
        factor: a number `f` in [0, 1] or a pair `(lower, upper)`: the shift's size is drawn from
            `[lower, upper]` and halved.
        value_range: the range of the input values. Defaults to `(0, 255)`.
        data_format: "channels_last" or "channels_first".
        seed: an int seed.

    Example:

    ```python
    layer = kerasish.layers.RandomHue(0.3, value_range=(0, 1), seed=1)
    out = layer(np.random.rand(2, 8, 8, 3), training=True)
    ```
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range(value_range, sort=False)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        # Keras draws in inference too (its seed stream advances on every call).
        n = batch_size(images_of(data))
        seed = self._seed(seed)
        invert = uniform((n,), seed=seed)
        invert = torch.where(invert > 0.5, -torch.ones_like(invert), torch.ones_like(invert))
        factor = uniform((n,), minval=self.factor[0], maxval=self.factor[1], seed=seed)
        return {"factor": invert * factor * 0.5}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        x = self._transform_value_range(images, self.value_range, (0, 1), self.compute_dtype)
        shift = to_device(transformation["factor"], x).to(x.dtype).reshape(-1, 1, 1)
        hsv = rgb_to_hsv(x, data_format=self.data_format)
        axis = -1 if self.data_format == "channels_last" else -3
        hue, saturation, value = hsv.unbind(axis)
        hue = hue + shift
        hue = torch.where(hue > 1.0, hue - 1.0, hue)
        hue = torch.where(hue < 0.0, hue + 1.0, hue)
        rgb = hsv_to_rgb(torch.stack([hue, saturation, value], dim=axis),
                         data_format=self.data_format).clamp(0, 1)
        return self._transform_value_range(rgb, (0, 1), self.value_range, self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
