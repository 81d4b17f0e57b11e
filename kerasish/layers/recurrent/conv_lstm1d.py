"""`ConvLSTM1D`: a convolutional LSTM over `(batch, time, *1 spatial dims, channels)`."""

from kerasish.layers.recurrent.conv_lstm import ConvLSTM


class ConvLSTM1D(ConvLSTM):
    """1D convolutional LSTM; input and recurrent transforms are 1D convolutions.

    Args:
        filters: number of output filters.
        kernel_size: int or tuple of 1 ints.
        strides, padding (`"valid"`/`"same"`), data_format, dilation_rate: as in `Conv1D`.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.

    `activation`, `recurrent_activation`, `use_bias`, `initializers`, `regularizers`,
    `constraints`, `unit_forget_bias`, `dropout`, `recurrent_dropout`, `seed`: as in `LSTM`.

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    x = np.random.random((2, 4) + (8,) * 1 + (3,)).astype("float32")
    out = layers.ConvLSTM1D(5, 3, padding="same")(x)  # (2,) + (8,) * 1 + (5,)
    ```
    """

    rank = 1
