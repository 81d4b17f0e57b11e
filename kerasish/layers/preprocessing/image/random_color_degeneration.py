"""`RandomColorDegeneration`: blends each image towards its grayscale version."""

from kerasish.layers.preprocessing.image.color_utils import (
    BaseColorLayer, batch_size, check_value_range, images_of, to_device,
)
from kerasish.ops.image import rgb_to_grayscale
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator


class RandomColorDegeneration(BaseColorLayer):
    """Randomly removes colour in training: `x + f * (gray(x) - x)` with `f` drawn per image
    from `factor` (0 keeps the image, 1 makes it gray), clipped to `value_range`.

    Args:
        factor: a number `f` in [-1, 1] (draws from `[-|f|, |f|]`, Keras's bounds) or a pair
            `(lower, upper)`.
        value_range: the range of the input values. Defaults to `(0, 255)`.
        data_format: "channels_last" or "channels_first".
        seed: an int seed.

    Example:

    ```python
    layer = kerasish.layers.RandomColorDegeneration(0.5, seed=1)
    out = layer(np.random.uniform(0, 255, (2, 8, 8, 3)), training=True)
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
        factor = uniform((n, 1, 1, 1), minval=self.factor[0], maxval=self.factor[1],
                         seed=self._seed(seed))
        return {"factor": factor}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        factor = to_device(transformation["factor"], images).to(images.dtype)
        gray = rgb_to_grayscale(images, data_format=self.data_format)
        out = images + factor * (gray - images)
        return out.clamp(self.value_range[0], self.value_range[1])

    def compute_output_shape(self, input_shape):
        if len(input_shape) not in (3, 4):
            raise ValueError("Invalid images rank: expected rank 3 (single image) or rank 4 "
                             f"(batch of images). Received: input_shape={input_shape}")
        channels = input_shape[-1 if self.data_format == "channels_last" else -3]
        if channels is not None and channels != 3:
            raise ValueError("Input images must have 3 channels. "
                             f"Received: input_shape={input_shape}")
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
