"""`Conv1DTranspose`: transposed 1D convolution (sometimes called deconvolution)."""

from kerasish.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv1DTranspose(BaseConvTranspose):
    """Transposed 1D convolution, with Keras's output sizes and kernel layout `(*k, filters, in)`.

    Args:
        filters: number of output channels.
        kernel_size: int or tuple of 1 ints.
        strides: int or tuple of 1 ints. Defaults to `1`.
        padding: `"valid"` or `"same"` (output length `input * strides`).
        output_padding: int or tuple of 1 ints added to the output's end; each must be less than
            its stride. Defaults to `None` (inferred).
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.
        dilation_rate: int or tuple of 1 ints. Defaults to `1`.

    `activation`, `use_bias`, `kernel_initializer`, `bias_initializer`, `kernel_regularizer`,
    `bias_regularizer`, `activity_regularizer`, `kernel_constraint`, `bias_constraint`: as in
    `Conv1D`.

    Example:

    ```python
    layer = kerasish.layers.Conv1DTranspose(4, 3, strides=2, padding="same")
    y = layer(np.zeros((2, 5, 3), "float32"))  # shape (2, 10, 4)
    ```
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides=strides, padding=padding,
                         output_padding=output_padding, data_format=data_format,
                         dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         **kwargs)
