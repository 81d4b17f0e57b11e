"""`RandomContrast`: scales each image's deviation from its mean by a random factor."""

from kerasish.layers.preprocessing.image.color_utils import (
    BaseColorLayer, batch_size, check_value_range, images_of, to_device,
)
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator


class RandomContrast(BaseColorLayer):
    """Randomly adjusts the contrast of images in training (the identity in inference).

    Each image (each channel) becomes `(x - mean) * c + mean`, with `mean` over the pixels and
    `c` drawn per image from `[1 - lower, 1 + upper]`, then clipped to `value_range`.

    Args:
        factor: a number `f` in [0, 1] (`(lower, upper) = (0, f)`, as Keras reads it), or a
            pair `(lower, upper)` in [0, 1].
        value_range: the range of the input values. Defaults to `(0, 255)`.
        seed: an int seed.

    Example:

    ```python
    layer = kerasish.layers.RandomContrast(0.2, seed=1)
    out = layer(np.random.uniform(0, 255, (2, 8, 8, 3)), training=True)
    ```
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range(value_range, sort=False)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        images = images_of(data)
        shape = (1, 1, 1) if images.ndim == 3 else (batch_size(images), 1, 1, 1)
        if not training:
            return None
        factor = uniform(shape, minval=1.0 - self.factor[0], maxval=1.0 + self.factor[1],
                         seed=self._seed(seed), dtype=self.compute_dtype)
        return {"contrast_factor": factor}

    def transform_images(self, images, transformation, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        factor = to_device(transformation["contrast_factor"], images).to(images.dtype)
        h_axis, w_axis = self._hw_axes()
        mean = images.mean(dim=(h_axis, w_axis), keepdim=True)
        out = (images - mean) * factor + mean
        return out.clamp(self.value_range[0], self.value_range[1])

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
