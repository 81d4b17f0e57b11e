"""`LSTMCell` and `LSTM` (Hochreiter & Schmidhuber, 1997), gates in Keras's order i, f, c, o."""

import torch

from kerasish import activations
from kerasish.backend import dtypes, rnn_weights
from kerasish.compat.legacy_args import legacy_arguments
from kerasish.layers.recurrent.base_cell import (
    LEGACY_RNN_ARGS, GatedCellBase, legacy_rnn_preprocess,
)
from kerasish.layers.recurrent.rnn import RNN

_CELL_ARGS = (
    "units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
    "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
    "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
    "bias_constraint", "dropout", "recurrent_dropout", "seed",
)


class LSTMCell(GatedCellBase):
    """One LSTM step: `(inputs, [h, c]) -> (h', [h', c'])`.

    Args:
        units: dimensionality of the output space.
        activation: defaults to `"tanh"`.
        recurrent_activation: activation of the gates. Defaults to `"sigmoid"`.
        use_bias: defaults to `True`.
        kernel_initializer: defaults to `"glorot_uniform"`.
        recurrent_initializer: defaults to `"orthogonal"`.
        bias_initializer: defaults to `"zeros"`.
        unit_forget_bias: add 1 to the forget-gate bias at initialization. Defaults to `True`.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        dropout: fraction of the inputs to drop. Defaults to 0.
        recurrent_dropout: fraction of the recurrent state to drop. Defaults to 0.
        seed: random seed for dropout.

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    out = layers.RNN(layers.LSTMCell(4))(np.random.random((2, 5, 3)).astype("float32"))
    ```
    """

    gates = 4
    _fast_step = True

    @legacy_arguments(LEGACY_RNN_ARGS, preprocess=legacy_rnn_preprocess)
    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, **kwargs):
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self.unit_forget_bias = bool(unit_forget_bias)

    @property
    def state_size(self):
        return [self.units, self.units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        base, units = self.bias_initializer, self.units

        def init(shape, dtype=None):
            return torch.cat([base((units,), dtype), torch.ones((units,), dtype=dtypes.to_torch_dtype(dtype)),
                              base((2 * units,), dtype)])

        return init

    def call(self, inputs, states, training=False):
        h, c = states[0], states[1]
        x = self._dropped_inputs(inputs, training)
        hr = self._dropped_state(h, training)
        if isinstance(x, list) or isinstance(hr, list):
            z = self._per_gate(x, hr)
        else:
            z = x @ self.kernel + hr @ self.recurrent_kernel
            if self.bias is not None:
                z = z + self.bias
        zi, zf, zc, zo = z.chunk(4, dim=-1)
        act, ract = self.activation, self.recurrent_activation
        c = ract(zf) * c + ract(zi) * act(zc)
        h = ract(zo) * act(c)
        return h, [h, c]

    def _per_gate(self, x, h):
        """Gate pre-activations with a separate dropout mask per gate (Keras's implementation 1)."""
        xs = x if isinstance(x, list) else [x] * 4
        hs = h if isinstance(h, list) else [h] * 4
        ks = self.kernel.chunk(4, dim=1)
        rs = self.recurrent_kernel.chunk(4, dim=1)
        z = torch.cat([xi @ k + hi @ r for xi, k, hi, r in zip(xs, ks, hs, rs)], dim=-1)
        return z + self.bias if self.bias is not None else z

    def get_config(self):
        config = super().get_config()
        config["unit_forget_bias"] = self.unit_forget_bias
        return config


def fusable_gates(cell, training):
    """Whether a fused kernel computes `cell` exactly (Keras's cuDNN conditions, minus the device)."""
    return (cell.activation is activations.tanh
            and cell.recurrent_activation is activations.sigmoid
            and not (training and cell.recurrent_dropout > 0))


def _split_cell_kwargs(kwargs):
    cell_kwargs = {k: kwargs.pop(k) for k in _CELL_ARGS if k in kwargs}
    cell_kwargs["dtype"] = kwargs.get("dtype")
    cell_kwargs["trainable"] = kwargs.get("trainable", True)
    cell_kwargs.pop("implementation", None)
    kwargs.pop("implementation", None)
    return cell_kwargs, kwargs


class LSTM(RNN):
    """Long Short-Term Memory layer (Keras's weights and gate order, torch's fused kernel).

    Runs on torch's fused LSTM kernel (cuDNN on CUDA) when the activations are tanh/sigmoid, there
    is no recurrent dropout in training, `unroll=False`, and any mask is one contiguous block per
    sequence (right- or left-padded); otherwise on a step loop. Both give the same numbers.

    Args:
        units: dimensionality of the output space.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.

    `activation`, `recurrent_activation`, `use_bias`, `kernel_initializer`,
    `recurrent_initializer`, `bias_initializer`, `unit_forget_bias`, `*_regularizer`,
    `*_constraint`, `dropout`, `recurrent_dropout`, `seed`: as in `LSTMCell`.
    Keras 1 names (`output_dim`, `init`, `inner_init`, `W_regularizer`, `U_regularizer`,
    `dropout_W`, `dropout_U`, `consume_less`, ...) are converted with a warning.

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    lstm = layers.LSTM(4, return_sequences=True, return_state=True)
    seq, h, c = lstm(np.random.random((32, 10, 8)).astype("float32"))
    ```
    """

    @legacy_arguments(LEGACY_RNN_ARGS, preprocess=legacy_rnn_preprocess)
    def __init__(self, units, **kwargs):
        kwargs.pop("use_cudnn", None)
        cell_kwargs, kwargs = _split_cell_kwargs(kwargs)
        cell = LSTMCell(units, name="lstm_cell", **cell_kwargs)
        super().__init__(cell, **kwargs)

    def _fused_spec(self, training):
        cell = self.cell
        if type(cell) is not LSTMCell or not fusable_gates(cell, training):
            return None
        return "lstm", rnn_weights.lstm_flat_weights(cell.kernel, cell.recurrent_kernel, cell.bias)

    def get_config(self):
        config = super().get_config()
        cell_config = self.cell.get_config()
        config.update({k: cell_config[k] for k in _CELL_ARGS})
        return config

    def __getattr__(self, name):
        if name in _CELL_ARGS:
            return getattr(self.cell, name)
        return super().__getattr__(name)

