"""`BasePooling`: max and average pooling over 1, 2 or 3 spatial axes, with Keras's padding.

'same' pads like Keras (the odd pixel at the end); average pooling divides by the number of real
(unpadded) inputs in each window, as Keras and TensorFlow do.
"""

import torch
import torch.nn.functional as F

from kerasish.backend import config as backend_config
from kerasish.backend import layouts
from kerasish.backend import conv_utils
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer

_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}

# Keras 1 keyword names of the pooling layers.
POOL_RENAMES = {"border_mode": "padding", "dim_ordering": "data_format",
                "pool_length": "pool_size", "stride": "strides"}


def _max_pool(x, pool, strides, padding, rank):
    x, pad = conv_utils.resolve_padding(x, pool, strides, (1,) * rank, padding,
                                        pad_value=float("-inf"))
    return _MAX[rank](x, pool, strides, pad)


def _avg_pool(x, pool, strides, padding, rank):
    if padding == "valid":
        return _AVG[rank](x, pool, strides)
    pads = [conv_utils.same_padding(n, k, s) for n, k, s in zip(x.shape[2:], pool, strides)]
    if all(b == a for b, a in pads):
        return _AVG[rank](x, pool, strides, tuple(b for b, _ in pads), count_include_pad=False)
    # Asymmetric: average the zero-padded input, then rescale each window by the share of it
    # that lies inside the input (torch's `count_include_pad=False` covers symmetric padding only).
    flat = [v for pair in reversed(pads) for v in pair]
    summed = _AVG[rank](F.pad(x, flat), pool, strides)
    ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device)
    share = _AVG[rank](F.pad(ones, flat), pool, strides)
    return summed / share


_POOL_OPS = {"max": _max_pool, "average": _avg_pool}


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
