"""`ConvLSTMCell` and the `ConvLSTM` base: an LSTM whose input and recurrent transforms are
convolutions (Shi et al., 2015). Kernels are in Keras's layout `(*kernel_size, in, 4*filters)`,
gates i, f, c, o; the recurrent convolution has stride 1 and 'same' padding."""

import torch
import torch.nn.functional as F

from kerasish.backend import config, layouts
from kerasish.layers.recurrent.lstm import LSTMCell
from kerasish.layers.recurrent.rnn import RNN

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CELL_ARGS = (
    "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
    "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
    "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
    "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
    "recurrent_dropout", "seed",
)


def _tuple(value, rank, name):
    t = (value,) * rank if isinstance(value, int) else tuple(value)
    if len(t) != rank or not all(isinstance(v, int) and v > 0 for v in t):
        raise ValueError(f"The `{name}` argument must be a tuple of {rank} positive integers. "
                         f"Received: {name}={value!r}")
    return t


def _same_pads(size, k, s, d):
    """Keras/TF 'same' padding (the extra pixel goes at the end) for one spatial dim."""
    out = -(-size // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
    return total // 2, total - total // 2


def _conv(x, w, strides, padding, dilation):
    """Convolution of channels-first `x` with a torch-layout kernel, Keras's padding rules."""
    if padding == "same":
        pads = []
        for size, k, s, d in reversed(list(zip(x.shape[2:], w.shape[2:], strides, dilation))):
            pads.extend(_same_pads(size, k, s, d))
        x = F.pad(x, pads)
    return _CONV[x.ndim - 2](x, w, None, strides, 0, dilation)


class ConvLSTMCell(LSTMCell):
    """One ConvLSTM step on `(batch, *spatial, channels)` inputs (or channels-first).

    Args:
        rank: number of spatial dimensions (1, 2 or 3).
        filters: number of output filters.
        kernel_size, strides, dilation_rate: int or tuple of `rank` ints.
        padding: `"valid"` (default) or `"same"`.
        data_format: `"channels_last"` (default `image_data_format()`) or `"channels_first"`.
        Other arguments as in `LSTMCell`.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, **kwargs):
        super().__init__(filters, **kwargs)
        self.rank = rank
        self.filters = filters
        self.kernel_size = _tuple(kernel_size, rank, "kernel_size")
        self.strides = _tuple(strides, rank, "strides")
        self.dilation_rate = _tuple(dilation_rate, rank, "dilation_rate")
        padding = padding.lower() if isinstance(padding, str) else padding
        if padding not in ("valid", "same"):
            raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding!r}")
        self.padding = padding
        self.data_format = data_format or config.image_data_format()
        self.dropout_mask_count = 4
        self.spatial_input = None

    @property
    def state_size(self):
        return [self.filters, self.filters]

    def build(self, input_shape):
        channel_axis = 1 if self.data_format == "channels_first" else -1
        input_dim = input_shape[channel_axis]
        n = 4 * self.filters
        self.kernel = self.add_weight(shape=self.kernel_size + (input_dim, n), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, n), name="recurrent_kernel",
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        if self.use_bias:
            self.bias = self.add_weight(shape=(n,), name="bias", initializer=self._bias_initializer(),
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def _output_spatial(self, spatial):
        if self.padding == "same":
            return tuple(-(-s // st) for s, st in zip(spatial, self.strides))
        return tuple((s - (k - 1) * d - 1) // st + 1 for s, k, d, st in
                     zip(spatial, self.kernel_size, self.dilation_rate, self.strides))

    def get_initial_state(self, batch_size=None, device=None, dtype=None):
        shape = tuple(self.spatial_input)
        spatial = shape[1:] if self.data_format == "channels_first" else shape[:-1]
        out = self._output_spatial(spatial)
        full = (batch_size, self.filters) + out if self.data_format == "channels_first" \
            else (batch_size,) + out + (self.filters,)
        return [torch.zeros(full, device=device, dtype=dtype) for _ in range(2)]

    def _to_cf(self, x):
        return x if self.data_format == "channels_first" else x.movedim(-1, 1)

    def _from_cf(self, x):
        return x if self.data_format == "channels_first" else x.movedim(1, -1)

    def call(self, inputs, states, training=False):
        h, c = states[0], states[1]
        xs = self._dropped_inputs(inputs, training)
        hs = self._dropped_state(h, training)
        xs = xs if isinstance(xs, list) else [xs] * 4
        hs = hs if isinstance(hs, list) else [hs] * 4
        w = layouts.to_torch("conv", self.kernel).chunk(4, dim=0)
        u = layouts.to_torch("conv", self.recurrent_kernel).chunk(4, dim=0)
        b = self.bias.chunk(4) if self.bias is not None else [None] * 4
        ones = (1,) * self.rank
        z = []
        for i in range(4):
            zi = _conv(self._to_cf(xs[i]), w[i], self.strides, self.padding, self.dilation_rate)
            zi = zi + _conv(self._to_cf(hs[i]), u[i], ones, "same", ones)
            if b[i] is not None:
                zi = zi + b[i].reshape((1, -1) + ones)
            z.append(zi)
        act, ract = self.activation, self.recurrent_activation
        c = ract(self._from_cf(z[1])) * c + ract(self._from_cf(z[0])) * act(self._from_cf(z[2]))
        h = ract(self._from_cf(z[3])) * act(c)
        return h, [h, c]

    def get_config(self):
        cfg = super().get_config()
        cfg.pop("units", None)
        cfg.update({"rank": self.rank, "filters": self.filters, "kernel_size": self.kernel_size,
                    "strides": self.strides, "padding": self.padding,
                    "data_format": self.data_format, "dilation_rate": self.dilation_rate})
        return cfg


class ConvLSTM(RNN):
    """Base of ConvLSTM1D/2D/3D: an `RNN` over `(batch, time, *spatial, channels)` of a
    `ConvLSTMCell` (always the step loop: torch has no fused convolutional LSTM)."""

    rank = 2

    def __init__(self, filters, kernel_size, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, **kwargs):
        cell_kwargs = {k: kwargs.pop(k) for k in _CELL_ARGS if k in kwargs}
        cell_kwargs.pop("filters", None)
        cell_kwargs.pop("kernel_size", None)
        cell_kwargs.update(dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True))
        cell = ConvLSTMCell(self.rank, filters, kernel_size, name="conv_lstm_cell", **cell_kwargs)
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll, **kwargs)

    def build(self, sequences_shape, initial_state_shape=None):
        if len(sequences_shape) != self.rank + 3:
            raise ValueError(
                f"Input 0 of layer {self.name!r} is incompatible with the layer: expected "
                f"ndim={self.rank + 3} (batch, time, *spatial, channels). "
                f"Received: input_shape={tuple(sequences_shape)}"
            )
        self.cell.spatial_input = tuple(sequences_shape[2:])
        super().build(sequences_shape, initial_state_shape)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if sequences.ndim != self.rank + 3:
            raise ValueError(
                f"Input 0 of layer {self.name!r} is incompatible with the layer: expected "
                f"ndim={self.rank + 3}. Received: input_shape={tuple(sequences.shape)}"
            )
        self.cell.spatial_input = tuple(sequences.shape[2:])
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        cell = self.cell
        shape = tuple(sequences_shape)
        cf = cell.data_format == "channels_first"
        spatial = shape[3:] if cf else shape[2:-1]
        out = cell._output_spatial([s if s is not None else 0 for s in spatial])
        out = tuple(o if s is not None else None for o, s in zip(out, spatial))
        step = (shape[0], cell.filters) + out if cf else (shape[0],) + out + (cell.filters,)
        output = (step[0], shape[1]) + step[1:] if self.return_sequences else step
        return [output, step, step] if self.return_state else output

    def get_config(self):
        cfg = super().get_config()
        cell_cfg = self.cell.get_config()
        cfg.update({k: cell_cfg[k] for k in _CELL_ARGS})
        return cfg

    def __getattr__(self, name):
        if name in _CELL_ARGS:
            return getattr(self.cell, name)
        return super().__getattr__(name)

