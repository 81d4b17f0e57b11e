"""`BaseDepthwiseConv`: one filter bank per input channel (depthwise convolution), N-D.

The kernel speaks Keras's `(*k, in, depth_multiplier)` layout and is stored as
`(in, depth_multiplier, *k)`, which is torch's grouped `(in * depth_multiplier, 1, *k)` kernel
memory: the convolution reads it through a free `reshape`.
"""

from kerasish import constraints, initializers, regularizers
from kerasish.layers.convolutional.base_conv import BaseConv
from kerasish.layers.input_spec import InputSpec


class BaseDepthwiseConv(BaseConv):
    """Shared implementation of DepthwiseConv1D/2D (see `DepthwiseConv2D` for the arguments)."""

    def __init__(self, rank, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, None, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=depthwise_constraint, bias_constraint=bias_constraint,
                         **kwargs)
        self.depth_multiplier = check_depth_multiplier(depth_multiplier)

    def _output_channels(self, input_shape):
        channels = input_shape[self._channel_axis()]
        return None if channels is None else channels * self.depth_multiplier

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.kernel = add_depthwise_kernel(self, "kernel", channels)
        self._build_bias(channels * self.depth_multiplier)
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={self._channel_axis(): channels})
        self.built = True

    def call(self, inputs):
        kernel, channels = grouped_kernel(self.kernel, self.depth_multiplier)
        x = self._to_torch(inputs)
        return self._from_torch(self._convolve(x, kernel, self.bias, channels))

    def get_config(self):
        config = depthwise_config(self, super().get_config())
        config.pop("filters")
        return config


def check_depth_multiplier(value):
    if not isinstance(value, int) or value <= 0:
        raise ValueError(
            "Invalid value for argument `depth_multiplier`. Expected a strictly positive "
            f"integer. Received: depth_multiplier={value!r}"
        )
    return value


def add_depthwise_kernel(layer, name, channels):
    """The `(*k, channels, depth_multiplier)` kernel (Keras layout) of a depthwise stage."""
    return layer.add_weight(
        name=name, shape=layer.kernel_size + (channels, layer.depth_multiplier),
        initializer=layer.kernel_initializer, regularizer=layer.kernel_regularizer,
        constraint=layer.kernel_constraint, layout="depthwise")


def grouped_kernel(kernel, depth_multiplier):
    """Torch's grouped `(in * dm, 1, *k)` view of a stored depthwise kernel, and `in`."""
    channels = kernel.shape[0]
    return kernel.reshape((channels * depth_multiplier, 1) + tuple(kernel.shape[2:])), channels


def depthwise_config(layer, config):
    """A conv config with the depthwise stage's Keras names instead of the `kernel_*` ones."""
    for key in ("groups", "kernel_initializer", "kernel_regularizer", "kernel_constraint"):
        config.pop(key)
    config.update({
        "depth_multiplier": layer.depth_multiplier,
        "depthwise_initializer": initializers.serialize(layer.kernel_initializer),
        "depthwise_regularizer": regularizers.serialize(layer.kernel_regularizer),
        "depthwise_constraint": constraints.serialize(layer.kernel_constraint),
    })
    return config
