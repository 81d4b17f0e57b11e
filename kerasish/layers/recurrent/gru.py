"""`GRUCell` and `GRU` (Cho et al., 2014), gates in Keras's order z, r, h, both `reset_after`
variants."""

import torch

from kerasish.backend import rnn_weights
from kerasish.compat.legacy_args import legacy_arguments
from kerasish.layers.recurrent.base_cell import (
    LEGACY_RNN_ARGS, GatedCellBase, legacy_rnn_preprocess,
)
from kerasish.layers.recurrent.lstm import fusable_gates
from kerasish.layers.recurrent.rnn import RNN

_CELL_ARGS = (
    "units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
    "recurrent_initializer", "bias_initializer", "kernel_regularizer", "recurrent_regularizer",
    "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
    "recurrent_dropout", "seed", "reset_after",
)


class GRUCell(GatedCellBase):
    """One GRU step: `(inputs, [h]) -> (h', [h'])`.

    With `reset_after=True` (Keras 3's default, the cuDNN-compatible form) the reset gate multiplies
    the recurrent projection after the matrix product, and the bias has shape `(2, 3*units)` (input
    bias, recurrent bias); with `False` it multiplies the state before it, bias `(3*units,)`.

    Args:
        units: dimensionality of the output space.
        activation: defaults to `"tanh"`.
        recurrent_activation: defaults to `"sigmoid"`.
        reset_after: defaults to `True`.

    Other arguments as in `LSTMCell` (without `unit_forget_bias`).

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    out = layers.RNN(layers.GRUCell(4))(np.random.random((2, 5, 3)).astype("float32"))
    ```
    """

    gates = 3
    _fast_step = True

    @legacy_arguments(LEGACY_RNN_ARGS, preprocess=legacy_rnn_preprocess)
    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 reset_after=True, **kwargs):
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, **kwargs)
        self.reset_after = bool(reset_after)

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _biases(self):
        if self.bias is None:
            return None, None
        if self.reset_after:
            return self.bias[0], self.bias[1]
        return self.bias, None

    def call(self, inputs, states, training=False):
        h = states[0] if isinstance(states, (list, tuple)) else states
        x = self._dropped_inputs(inputs, training)
        hr = self._dropped_state(h, training)
        xs = x if isinstance(x, list) else [x] * 3
        hs = hr if isinstance(hr, list) else [hr] * 3
        b_in, b_rec = self._biases()
        if isinstance(x, list):
            mx = torch.cat([xi @ k for xi, k in zip(xs, self.kernel.chunk(3, dim=1))], dim=-1)
        else:
            mx = x @ self.kernel
        if b_in is not None:
            mx = mx + b_in
        x_z, x_r, x_h = mx.chunk(3, dim=-1)
        u_z, u_r, u_h = self.recurrent_kernel.chunk(3, dim=1)
        rec_z, rec_r = hs[0] @ u_z, hs[1] @ u_r
        if b_rec is not None:
            bz, br, bh = b_rec.chunk(3)
            rec_z, rec_r = rec_z + bz, rec_r + br
        z = self.recurrent_activation(x_z + rec_z)
        r = self.recurrent_activation(x_r + rec_r)
        if self.reset_after:
            rec_h = hs[2] @ u_h
            if b_rec is not None:
                rec_h = rec_h + bh
            rec_h = r * rec_h
        else:
            rec_h = (r * hs[2]) @ u_h
        hh = self.activation(x_h + rec_h)
        h = z * h + (1 - z) * hh
        return h, [h]

    def get_config(self):
        config = super().get_config()
        config["reset_after"] = self.reset_after
        return config


class GRU(RNN):
    """Gated Recurrent Unit layer (Keras's weights and gate order, torch's fused kernel).

    Runs on torch's fused GRU kernel (cuDNN on CUDA) when `reset_after=True`, the activations are
    tanh/sigmoid, there is no recurrent dropout in training, `unroll=False`, and any mask is one
    contiguous block per sequence; otherwise on a step loop.

    Args:
        units: dimensionality of the output space.
        reset_after: Keras 3's default `True`; `False` is Keras 2.2's original form.

    Other arguments as in `GRUCell` and `RNN`; Keras 1 names are converted with a warning.

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    seq, h = layers.GRU(4, return_sequences=True, return_state=True)(
        np.random.random((32, 10, 8)).astype("float32"))
    ```
    """

    @legacy_arguments(LEGACY_RNN_ARGS, preprocess=legacy_rnn_preprocess)
    def __init__(self, units, **kwargs):
        kwargs.pop("use_cudnn", None)
        kwargs.pop("implementation", None)
        cell_kwargs = {k: kwargs.pop(k) for k in _CELL_ARGS if k in kwargs}
        cell_kwargs.update(dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True))
        cell_kwargs.pop("units", None)
        super().__init__(GRUCell(units, name="gru_cell", **cell_kwargs), **kwargs)

    def _fused_spec(self, training):
        cell = self.cell
        if type(cell) is not GRUCell or not cell.reset_after or not fusable_gates(cell, training):
            return None
        return "gru", rnn_weights.gru_flat_weights(cell.kernel, cell.recurrent_kernel, cell.bias)

    def get_config(self):
        config = super().get_config()
        cell_config = self.cell.get_config()
        config.update({k: cell_config[k] for k in _CELL_ARGS})
        return config

    def __getattr__(self, name):
        if name in _CELL_ARGS:
            return getattr(self.cell, name)
        return super().__getattr__(name)
