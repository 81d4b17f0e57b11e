"""`ConvLSTM2D`: a convolutional LSTM over `(batch, time, *2 spatial dims, channels)`."""

from kerasish.layers.recurrent.conv_lstm import ConvLSTM


class ConvLSTM2D(ConvLSTM):
    """2D convolutional LSTM; input and recurrent transforms are 2D convolutions.

    Args:
        filters: number of output filters.
        kernel_size: int or tuple of 2 ints.
        strides, padding (`"valid"`/`"same"`), data_format, dilation_rate: as in `Conv2D`.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.

    `activation`, `recurrent_activation`, `use_bias`, `initializers`, `regularizers`,
    `constraints`, `unit_forget_bias`, `dropout`, `recurrent_dropout`, `seed`: as in `LSTM`.

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    x = np.random.random((2, 4) + (8,) * 2 + (3,)).astype("float32")
    out = layers.ConvLSTM2D(5, 3, padding="same")(x)  # (2,) + (8,) * 2 + (5,)
    ```
    """

    rank = 2
