"""`AlphaDropout`: dropout that keeps SELU's self-normalizing mean and variance."""

import torch

from kerasish.layers.layer import Layer
from kerasish.layers.regularization.gaussian_noise import _check_rate, seeded_generator

_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    """In training, sets dropped inputs to SELU's negative saturation value and applies the affine
    correction `a * x + b` that keeps the mean and variance; the identity in inference.

    Args:
        rate: float in [0, 1), the fraction of inputs to drop.
        noise_shape: shape of the keep/drop mask, broadcast over the input (`None` entries take
            the input's size).
        seed: optional random seed.

    Example:

    ```python
    y = kerasish.layers.AlphaDropout(0.1)(np.ones((2, 3), "float32"), training=True)
    ```
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = _check_rate("rate", rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self._generator = seeded_generator(seed)
        self.supports_masking = True

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        shape = tuple(inputs.shape) if self.noise_shape is None else tuple(
            inputs.shape[i] if d is None else d for i, d in enumerate(self.noise_shape))
        if self._generator is None:
            draw = torch.rand(shape, dtype=inputs.dtype, device=inputs.device)
        else:
            draw = torch.rand(shape, generator=self._generator, dtype=inputs.dtype).to(inputs.device)
        kept = (draw >= self.rate).to(inputs.dtype)
        alpha_p = -_ALPHA * _SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        return a * (inputs * kept + alpha_p * (1 - kept)) + b

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed})
        return config
