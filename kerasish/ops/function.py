"""`Function`: a graph of operations from input KerasTensors to output KerasTensors, callable on
tensors (Keras 3's `keras.Function`; the functional `Model` adds layers, weights and training).
"""

from kerasish.backend.keras_tensor import KerasTensor
from kerasish.ops import graph


class Function:
    """Replays the operations recorded between `inputs` and `outputs`.

    Args:
        inputs: a KerasTensor or a list of them.
        outputs: KerasTensors computed from `inputs` (a single one or a nested structure).
        name: an optional name.

    Example:

    ```python
    x = kerasish.KerasTensor((None, 3))
    fn = kerasish.Function(x, kerasish.ops.sum(x * 2, axis=1))
    fn(torch.ones(2, 3))  # tensor([6., 6.])
    ```
    """

    def __init__(self, inputs, outputs, name=None):
        self.name = name
        self._inputs_struct, self._outputs_struct = inputs, outputs
        self._inputs = graph.flatten(inputs, sort_dicts=True)
        for t in self._inputs + graph.flatten(outputs):
            if not isinstance(t, KerasTensor):
                raise ValueError(
                    f"`inputs` and `outputs` must be KerasTensors. Received: {t!r} of type "
                    f"{type(t).__name__}"
                )
        nodes, self._operations = graph.map_graph(self._inputs, graph.flatten(outputs, sort_dicts=True))
        self._plan, slot_of, self._n_slots = graph.make_plan(self._inputs, nodes)
        self._input_slots = [slot_of[id(t)] for t in self._inputs]
        self._output_getter = graph.make_getter(outputs, slot_of)

    @property
    def operations(self):
        return list(self._operations)

    @property
    def inputs(self):
        return list(self._inputs)

    @property
    def outputs(self):
        return graph.flatten(self._outputs_struct)

    def __call__(self, *inputs):
        flat = graph.flatten(inputs[0] if len(inputs) == 1 else list(inputs), sort_dicts=True)
        if len(flat) != len(self._inputs):
            raise ValueError(
                f"Expected {len(self._inputs)} input(s). Received: {len(flat)} input(s)"
            )
        values = graph.run_plan(self._plan, self._n_slots, self._input_slots, flat)
        return self._output_getter(values)
