"""`RandomSaturation`: scales the saturation of each image by a random factor."""

import torch

from kerasish.backend import config as backend_config
from kerasish.layers.preprocessing.image.color_utils import (
    BaseColorLayer, batch_size, check_value_range, images_of, to_device,
)
from kerasish.ops.image import hsv_to_rgb, rgb_to_hsv
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator


class RandomSaturation(BaseColorLayer):
    """Randomly changes the saturation of RGB images in training.

    A value `f` drawn per image from `factor` becomes the multiplier `f / (1 - f)` of the
    saturation: 0 gives grayscale, 0.5 the original image, 1 full saturation.

    Args:
        factor: a pair `(lower, upper)` in [0, 1], or a number `f` (draws from
            `[-|f|, |f|]`, Keras's reading; pass a pair for a saturation change).
        value_range: the range of the input values. Defaults to `(0, 255)`.
        data_format: "channels_last" or "channels_first".
        seed: an int seed.

    Example:

    ```python
    layer = kerasish.layers.RandomSaturation((0.5, 0.5), value_range=(0, 1))
    out = layer(np.random.rand(2, 8, 8, 3), training=True)  # unchanged: f / (1 - f) = 1
    ```
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range(value_range)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        # Keras draws in inference too (its seed stream advances on every call).
        n = batch_size(images_of(data))
        factor = uniform((n,), minval=self.factor[0], maxval=self.factor[1], seed=self._seed(seed))
        return {"factor": factor / (1 - factor + backend_config.epsilon())}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        factor = to_device(transformation["factor"], images).to(images.dtype).reshape(-1, 1, 1)
        hsv = rgb_to_hsv(images, data_format=self.data_format)
        axis = -1 if self.data_format == "channels_last" else -3
        hue, saturation, value = hsv.unbind(axis)
        # Keras clips the saturation to `value_range` (not to [0, 1]); kept for its numbers.
        saturation = (saturation * factor).clamp(self.value_range[0], self.value_range[1])
        return hsv_to_rgb(torch.stack([hue, saturation, value], dim=axis),
                          data_format=self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
