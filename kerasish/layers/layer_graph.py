"""`LayerGraphMixin`: the functional-graph view of a layer (`input`, `output`, their shapes)."""


class LayerGraphMixin:
    """Properties read from the layer's inbound nodes (set when it is called on KerasTensors)."""

    def _node_attr(self, attr, what):
        if not self._inbound_nodes:
            raise AttributeError(
                f"Layer {self.name!r} has never been called and thus has no defined {what}."
            )
        if len(self._inbound_nodes) > 1:
            raise AttributeError(
                f"Layer {self.name!r} has multiple inbound nodes, hence the notion of \"layer {what}\" "
                f"is ill-defined. Use `get_{what.replace(' ', '_')}_at(node_index)` instead."
            )
        value = getattr(self._inbound_nodes[0], attr)
        return value[0] if isinstance(value, list) and len(value) == 1 else value

    @property
    def input(self):
        return self._node_attr("input_tensors", "input")

    @property
    def output(self):
        return self._node_attr("output_tensors", "output")

    def get_input_at(self, node_index):
        t = self._inbound_nodes[node_index].input_tensors
        return t[0] if len(t) == 1 else t

    def get_output_at(self, node_index):
        t = self._inbound_nodes[node_index].output_tensors
        return t[0] if len(t) == 1 else t

    @property
    def input_shape(self):
        if self._inbound_nodes:
            inp = self.input
            return [t.shape for t in inp] if isinstance(inp, list) else inp.shape
        if self._batch_input_shape is not None:
            return self._batch_input_shape
        raise AttributeError(f"The layer {self.name!r} has never been called and thus has no defined input shape.")

    @property
    def output_shape(self):
        if self._inbound_nodes:
            out = self.output
            return [t.shape for t in out] if isinstance(out, list) else out.shape
        raise AttributeError(f"The layer {self.name!r} has never been called and thus has no defined output shape.")
