"""`SeparableConv1D`: 1D depthwise-separable convolution."""

from kerasish.layers.convolutional.base_separable_conv import BaseSeparableConv


class SeparableConv1D(BaseSeparableConv):
    """1D separable convolution: a depthwise convolution then a pointwise one mixing channels.

    Args:
        filters: number of output channels.
        kernel_size: int or tuple of 1 ints.
        strides, padding, data_format, dilation_rate: as in `Conv1D`.
        depth_multiplier: depthwise filters per input channel. Defaults to `1`.
        activation, use_bias: as in `Conv1D`.
        depthwise_initializer, pointwise_initializer, bias_initializer: defaults to
            `"glorot_uniform"`, `"glorot_uniform"` and `"zeros"`.

    `depthwise_regularizer`, `pointwise_regularizer`, `bias_regularizer`, `activity_regularizer`,
    `depthwise_constraint`, `pointwise_constraint`, `bias_constraint`: optional.

    Example:

    ```python
    layer = kerasish.layers.SeparableConv1D(8, 3, padding="same")
    y = layer(np.zeros((2, 10, 3), "float32"))  # shape (2, 10, 8)
    ```
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         depth_multiplier=depth_multiplier, activation=activation,
                         use_bias=use_bias, depthwise_initializer=depthwise_initializer,
                         pointwise_initializer=pointwise_initializer,
                         bias_initializer=bias_initializer,
                         depthwise_regularizer=depthwise_regularizer,
                         pointwise_regularizer=pointwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint,
                         pointwise_constraint=pointwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
