"""`Conv3D`: 3D convolution over volumes."""

from kerasish.compat.legacy_args import legacy_arguments
from kerasish.layers.convolutional.base_conv import CONV_RENAMES, BaseConv, legacy_conv_preprocess


class Conv3D(BaseConv):
    """3D convolution (spatial convolution over volumes).

    Inputs are `(batch, dim1, dim2, dim3, channels)` for `data_format="channels_last"` (the default) or channels-first.

    Args:
        filters: number of output channels.
        kernel_size: int or tuple of 3 ints.
        strides: int or tuple of 3 ints. Defaults to `1`.
        padding: `"valid"` or `"same"`. `"same"` pads like Keras: the odd pixel goes at the end.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.
        dilation_rate: int or tuple of 3 ints. Defaults to `1`.
        groups: number of channel groups. Defaults to `1`.
        activation: activation name or function. Defaults to none.
        use_bias: whether to add a bias. Defaults to `True`.
        kernel_initializer, bias_initializer: defaults to `"glorot_uniform"` and `"zeros"`.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional regularizers.
        kernel_constraint, bias_constraint: optional constraints.

    Keras 1 spellings (`nb_filter`, `kernel_dim1..3`, `border_mode`, `subsample`, `init`, `W_regularizer`,
    `dim_ordering`, `bias`) are converted with a warning.

    Example:

    ```python
    layer = kerasish.layers.Conv3D(8, 3, padding="same", activation="relu")
    y = layer(np.zeros((2, 6, 6, 6, 1), "float32"))  # shape (2, 6, 6, 6, 8)
    ```
    """

    @legacy_arguments(CONV_RENAMES, preprocess=legacy_conv_preprocess(3))
    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(3, filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, groups=groups,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         **kwargs)
