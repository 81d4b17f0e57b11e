"""`RandomGaussianBlur`: blurs images with a Gaussian kernel of random width."""

import numbers

import torch

from kerasish.layers.preprocessing.image.color_utils import (
    BaseColorLayer, batch_size, check_unit_range, check_value_range, images_of, to_device,
)
from kerasish.ops.image import gaussian_blur
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator


def _check_kernel_size(kernel_size):
    pair = kernel_size if isinstance(kernel_size, (tuple, list)) else (kernel_size, kernel_size)
    if len(pair) != 2 or not all(isinstance(k, numbers.Integral) and not isinstance(k, bool)
                                 and k > 0 and k % 2 == 1 for k in pair):
        raise ValueError("`kernel_size` must be an odd positive integer or a pair of them. "
                         f"Received: kernel_size={kernel_size!r}")
    return tuple(pair)


class RandomGaussianBlur(BaseColorLayer):
    """Blurs images in training with a Gaussian kernel: the vertical and horizontal standard
    deviations are drawn once per call from `sigma`, and each image is blurred with a
    probability drawn from `factor`. The result is clipped to `value_range`.

    Args:
        factor: a number `f` in [0, 1] (probability from `[0, f]`) or a pair. Defaults to `1.0`.
        kernel_size: an odd integer, or a pair `(height, width)` of them. Defaults to `3`.
        sigma: a number `s` in [0, 1] (standard deviations from `[0, s]`) or a pair.
            Defaults to `1.0`.
        value_range: the range of the input values. Defaults to `(0, 255)`.
        data_format: "channels_last" or "channels_first".
        seed: an int seed.

    Example:

    ```python
    layer = kerasish.layers.RandomGaussianBlur(kernel_size=5, seed=1)
    out = layer(np.random.uniform(0, 255, (2, 16, 16, 3)), training=True)
    ```
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255),
                 data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.kernel_size = _check_kernel_size(kernel_size)
        self.sigma = check_unit_range("sigma", sigma)
        self.value_range = check_value_range(value_range, sort=False)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = batch_size(images_of(data))
        seed = self._seed(seed)
        probability = uniform((n,), minval=self.factor[0], maxval=self.factor[1], seed=seed)
        threshold = uniform((n,), minval=0.0, maxval=1.0, seed=seed)
        sigma = uniform((2,), minval=self.sigma[0], maxval=self.sigma[1], seed=seed,
                        dtype=self.compute_dtype) + 1e-6
        return {"should_apply_blur": threshold < probability, "blur_factor": sigma}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        sigma = [float(s) for s in transformation["blur_factor"].cpu()]
        blurred = gaussian_blur(images, kernel_size=self.kernel_size, sigma=sigma,
                                data_format=self.data_format)
        apply = to_device(transformation["should_apply_blur"], images).reshape(-1, 1, 1, 1)
        out = torch.where(apply, blurred, images)
        return out.clamp(self.value_range[0], self.value_range[1])

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "kernel_size": self.kernel_size,
                       "sigma": self.sigma, "value_range": self.value_range, "seed": self.seed})
        return config
