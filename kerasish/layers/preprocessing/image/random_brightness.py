"""`RandomBrightness`: adds a random offset to every pixel of an image."""

from kerasish.layers.preprocessing.image.color_utils import (
    BaseColorLayer, batch_size, check_value_range, images_of, to_device,
)
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator


class RandomBrightness(BaseColorLayer):
    """Randomly brightens or darkens images in training (the identity in inference).

    Each image gets `delta * (value_range[1] - value_range[0])` added to all its pixels, with
    `delta` drawn from `factor`, and is clipped to `value_range`.

    Args:
        factor: a number `f` in [-1, 1] (`delta` in `[-|f|, |f|]`) or a pair `(lower, upper)`.
        value_range: the range of the input values. Defaults to `(0, 255)`.
        seed: an int seed.

    Example:

    ```python
    layer = kerasish.layers.RandomBrightness(0.2, value_range=(0, 1), seed=1)
    out = layer(np.random.rand(2, 8, 8, 3), training=True)
    ```
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, **kwargs)
        self.seed = seed
        self.generator = SeedGenerator(seed)
        self.value_range = check_value_range(value_range)

    def get_random_transformation(self, data, training=True, seed=None):
        images = images_of(data)
        shape = (1, 1, 1) if images.ndim == 3 else (batch_size(images), 1, 1, 1)
        if not training:
            return None
        delta = uniform(shape, minval=self.factor[0], maxval=self.factor[1], seed=self._seed(seed))
        return {"rgb_delta": delta * (self.value_range[1] - self.value_range[0])}

    def transform_images(self, images, transformation, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        delta = to_device(transformation["rgb_delta"], images).to(images.dtype)
        return (images + delta).clamp(self.value_range[0], self.value_range[1])

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
