"""`RandomElasticTransform`: a random smooth elastic deformation of images, in training."""

import torch

from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.image_layer_utils import (
    INTERPOLATIONS, check_choice, images_of,
)
from kerasish.ops import image_extra
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator

FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


class RandomElasticTransform(BaseImagePreprocessingLayer):
    """Deforms images with a random, Gaussian-smoothed displacement field during training.

    Each image is deformed with a probability drawn in `factor`; one distortion strength is
    drawn in `scale` per call: displacements of up to `0.1 * strength * max(height, width)`
    pixels, smoothed with `sigma = 0.05 * strength * min(height, width)`.

    Args:
        factor: a float or a pair in [0, 1]: the probability of deforming an image. Defaults
            to 1.
        scale: a float or a pair in [0, 1]: the distortion strength. Defaults to 1.
        interpolation: "bilinear" (default) or "nearest".
        fill_mode: "reflect" (default), "constant", "nearest", "wrap" or "mirror".
        fill_value: the value outside the image for `fill_mode="constant"`.
        value_range: the images' range; results are clipped to it. Defaults to (0, 255).
        seed: an int seed.
        data_format: "channels_last" or "channels_first".

    Example:

    ```python
    layer = kerasish.layers.RandomElasticTransform(scale=0.5, value_range=(0, 1), seed=1)
    ```
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_mode="reflect",
                 fill_value=0.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(scale)
        self.scale = self.factor
        self._set_factor(factor)
        self.interpolation = check_choice("interpolation", interpolation, INTERPOLATIONS)
        self.fill_mode = check_choice("fill_mode", fill_mode, FILL_MODES)
        self.fill_value = fill_value
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError("The `value_range` argument should be a list of two numbers. "
                             f"Received: value_range={value_range!r}")
        self.value_range = list(value_range)  # a list: the config survives JSON unchanged
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training or self.scale[1] == 0 or self.factor[1] == 0:
            return None
        images = images_of(data)
        batch = 1 if images.ndim == 3 else images.shape[0]
        seed = seed or self._get_seed_generator()
        probability = uniform((batch,), self.factor[0], self.factor[1], seed=seed)
        threshold = uniform((batch,), 0.0, 1.0, seed=seed)
        strength = uniform((), self.scale[0], self.scale[1], dtype=self.compute_dtype, seed=seed)
        # The displacement fields are drawn from the same seed when the images are transformed.
        return {"apply_transform": (threshold < probability).to(images.device),
                "distortion_factor": strength, "seed": seed}

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        height, width = self._image_size(images)
        strength = float(transformation["distortion_factor"])
        alpha = max(height, width) * 0.1 * strength
        sigma = min(height, width) * 0.05 * strength
        deformed = image_extra.elastic_transform(
            images, alpha=alpha, sigma=sigma, interpolation=interpolation,
            fill_mode=self.fill_mode, fill_value=self.fill_value, seed=transformation["seed"],
            data_format=self.data_format)
        apply = transformation["apply_transform"][:, None, None, None]
        images = torch.where(apply, deformed, images)
        images = torch.clamp(images, self.value_range[0], self.value_range[1])
        return self._cast_images(images)

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "scale": self.scale,
                       "interpolation": self.interpolation, "fill_mode": self.fill_mode,
                       "fill_value": self.fill_value, "value_range": self.value_range,
                       "seed": self.seed})
        return config
