"""`BasePooling`: max and average pooling over 1, 2 or 3 spatial axes, with Keras's padding.

'same' pads like Keras (the odd pixel at the end); average pooling divides by the number of real
(unpadded) inputs in each window, as Keras and TensorFlow do.
"""

from kerasish.backend import config as backend_config
from kerasish.backend import layouts
from kerasish.backend import conv_utils
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer

# Keras 1 keyword names of the pooling layers.
POOL_RENAMES = {"border_mode": "padding", "dim_ordering": "data_format",
                "pool_length": "pool_size", "stride": "strides"}


_POOL_OPS = {"max": conv_utils.max_pool, "average": conv_utils.average_pool}


class BasePooling(Layer):
    """Shared implementation of the pooling layers (see `MaxPooling2D` for the arguments)."""

    def __init__(self, pool_size, strides, rank, pool_mode, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.pool_mode = pool_mode
        self.pool_size = conv_utils.standardize_tuple(pool_size, rank, "pool_size")
        self.strides = self.pool_size if strides is None else \
            conv_utils.standardize_tuple(strides, rank, "strides")
        self.padding = conv_utils.standardize_padding(padding)
        self.data_format = backend_config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        self._op = _POOL_OPS[pool_mode]

    def call(self, inputs):
        channels_last = self.data_format == "channels_last"
        x = layouts.to_channels_first(inputs) if channels_last else inputs
        out = self._op(x, self.pool_size, self.strides, self.padding, self.rank)
        return layouts.to_channels_last(out) if channels_last else out

    def compute_output_shape(self, input_shape):
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        spatial = tuple(conv_utils.output_length(n, k, s, self.padding)
                        for n, k, s in zip(spatial, self.pool_size, self.strides))
        if self.data_format == "channels_last":
            return (input_shape[0],) + spatial + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + spatial

    def get_config(self):
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "strides": self.strides,
                       "padding": self.padding, "data_format": self.data_format})
        return config
