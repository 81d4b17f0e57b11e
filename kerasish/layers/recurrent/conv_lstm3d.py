"""`ConvLSTM3D`: a convolutional LSTM over `(batch, time, *3 spatial dims, channels)`."""

from kerasish.layers.recurrent.conv_lstm import ConvLSTM


class ConvLSTM3D(ConvLSTM):
    """3D convolutional LSTM; input and recurrent transforms are 3D convolutions.

    Args:
        filters: number of output filters.
        kernel_size: int or tuple of 3 ints.
        strides, padding (`"valid"`/`"same"`), data_format, dilation_rate: as in `Conv3D`.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.

    `activation`, `recurrent_activation`, `use_bias`, `initializers`, `regularizers`,
    `constraints`, `unit_forget_bias`, `dropout`, `recurrent_dropout`, `seed`: as in `LSTM`.

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    x = np.random.random((2, 4) + (8,) * 3 + (3,)).astype("float32")
    out = layers.ConvLSTM3D(5, 3, padding="same")(x)  # (2,) + (8,) * 3 + (5,)
    ```
    """

    rank = 3
