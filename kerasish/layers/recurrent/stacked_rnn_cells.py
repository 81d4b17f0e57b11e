"""`StackedRNNCells`: several cells run as one, each cell's output feeding the next."""

from kerasish.layers.layer import Layer


def _sizes(cell):
    s = cell.state_size
    return [s] if isinstance(s, int) else list(s)


class StackedRNNCells(Layer):
    """Wraps a list of cells so an `RNN` runs them as one deep cell.

    The states are the cells' states, concatenated in order (a flat list: `[h1, c1, h2, c2]` for two
    LSTM cells).

    Args:
        cells: list of cell instances.

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    cells = [layers.LSTMCell(8), layers.LSTMCell(4)]
    out = layers.RNN(layers.StackedRNNCells(cells))(np.random.random((2, 5, 3)).astype("float32"))
    ```
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        cells = list(cells)
        for cell in cells:
            if not callable(getattr(cell, "call", None)) or getattr(cell, "state_size", None) is None:
                raise ValueError(
                    "All cells must have a `call` method and a `state_size` attribute. "
                    f"Received: cells={cells!r}"
                )
        self.cells = cells

    @property
    def state_size(self):
        return [s for cell in self.cells for s in _sizes(cell)]

    @property
    def output_size(self):
        last = self.cells[-1]
        size = getattr(last, "output_size", None)
        return size if size is not None else _sizes(last)[0]

    def get_initial_state(self, batch_size=None, device=None, dtype=None):
        import torch

        return [torch.zeros((batch_size, s), device=device, dtype=dtype) for s in self.state_size]

    def build(self, input_shape):
        shape = tuple(input_shape)
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell._build_device = self._build_device
                cell.build(shape)
                cell.built = True
            size = getattr(cell, "output_size", None) or _sizes(cell)[0]
            shape = shape[:-1] + (size,)
        self.built = True

    def call(self, inputs, states, training=False):
        new_states, i = [], 0
        for cell in self.cells:
            n = len(_sizes(cell))
            kwargs = {"training": training} if getattr(cell, "_call_has_training_arg", False) else {}
            step = cell.call if getattr(cell, "_fast_step", False) else cell
            inputs, cell_states = step(inputs, list(states[i:i + n]), **kwargs)
            new_states.extend(cell_states if isinstance(cell_states, (list, tuple)) else [cell_states])
            i += n
        return inputs, new_states

    def get_config(self):
        from kerasish import layers

        config = super().get_config()
        config["cells"] = [layers.serialize(c) for c in self.cells]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasish import layers

        config = dict(config)
        cells = [layers.deserialize(c, custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)
