"""`RNN`: runs a cell over the time axis, with Keras's options (`return_sequences`, `return_state`,
`go_backwards`, `stateful`, masking, `unroll`) and torch's fused kernels where the cell allows."""

import torch

from kerasish.layers.layer import Layer
from kerasish.layers.recurrent import fused
from kerasish.layers.recurrent.rnn_loop import step_loop


def keras2_input_kwargs(kwargs):
    """Keras 2's `input_dim` / `input_length` on a recurrent layer mean `input_shape=(length, dim)`."""
    if "input_dim" in kwargs or "input_length" in kwargs:
        dim, length = kwargs.pop("input_dim", None), kwargs.pop("input_length", None)
        kwargs.setdefault("input_shape", (length, dim))
    return kwargs


def _as_list(x):
    if x is None:
        return None
    return list(x) if isinstance(x, (list, tuple)) else [x]


class RNN(Layer):
    """Base class for recurrent layers: runs `cell` over the time axis of `(batch, time, ...)` inputs.

    A cell is any layer with `call(inputs, states) -> (output, new_states)` and a `state_size` (an int
    or a list of ints); `output_size` defaults to the first state size. A list of cells is stacked
    (`StackedRNNCells`).

    Args:
        cell: the cell, or a list of cells.
        return_sequences: return every step's output (`(batch, time, units)`) instead of the last.
            Defaults to `False`.
        return_state: also return the final states. Defaults to `False`.
        go_backwards: process the sequence from its end; outputs come in processing order.
        stateful: keep the final states of a batch as the initial states of the next (needs a
            fixed batch size: `batch_input_shape`/`batch_size`); `reset_states()` zeroes them.
        unroll: run the Python step loop instead of a fused kernel (the results are the same).
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Call arguments:
        sequences: `(batch, time, features)` tensor.
        initial_state: optional list of initial state tensors.
        mask: optional `(batch, time)` boolean mask (set automatically by `Embedding(mask_zero=True)`
            or `Masking`).
        training: whether dropout applies.

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    rnn = layers.RNN(layers.LSTMCell(4), return_sequences=True)
    out = rnn(np.random.random((2, 5, 3)).astype("float32"))  # (2, 5, 4)
    ```
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        kwargs = keras2_input_kwargs(kwargs)
        super().__init__(**kwargs)
        if isinstance(cell, (list, tuple)):
            from kerasish.layers.recurrent.stacked_rnn_cells import StackedRNNCells

            cell = StackedRNNCells(cell)
        if not callable(getattr(cell, "call", None)) and not callable(cell):
            raise ValueError(f"Argument `cell` should have a `call` method. Received: cell={cell!r}")
        state_size = getattr(cell, "state_size", None)
        if state_size is None or not isinstance(state_size, (int, list, tuple)):
            raise ValueError(
                "The RNN cell should have a `state_size` attribute (an integer or a list of "
                f"integers, one per state). Received: cell={cell!r}, state_size={state_size!r}"
            )
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.supports_masking = True
        self._state_names = []

    # ------------------------------------------------------------------ sizes and states
    @property
    def state_size(self):
        s = self.cell.state_size
        return [s] if isinstance(s, int) else list(s)

    @property
    def _output_size(self):
        size = getattr(self.cell, "output_size", None)
        return self.state_size[0] if size is None else size

    @property
    def states(self):
        """The stateful layer's current states (None when not stateful or not built)."""
        if not self._state_names:
            return None
        return [getattr(self, n) for n in self._state_names]

    def get_initial_state(self, batch_size, like=None):
        device = like.device if like is not None else self._weight_device()
        dtype = like.dtype if like is not None and like.is_floating_point() else None
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is not None:
            try:
                states = fn(batch_size=batch_size, device=device, dtype=dtype)
            except TypeError:
                states = fn(batch_size=batch_size)
            return [torch.as_tensor(s, device=device) for s in _as_list(states)]
        return [torch.zeros((batch_size, s), device=device, dtype=dtype) for s in self.state_size]

    def reset_states(self, states=None):
        """Zeroes the states of a stateful layer, or sets them to `states` (numpy arrays)."""
        if not self.stateful:
            raise AttributeError("Layer must be stateful to reset its states.")
        if not self._state_names:
            return
        values = _as_list(states)
        if values is not None and len(values) != len(self._state_names):
            raise ValueError(
                f"Layer {self.name!r} expects {len(self._state_names)} states, but it received "
                f"{len(values)} state values. Received: states={states!r}"
            )
        with torch.no_grad():
            for i, name in enumerate(self._state_names):
                buf = getattr(self, name)
                if values is None:
                    buf.zero_()
                else:
                    buf.copy_(torch.as_tensor(values[i], dtype=buf.dtype))

    reset_state = reset_states

    # ------------------------------------------------------------------ building
    def build(self, sequences_shape, initial_state_shape=None):
        if isinstance(sequences_shape, list) and sequences_shape and isinstance(sequences_shape[0], (list, tuple)):
            sequences_shape = sequences_shape[0]
        if len(sequences_shape) < 3:
            raise ValueError(
                f"Input 0 of layer {self.name!r} is incompatible with the layer: expected "
                f"ndim>=3 (batch, time, features), found ndim={len(sequences_shape)}. "
                f"Received: input_shape={tuple(sequences_shape)}"
            )
        step_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell._build_device = self._build_device
            self.cell.build(step_shape)
            self.cell.built = True
        if self.stateful:
            self._create_state_buffers(sequences_shape[0])
        self.built = True

    def _create_state_buffers(self, batch_size):
        if batch_size is None:
            raise ValueError(
                "When using `stateful=True` in a RNN, the batch size must be static. Pass "
                "`batch_input_shape=(batch, time, features)` (or `batch_size=`) to the first layer. "
                f"Found dynamic batch size. Received: batch_size={batch_size}"
            )
        device = self._weight_device()
        for i, s in enumerate(self.get_initial_state(batch_size)):
            name = f"rnn_state_{i}"
            self.register_buffer(name, s.to(device), persistent=False)
            self._state_names.append(name)

    # ------------------------------------------------------------------ calling
    def call(self, sequences, initial_state=None, mask=None, training=False):
        if sequences.ndim < 3:
            raise ValueError(
                f"Input 0 of layer {self.name!r} is incompatible with the layer: expected ndim>=3 "
                f"(batch, time, features). Received: input_shape={tuple(sequences.shape)}"
            )
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        states = self._initial_states(sequences, initial_state)
        try:
            last, outputs, states = self._run(sequences, states, mask, bool(training))
        finally:
            self._reset_dropout_masks(self.cell)
        if self.stateful:
            with torch.no_grad():
                for name, s in zip(self._state_names, states):
                    getattr(self, name).copy_(s.detach())
        output = outputs if self.return_sequences else last
        if self.return_state:
            return [output] + list(states)
        return output

    def _initial_states(self, sequences, initial_state):
        batch = sequences.shape[0]
        if initial_state is not None:
            states = [torch.as_tensor(s, device=sequences.device, dtype=sequences.dtype)
                      for s in _as_list(initial_state)]
            if len(states) != len(self.state_size):
                raise ValueError(
                    f"Layer {self.name!r} expects {len(self.state_size)} initial states. "
                    f"Received: len(initial_state)={len(states)}"
                )
            return states
        if self.stateful:
            if not self._state_names:
                self._create_state_buffers(batch)
            states = self.states
            if states[0].shape[0] != batch:
                raise ValueError(
                    "If an RNN is stateful, the batch size of the input sequences must be the same "
                    f"as the batch size of the states. Expected batch size: {states[0].shape[0]}. "
                    f"Received: batch_size={batch}"
                )
            return [s.clone() for s in states]
        return self.get_initial_state(batch, like=sequences)

    def _fused_spec(self, training):
        """`(kind, flat_weights)` when a torch fused kernel computes this layer's cell, else None."""
        return None

    def _run(self, sequences, states, mask, training):
        if not self.unroll:
            spec = self._fused_spec(training)
            if spec is not None:
                x = sequences
                if training and 0.0 < getattr(self.cell, "dropout", 0.0) < 1.0:
                    x = x * self.cell.get_dropout_mask(sequences[:, 0]).unsqueeze(1)
                res = fused.run(spec[0], spec[1], x, states, self.go_backwards, mask,
                                self.zero_output_for_mask, self.return_sequences)
                if res is not None:
                    return res
        return step_loop(self._step_fn(training), sequences, states, self.go_backwards, mask,
                         self.zero_output_for_mask, self.return_sequences)

    def _step_fn(self, training):
        cell = self.cell
        kwargs = {"training": training} if getattr(cell, "_call_has_training_arg", False) else {}
        if getattr(cell, "_fast_step", False):
            return lambda x, s: cell.call(x, s, **kwargs)
        return lambda x, s: cell(x, s, **kwargs)

    def _reset_dropout_masks(self, cell):
        for c in getattr(cell, "cells", [cell]):
            if hasattr(c, "reset_dropout_mask"):
                c.reset_dropout_mask()
                c.reset_recurrent_dropout_mask()

    # ------------------------------------------------------------------ shapes, masks, config
    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, length = sequences_shape[0], sequences_shape[1]
        size = self._output_size
        out = (batch, length, size) if self.return_sequences else (batch, size)
        if self.return_state:
            return [out] + [(batch, s) for s in self.state_size]
        return out

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        out = mask if self.return_sequences else None
        if self.return_state:
            return [out] + [None] * len(self.state_size)
        return out

    def get_config(self):
        config = super().get_config()
        config.update({
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
        })
        if type(self) is RNN:
            from kerasish import layers

            config["cell"] = layers.serialize(self.cell)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if "cell" in config and isinstance(config["cell"], (dict, list)):
            from kerasish import layers

            cell = config.pop("cell")
            cells = [layers.deserialize(c, custom_objects) for c in cell] if isinstance(cell, list) \
                else layers.deserialize(cell, custom_objects)
            return cls(cells, **config)
        return super().from_config(config)

    def extra_repr(self):
        return (f"name={self.name!r}, cell={type(self.cell).__name__}, "
                f"return_sequences={self.return_sequences}, return_state={self.return_state}")

