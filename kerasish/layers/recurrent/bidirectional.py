"""`Bidirectional`: runs a recurrent layer forwards and a copy of it backwards, then merges."""

import torch

from kerasish.layers.layer import Layer


def _concat(y, y_rev):
    return torch.cat([y, y_rev], dim=-1)


# merge_mode -> how the forward and (time-aligned) backward outputs combine.
_MERGES = {
    "concat": _concat,
    "sum": lambda y, y_rev: y + y_rev,
    "ave": lambda y, y_rev: (y + y_rev) / 2,
    "mul": lambda y, y_rev: y * y_rev,
    None: lambda y, y_rev: [y, y_rev],
}


def _copy_layer(layer, name, **overrides):
    config = layer.get_config()
    config.update(name=name, **overrides)
    config.pop("batch_input_shape", None)
    return type(layer).from_config(config)


class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs.

    Args:
        layer: an `RNN` instance (`LSTM`, `GRU`, `SimpleRNN`, `RNN(cell)`); a fresh copy of it runs
            forwards (`forward_<name>`) and, unless `backward_layer` is given, another copy with
            `go_backwards` flipped runs backwards (`backward_<name>`).
        merge_mode: `"concat"` (default), `"sum"`, `"mul"`, `"ave"`, or `None` (a list of both).
        backward_layer: optional `RNN` instance for the backward direction.
        weights: optional initial weights (forward's then backward's).

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    out = layers.Bidirectional(layers.LSTM(4))(np.random.random((2, 5, 3)).astype("float32"))  # (2, 8)
    ```
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                f"Received: layer={layer!r}"
            )
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(
                "`backward_layer` need to be a `keras.layers.Layer` instance. "
                f"Received: backward_layer={backward_layer!r}"
            )
        if merge_mode not in _MERGES:
            raise ValueError(
                f"Invalid merge mode. Merge mode should be one of {{'sum', 'mul', 'ave', 'concat', "
                f"None}}. Received: merge_mode={merge_mode!r}"
            )
        super().__init__(weights=weights, **kwargs)
        base = layer.name[len("forward_"):] if layer.name.startswith("forward_") else layer.name
        self.forward_layer = _copy_layer(layer, f"forward_{base}")
        if backward_layer is None:
            self.backward_layer = _copy_layer(layer, f"backward_{base}",
                                              go_backwards=not layer.go_backwards)
        else:
            self.backward_layer = backward_layer
        self._verify_layer_config()
        for sub in (self.forward_layer, self.backward_layer):
            if hasattr(sub, "zero_output_for_mask"):
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True

    def _verify_layer_config(self):
        fwd, bwd = self.forward_layer, self.backward_layer
        if fwd.go_backwards == bwd.go_backwards:
            raise ValueError(
                "Forward layer and backward layer should have different `go_backwards` value. "
                f"Received: forward_layer.go_backwards={fwd.go_backwards}, "
                f"backward_layer.go_backwards={bwd.go_backwards}"
            )
        for attr in ("stateful", "return_sequences", "return_state"):
            if getattr(fwd, attr) != getattr(bwd, attr):
                raise ValueError(
                    f"Forward layer and backward layer are expected to have the same value for "
                    f"attribute {attr!r}. Received: {getattr(fwd, attr)} for forward layer and "
                    f"{getattr(bwd, attr)} for backward layer"
                )

    def build(self, sequences_shape, initial_state_shape=None):
        for sub in (self.forward_layer, self.backward_layer):
            if not sub.built:
                sub._build_device = self._build_device
                sub.build(sequences_shape)
                sub.built = True
        self.built = True

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs = {"training": training}
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        fwd_state = bwd_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            fwd_state, bwd_state = list(initial_state[:half]), list(initial_state[half:])
        y = self.forward_layer(sequences, initial_state=fwd_state, mask=mask, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=bwd_state, mask=mask, **kwargs)
        states = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev.flip(1)
        output = _MERGES[self.merge_mode](y, y_rev)
        if self.return_state:
            return (output if isinstance(output, list) else [output]) + states
        return output

    def reset_states(self, states=None):
        if not self.stateful:
            raise AttributeError("Layer must be stateful to reset its states.")
        if states is None:
            self.forward_layer.reset_states()
            self.backward_layer.reset_states()
            return
        half = len(states) // 2
        self.forward_layer.reset_states(states[:half])
        self.backward_layer.reset_states(states[half:])

    reset_state = reset_states

    @property
    def states(self):
        fwd, bwd = self.forward_layer.states, self.backward_layer.states
        return None if fwd is None else list(fwd) + list(bwd)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shapes = []
        if self.return_state:
            shape, state_shapes = shape[0], list(shape[1:]) * 2
        shape = tuple(shape)
        if self.merge_mode == "concat":
            shape = shape[:-1] + (shape[-1] * 2,)
            out = [shape]
        elif self.merge_mode is None:
            out = [shape, shape]
        else:
            out = [shape]
        if self.return_state:
            return out + state_shapes
        return out[0] if len(out) == 1 else out

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        out = mask if self.return_sequences else None
        outs = [out, out] if self.merge_mode is None else [out]
        if self.return_state:
            n = len(self.forward_layer.state_size) * 2
            return outs + [None] * n
        return outs[0] if len(outs) == 1 else outs

    def get_config(self):
        from kerasish import layers

        config = super().get_config()
        config["merge_mode"] = self.merge_mode
        config["layer"] = layers.serialize(self.forward_layer)
        config["backward_layer"] = layers.serialize(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasish import layers

        config = dict(config)
        config["layer"] = layers.deserialize(config["layer"], custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = layers.deserialize(config["backward_layer"], custom_objects)
        return cls(**config)
