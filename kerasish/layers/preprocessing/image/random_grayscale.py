"""`RandomGrayscale`: turns images to grayscale with a given probability."""

import numbers

import torch

from kerasish.layers.preprocessing.image.color_utils import (
    BaseColorLayer, batch_size, images_of, to_device,
)
from kerasish.ops.image import rgb_to_grayscale
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator


class RandomGrayscale(BaseColorLayer):
    """Converts each image to grayscale with probability `factor` in training.

    The output keeps the input's channels (the gray value is repeated), so it fits the next
    layers unchanged.

    Args:
        factor: the probability, in [0, 1]. Defaults to `0.5`.
        data_format: "channels_last" or "channels_first".
        seed: an int seed.

    Example:

    ```python
    layer = kerasish.layers.RandomGrayscale(factor=0.5, seed=1)
    out = layer(np.random.uniform(0, 255, (4, 8, 8, 3)), training=True)
    ```
    """

    _USE_BASE_FACTOR = False

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if not isinstance(factor, numbers.Real) or isinstance(factor, bool) or not 0 <= factor <= 1:
            raise ValueError(f"`factor` should be between 0 and 1. Received: factor={factor!r}")
        self.factor = factor
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        # Keras draws in inference too (its seed stream advances on every call).
        images = images_of(data)
        draw = uniform((batch_size(images),), minval=0, maxval=1, seed=self._seed(seed))
        return (draw < self.factor).reshape(-1, 1, 1, 1)

    def transform_images(self, images, transformation, training=True):
        images = self._cast_images(images)
        if not training:
            return images
        gray = rgb_to_grayscale(images, data_format=self.data_format)
        return torch.where(to_device(transformation, images), gray, images)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor})
        return config
