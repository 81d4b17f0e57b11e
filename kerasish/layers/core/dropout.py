"""`Dropout`: randomly zeroes a fraction `rate` of inputs during training, scaling the rest."""

import torch

from kerasish.backend import random_ops
from kerasish.compat.legacy_args import legacy_arguments
from kerasish.layers.layer import Layer


class Dropout(Layer):
    """Applies dropout in training; the identity in inference.

    Args:
        rate: float in [0, 1), the fraction of inputs to drop.
        noise_shape: shape of the binary mask, broadcast over the input (`None` entries take the
            input's size).
        seed: optional random seed.

    Example:

    >>> layer = kerasish.layers.Dropout(0.5, seed=1)
    >>> x = torch.ones(2, 4)
    >>> torch.equal(layer(x), x)  # inference: identity
    True
    >>> sorted(set(layer(x, training=True).flatten().tolist()))  # kept values are scaled by 1 / (1 - rate)
    [0.0, 2.0]
    """

    @legacy_arguments({"p": "rate"})
    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(
                f"Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
                f"Received: rate={rate}"
            )
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.supports_masking = True
        self._generator = None
        if seed is not None:
            self._generator = torch.Generator()
            self._generator.manual_seed(int(seed))

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        shape = None if self.noise_shape is None else tuple(
            inputs.shape[i] if d is None else d for i, d in enumerate(self.noise_shape))
        return random_ops.dropout(inputs, self.rate, shape, self._generator)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed})
        return config
