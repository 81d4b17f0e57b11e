"""`RandomSharpness`: blends each image with a smoothed copy (sharpening or blurring it)."""

import torch
import torch.nn.functional as F

from kerasish.layers.preprocessing.image.color_utils import (
    BaseColorLayer, batch_size, check_value_range, images_of, to_device,
)
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator


class RandomSharpness(BaseColorLayer):
    """Randomly sharpens or blurs images in training.

    With `s = 2 f` for `f` drawn per image from `factor`, the output is
    `x + (1 - s) * (smooth(x) - x)`, where `smooth` is the 3x3 kernel
    `[[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13` (zero padding): `f = 0.5` keeps the image, smaller
    values blur it, larger ones sharpen it. The result is clipped to `value_range`.

    Args:
        factor: a number `f` in [0, 1] (draws from `[0, f]`) or a pair `(lower, upper)`.
        value_range: the range of the input values. Defaults to `(0, 255)`.
        data_format: "channels_last" or "channels_first".
        seed: an int seed.

    Example:

    ```python
    layer = kerasish.layers.RandomSharpness(0.8, seed=1)
    out = layer(np.random.uniform(0, 255, (2, 8, 8, 3)), training=True)
    ```
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

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
        return {"factor": factor}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        last = self.data_format == "channels_last"
        x = images.permute(0, 3, 1, 2) if last else images
        sharpness = (to_device(transformation["factor"], x) * 2).to(x.dtype).reshape(-1, 1, 1, 1)
        a, b = 1.0 / 13.0, 5.0 / 13.0
        kernel = torch.tensor([[a, a, a], [a, b, a], [a, a, a]], dtype=x.dtype, device=x.device)
        channels = x.shape[1]
        smoothed = F.conv2d(x, kernel.expand(channels, 1, 3, 3), padding=1, groups=channels)
        out = (x + (1.0 - sharpness) * (smoothed - x)).clamp(self.value_range[0],
                                                              self.value_range[1])
        return out.permute(0, 2, 3, 1) if last else out

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
