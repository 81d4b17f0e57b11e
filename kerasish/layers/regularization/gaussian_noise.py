"""`GaussianNoise`: adds zero-centred Gaussian noise in training."""

import torch

from kerasish.layers.layer import Layer


def _check_rate(name, value, high=1.0):
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= high:
        raise ValueError(
            f"Invalid value received for argument `{name}`. Expected a float value between 0 and "
            f"{high}. Received: {name}={value!r}"
        )
    return float(value)


def seeded_generator(seed):
    """A CPU generator for a layer's `seed`, or None to use torch's global generator."""
    if seed is None:
        return None
    generator = torch.Generator()
    generator.manual_seed(int(seed))
    return generator


def noise(kind, inputs, generator):
    """`torch.randn_like`/`rand_like` of `inputs`, drawn from `generator` when the layer is seeded."""
    draw = torch.randn if kind == "normal" else torch.rand
    if generator is None:
        return draw(inputs.shape, dtype=inputs.dtype, device=inputs.device)
    return draw(inputs.shape, generator=generator, dtype=inputs.dtype).to(inputs.device)


class GaussianNoise(Layer):
    """Adds `N(0, stddev)` noise to the inputs in training; the identity in inference.

    Args:
        stddev: standard deviation of the noise.
        seed: optional random seed.

    Example:

    ```python
    y = kerasish.layers.GaussianNoise(0.1)(np.ones((2, 3), "float32"), training=True)
    ```
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = _check_rate("stddev", stddev, high=float("inf"))
        self.seed = seed
        self._generator = seeded_generator(seed)
        self.supports_masking = True

    def call(self, inputs, training=None):
        if not training or self.stddev == 0:
            return inputs
        return inputs + self.stddev * noise("normal", inputs, self._generator)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"stddev": self.stddev, "seed": self.seed})
        return config
