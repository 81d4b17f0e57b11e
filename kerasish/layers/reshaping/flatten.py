"""`Flatten`: flattens every axis but the batch axis (channels-last order)."""

import numpy as np

from kerasish.backend import config as backend_config
from kerasish.layers.layer import Layer


class Flatten(Layer):
    """Flattens the input to `(batch, -1)`. Channels-first inputs are flattened in channels-last order,
    as Keras does, so weights trained in either format agree.

    Example:

    >>> kerasish.layers.Flatten()(np.zeros((2, 3, 4), "float32")).shape
    torch.Size([2, 12])
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend_config.standardize_data_format(data_format)

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = inputs.movedim(1, -1)
        return inputs.reshape(inputs.shape[0], -1)

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else int(np.prod(rest)) if rest else 1
        return (input_shape[0], size)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
