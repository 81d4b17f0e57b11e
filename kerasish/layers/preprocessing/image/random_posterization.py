"""`RandomPosterization`: keeps only the top bits of each 8-bit colour value."""

import torch

from kerasish.layers.preprocessing.image.color_utils import (
    BaseColorLayer, batch_size, check_value_range, images_of, to_device,
)
from kerasish.random import randint
from kerasish.random.seed_generator import SeedGenerator

_MAX_BITS = 8


class RandomPosterization(BaseColorLayer):
    """Reduces each image's colours to `bits` bits per channel in training, with `bits` drawn
    per image from `[lower, upper)` (or fixed when they are equal).

    Values are mapped from `value_range` to [0, 255], truncated to 8-bit integers, masked, and
    mapped back.

    Args:
        factor: a number `f` in [1, 8] (`bits` from `[1, f)`) or a pair `(lower, upper)`.
        value_range: the range of the input values. Defaults to `(0, 255)`.
        data_format: "channels_last" or "channels_first".
        seed: an int seed.

    Example:

    ```python
    layer = kerasish.layers.RandomPosterization(factor=4, seed=1)
    out = layer(np.random.uniform(0, 255, (4, 8, 8, 3)), training=True)
    ```
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (1, 8)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range(value_range)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        # Keras draws in inference too (its seed stream advances on every call).
        n = batch_size(images_of(data))
        if self.factor[0] != self.factor[1]:
            bits = randint((n,), minval=self.factor[0], maxval=self.factor[1],
                           seed=self._seed(seed), dtype="uint8")
        else:
            bits = torch.full((n,), int(self.factor[0]), dtype=torch.uint8)
        return {"shift_factor": _MAX_BITS - bits}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        shift = to_device(transformation["shift_factor"], images).reshape(-1, 1, 1, 1)
        x = self._transform_value_range(images, self.value_range, (0, 255), self.compute_dtype)
        x = x.to(torch.uint8)
        x = torch.bitwise_left_shift(torch.bitwise_right_shift(x, shift), shift)
        x = x.to(images.dtype)
        return self._transform_value_range(x, (0, 255), self.value_range, self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
