"""`GatedCellBase`: what SimpleRNNCell, LSTMCell and GRUCell share — argument checking, the
kernel/recurrent-kernel/bias weights in Keras's layout (`(input_dim, gates*units)`,
`(units, gates*units)`), dropout masks and the config."""

from kerasish import activations, constraints, initializers, regularizers
from kerasish.layers.layer import Layer
from kerasish.layers.recurrent.dropout_rnn_cell import DropoutRNNCell

# Keras 1/2 argument names shared by the recurrent layers and cells.
LEGACY_RNN_ARGS = {
    "output_dim": "units", "init": "kernel_initializer", "inner_init": "recurrent_initializer",
    "inner_activation": "recurrent_activation", "W_regularizer": "kernel_regularizer",
    "U_regularizer": "recurrent_regularizer", "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint", "U_constraint": "recurrent_constraint",
    "b_constraint": "bias_constraint", "dropout_W": "dropout", "dropout_U": "recurrent_dropout",
}


def legacy_rnn_preprocess(args, kwargs):
    """Keras 1 arguments that need more than a rename: `consume_less` (a kernel choice, no
    numerical effect here) and `forget_bias_init` (`"one"` meant `unit_forget_bias=True`)."""
    converted = []
    if "consume_less" in kwargs:
        converted.append(f"implementation (was consume_less={kwargs.pop('consume_less')!r})")
    if "forget_bias_init" in kwargs:
        value = kwargs.pop("forget_bias_init")
        kwargs["unit_forget_bias"] = value in ("one", "ones")
        converted.append(f"unit_forget_bias={kwargs['unit_forget_bias']}")
    return args, kwargs, converted


def check_units(units):
    if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
        raise ValueError(
            f"Received an invalid value for argument `units`, expected a positive integer. "
            f"Received: units={units!r}"
        )
    return units


class GatedCellBase(Layer, DropoutRNNCell):
    """Base of the built-in cells; `gates` is how many `units`-wide blocks the kernels hold."""

    gates = 1

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        kwargs.pop("implementation", None)
        super().__init__(**kwargs)
        self.units = check_units(units)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = seed
        # Per-gate masks when the recurrent state is dropped (Keras's implementation=1).
        self.dropout_mask_count = self.gates if self.recurrent_dropout > 0 and self.gates > 1 else None
        self.bias = None

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self):
        return self.units

    def _bias_shape(self):
        return (self.gates * self.units,)

    def _bias_initializer(self):
        return self.bias_initializer

    def build(self, input_shape):
        input_dim = input_shape[-1]
        n = self.gates * self.units
        self.kernel = self.add_weight(shape=(input_dim, n), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(shape=(self.units, n), name="recurrent_kernel",
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        if self.use_bias:
            self.bias = self.add_weight(shape=self._bias_shape(), name="bias",
                                        initializer=self._bias_initializer(),
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def _dropped_inputs(self, inputs, training):
        """Inputs times the dropout mask(s): one tensor, or one per gate with per-gate masks."""
        if training and 0.0 < self.dropout < 1.0:
            mask = self.get_dropout_mask(inputs)
            if isinstance(mask, list):
                return [inputs * m for m in mask]
            return inputs * mask
        return inputs

    def _dropped_state(self, h, training):
        if training and 0.0 < self.recurrent_dropout < 1.0:
            mask = self.get_recurrent_dropout_mask(h)
            if isinstance(mask, list):
                return [h * m for m in mask]
            return h * mask
        return h

    def get_initial_state(self, batch_size=None, device=None, dtype=None):
        import torch

        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        device = device if device is not None else self._weight_device()
        return [torch.zeros((batch_size, s), device=device, dtype=dtype) for s in sizes]

    def get_config(self):
        config = super().get_config()
        config.update({
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        })
        return config
