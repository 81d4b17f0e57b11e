"""`BaseGlobalPooling`: max or mean over every spatial axis (`keepdims` keeps them as size 1)."""

from kerasish.backend import config as backend_config
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


def _reduce_max(x, axes, keepdims):
    return x.amax(dim=axes, keepdim=keepdims)


def _reduce_mean(x, axes, keepdims):
    return x.mean(dim=axes, keepdim=keepdims)


_REDUCTIONS = {"max": _reduce_max, "average": _reduce_mean}


class BaseGlobalPooling(Layer):
    """Shared implementation of the global pooling layers.

    Args:
        rank: number of spatial axes.
        pool_mode: `"max"` or `"average"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.
        keepdims: keep the spatial axes (size 1). Defaults to `False`.
    """

    def __init__(self, rank, pool_mode, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.pool_mode = pool_mode
        self.data_format = backend_config.standardize_data_format(data_format)
        self.keepdims = bool(keepdims)
        self.input_spec = InputSpec(ndim=rank + 2)
        self._reduce = _REDUCTIONS[pool_mode]

    def _spatial_axes(self):
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def call(self, inputs):
        return self._reduce(inputs, self._spatial_axes(), self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        channels_last = self.data_format == "channels_last"
        channels = input_shape[-1] if channels_last else input_shape[1]
        if not self.keepdims:
            return (input_shape[0], channels)
        ones = (1,) * self.rank
        return (input_shape[0],) + ones + (channels,) if channels_last else \
            (input_shape[0], channels) + ones

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config
