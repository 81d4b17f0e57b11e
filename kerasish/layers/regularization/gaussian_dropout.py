"""`GaussianDropout`: multiplies inputs by `N(1, sqrt(rate / (1 - rate)))` noise in training."""

import math

from kerasish.layers.layer import Layer
from kerasish.layers.regularization.gaussian_noise import _check_rate, noise, seeded_generator


class GaussianDropout(Layer):
    """Multiplicative Gaussian noise with mean 1 and standard deviation `sqrt(rate / (1 - rate))`
    in training; the identity in inference.

    Args:
        rate: float in [0, 1), the drop probability of the equivalent dropout.
        seed: optional random seed.

    Example:

    ```python
    y = kerasish.layers.GaussianDropout(0.2)(np.ones((2, 3), "float32"), training=True)
    ```
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = _check_rate("rate", rate)
        self.seed = seed
        self._generator = seeded_generator(seed)
        self.supports_masking = True

    def call(self, inputs, training=None):
        if not training or not 0 < self.rate < 1:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        return inputs * (1.0 + stddev * noise("normal", inputs, self._generator))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config
