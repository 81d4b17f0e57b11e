"""`DepthwiseConv1D`: 1D depthwise convolution (one filter bank per input channel)."""

from kerasish.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv1D(BaseDepthwiseConv):
    """1D depthwise convolution: each input channel is convolved with its own
    `depth_multiplier` filters; output channels are `in * depth_multiplier`.

    Args:
        kernel_size: int or tuple of 1 ints.
        strides: int or tuple of 1 ints. Defaults to `1`.
        padding: `"valid"` or `"same"`.
        depth_multiplier: filters per input channel. Defaults to `1`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.
        dilation_rate: int or tuple of 1 ints. Defaults to `1`.
        activation, use_bias: as in `Conv1D`.
        depthwise_initializer, bias_initializer: defaults to `"glorot_uniform"` and `"zeros"`.
        depthwise_regularizer, bias_regularizer, activity_regularizer: optional regularizers.
        depthwise_constraint, bias_constraint: optional constraints.

    Example:

    ```python
    layer = kerasish.layers.DepthwiseConv1D(3, depth_multiplier=2)
    y = layer(np.zeros((2, 10, 3), "float32"))  # shape (2, 8, 6)
    ```
    """

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, kernel_size, strides=strides, padding=padding,
                         depth_multiplier=depth_multiplier, data_format=data_format,
                         dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
                         depthwise_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer,
                         depthwise_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
