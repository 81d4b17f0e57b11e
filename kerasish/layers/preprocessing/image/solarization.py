"""`Solarization`: inverts the pixels above a threshold (after adding an offset)."""

import torch

from kerasish.layers.preprocessing.image.color_utils import (
    BaseColorLayer, check_unit_range, check_value_range, images_of, to_device,
)
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator


class Solarization(BaseColorLayer):
    """Solarizes images in training: on a [0, 255] scale, each image gets a random `addition`,
    is clipped to [0, 255], and every value at or above a random `threshold` becomes
    `255 - value`.

    With the default factors (0) every pixel is inverted (`threshold` is 0), as in Keras.

    Args:
        addition_factor: a number `f` in [0, 1] or a pair; the addition is drawn from
            `[lower, 255 * upper]` (Keras's bounds). Defaults to `0.0`.
        threshold_factor: the same for the threshold. Defaults to `0.0`.
        value_range: the range of the input values. Defaults to `(0, 255)`.
        seed: an int seed.

    Example:

    ```python
    layer = kerasish.layers.Solarization(threshold_factor=(0.5, 0.5), value_range=(0, 1))
    out = layer(np.random.rand(2, 8, 8, 3), training=True)
    ```
    """

    _USE_BASE_FACTOR = False

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.generator = SeedGenerator(seed)
        self.addition_factor = check_unit_range("addition_factor", addition_factor)
        self.threshold_factor = check_unit_range("threshold_factor", threshold_factor)
        self.value_range = check_value_range(value_range)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = images_of(data)
        shape = (images.shape[0], 1, 1, 1) if images.ndim == 4 else (1, 1, 1)
        seed = self._seed(seed)
        additions = self._draw(shape, self.addition_factor, seed)
        thresholds = self._draw(shape, self.threshold_factor, seed)
        return {"additions": additions, "thresholds": thresholds}

    def _draw(self, shape, bounds, seed):
        # Keras scales only the upper bound to [0, 255].
        return uniform(shape, minval=bounds[0], maxval=bounds[1] * 255, seed=seed,
                       dtype=self.compute_dtype)

    def transform_images(self, images, transformation, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        thresholds = to_device(transformation["thresholds"], images)
        additions = to_device(transformation["additions"], images)
        x = self._transform_value_range(images, self.value_range, (0, 255), self.compute_dtype)
        x = (x + additions).clamp(0, 255)
        x = torch.where(x < thresholds, x, 255 - x)
        return self._transform_value_range(x, (0, 255), self.value_range, self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range, "addition_factor": self.addition_factor,
                       "threshold_factor": self.threshold_factor, "seed": self.seed})
        return config
