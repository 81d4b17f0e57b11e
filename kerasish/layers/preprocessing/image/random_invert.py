"""`RandomInvert`: inverts images (`value_range[1] - x`) with a random probability."""

import torch

from kerasish.layers.preprocessing.image.color_utils import (
    BaseColorLayer, batch_size, check_value_range, images_of, to_device,
)
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator


class RandomInvert(BaseColorLayer):
    """Inverts images in training: `x -> value_range[1] - x`, each image with a probability drawn
    from `factor`.

    Args:
        factor: a number `f` in [0, 1] (probability drawn from `[0, f]`) or a pair
            `(lower, upper)`. Defaults to `1.0`.
        value_range: the range of the input values. Defaults to `(0, 255)`.
        seed: an int seed.
        data_format: "channels_last" or "channels_first".

    Example:

    ```python
    layer = kerasish.layers.RandomInvert(factor=0.5, seed=1)
    out = layer(np.random.uniform(0, 255, (4, 8, 8, 3)), training=True)
    ```
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range(value_range, sort=False)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = batch_size(images_of(data))
        seed = self._seed(seed)
        probability = uniform((n,), minval=self.factor[0], maxval=self.factor[1], seed=seed)
        threshold = uniform((n,), minval=0, maxval=1, seed=seed)
        return {"apply_inversion": threshold < probability}

    def transform_images(self, images, transformation, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        apply = to_device(transformation["apply_inversion"], images).reshape(-1, 1, 1, 1)
        return torch.where(apply, self.value_range[1] - images, images)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
