"""`SimpleRNNCell` and `SimpleRNN`: `h' = activation(x @ kernel + h @ recurrent_kernel + bias)`."""

from kerasish import activations
from kerasish.backend import rnn_weights
from kerasish.compat.legacy_args import legacy_arguments
from kerasish.layers.recurrent.base_cell import (
    LEGACY_RNN_ARGS, GatedCellBase, legacy_rnn_preprocess,
)
from kerasish.layers.recurrent.rnn import RNN

_CELL_ARGS = (
    "units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
    "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
    "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
    "seed",
)

# Activations torch has a fused kernel for.
_FUSED_KINDS = {activations.tanh: "rnn_tanh", activations.relu: "rnn_relu"}


class SimpleRNNCell(GatedCellBase):
    """One fully-connected RNN step: `(inputs, [h]) -> (h', [h'])`.

    Args:
        units: dimensionality of the output space.
        activation: defaults to `"tanh"`.

    Other arguments as in `LSTMCell` (no recurrent activation, no `unit_forget_bias`).

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    out = layers.RNN(layers.SimpleRNNCell(4))(np.random.random((2, 5, 3)).astype("float32"))
    ```
    """

    gates = 1
    _fast_step = True

    @legacy_arguments(LEGACY_RNN_ARGS, preprocess=legacy_rnn_preprocess)
    def __init__(self, units, activation="tanh", use_bias=True, **kwargs):
        kwargs.pop("recurrent_activation", None)
        super().__init__(units, activation=activation, use_bias=use_bias, **kwargs)

    def call(self, inputs, states, training=False):
        h = states[0] if isinstance(states, (list, tuple)) else states
        z = self._dropped_inputs(inputs, training) @ self.kernel
        if self.bias is not None:
            z = z + self.bias
        out = self.activation(z + self._dropped_state(h, training) @ self.recurrent_kernel)
        return out, [out]

    def get_config(self):
        config = super().get_config()
        config.pop("recurrent_activation")
        return config


class SimpleRNN(RNN):
    """Fully-connected RNN layer; torch's fused `rnn_tanh`/`rnn_relu` kernel where it applies.

    Args:
        units: dimensionality of the output space.

    Other arguments as in `SimpleRNNCell` and `RNN`; Keras 1 names converted with a warning.

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    out = layers.SimpleRNN(4)(np.random.random((32, 10, 8)).astype("float32"))  # (32, 4)
    ```
    """

    @legacy_arguments(LEGACY_RNN_ARGS, preprocess=legacy_rnn_preprocess)
    def __init__(self, units, **kwargs):
        kwargs.pop("implementation", None)
        cell_kwargs = {k: kwargs.pop(k) for k in _CELL_ARGS if k in kwargs}
        cell_kwargs.update(dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True))
        cell_kwargs.pop("units", None)
        super().__init__(SimpleRNNCell(units, name="simple_rnn_cell", **cell_kwargs), **kwargs)

    def _fused_spec(self, training):
        cell = self.cell
        kind = _FUSED_KINDS.get(cell.activation)
        if type(cell) is not SimpleRNNCell or kind is None or (training and cell.recurrent_dropout > 0):
            return None
        return kind, rnn_weights.simple_rnn_flat_weights(cell.kernel, cell.recurrent_kernel, cell.bias)

    def get_config(self):
        config = super().get_config()
        cell_config = self.cell.get_config()
        config.update({k: cell_config[k] for k in _CELL_ARGS})
        return config

    def __getattr__(self, name):
        if name in _CELL_ARGS:
            return getattr(self.cell, name)
        return super().__getattr__(name)
