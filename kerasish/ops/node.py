"""`Node`: one call of an operation (an op or a layer) on symbolic tensors, the edge of the
functional graph."""

from kerasish.backend.keras_tensor import KerasTensor


def flatten(structure):
    if isinstance(structure, (list, tuple)):
        out = []
        for s in structure:
            out.extend(flatten(s))
        return out
    if isinstance(structure, dict):
        out = []
        for k in structure:
            out.extend(flatten(structure[k]))
        return out
    return [structure]


class Node:
    """Records `outputs = layer(*call_args, **call_kwargs)` on KerasTensors.

    `layer` is any `Operation` (a Layer is one); `operation` is the same object under Keras 3's name.
    """

    def __init__(self, layer, call_args=(), call_kwargs=None, outputs=None):
        self.layer = layer
        self.call_args = call_args
        self.call_kwargs = call_kwargs or {}
        self.outputs = outputs
        self.input_tensors = [t for t in flatten((call_args, self.call_kwargs)) if isinstance(t, KerasTensor)]
        self.output_tensors = [t for t in flatten(outputs) if isinstance(t, KerasTensor)]
        node_index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, t in enumerate(self.output_tensors):
            t._keras_history = (layer, node_index, i)
        self.parent_nodes = []
        for t in self.input_tensors:
            if t._keras_history is not None:
                parent_layer, parent_index, _ = t._keras_history
                parent = parent_layer._inbound_nodes[parent_index]
                if parent not in self.parent_nodes:
                    self.parent_nodes.append(parent)
                    parent_layer._outbound_nodes.append(self)

    @property
    def operation(self):
        return self.layer

    @property
    def is_input(self):
        return not self.input_tensors
