"""`BaseSeparableConv`: a depthwise convolution followed by a pointwise (1x1) one, N-D.

Weights, in Keras's order and layouts: `depthwise_kernel (*k, in, depth_multiplier)`,
`pointwise_kernel (1, ..., 1, in * depth_multiplier, filters)`, `bias (filters,)`.
"""

from kerasish import constraints, initializers, regularizers
from kerasish.layers.convolutional.base_conv import _CONV, BaseConv
from kerasish.layers.convolutional.base_depthwise_conv import (
    add_depthwise_kernel, check_depth_multiplier, depthwise_config, grouped_kernel,
)
from kerasish.layers.input_spec import InputSpec


class BaseSeparableConv(BaseConv):
    """Shared implementation of SeparableConv1D/2D (see `SeparableConv2D` for the arguments)."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, filters, kernel_size, strides=strides, padding=padding,
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
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.depthwise_kernel = add_depthwise_kernel(self, "depthwise_kernel", channels)
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint, layout="conv")
        self._build_bias(self.filters)
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={self._channel_axis(): channels})
        self.built = True

    def call(self, inputs):
        kernel, channels = grouped_kernel(self.depthwise_kernel, self.depth_multiplier)
        x = self._convolve(self._to_torch(inputs), kernel, None, channels)
        x = _CONV[self.rank](x, self.pointwise_kernel, self.bias)
        return self._from_torch(x)

    def get_config(self):
        config = depthwise_config(self, super().get_config())
        config.update({
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
            "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
        })
        return config
