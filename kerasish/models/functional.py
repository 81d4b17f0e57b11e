"""The functional API: layers called on `KerasTensor`s record a graph; `Functional` replays it.

Layers (`kerasish.layers.layer_symbolic`) and ops (`kerasish.ops.op_nodes`) called on KerasTensors
record `Node`s; both are `Operation`s. `Model(inputs, outputs)` then maps the graph once (Keras's topological order, which fixes `model.layers` and so the weight order) and
turns it into a flat execution plan of (layer, argument filler, output slots) steps.
"""

import numpy as np
import torch
from torch import nn

from kerasish.backend import dtypes
from kerasish.backend.keras_tensor import KerasTensor
from kerasish.layers import inference_plan
from kerasish.layers.layer import Layer
from kerasish.layers.preprocessing.data_layer import output_device
from kerasish.models.model import Model
from kerasish.ops import graph as graph_utils
from kerasish.trainers.trainer_utils import float32_outputs


# Layer calls on KerasTensors are on the layers floor now; re-exported for older imports.
from kerasish.layers.layer_symbolic import _Spec, _spec_to_tensor, symbolic_call  # noqa: E402,F401


# ---------------------------------------------------------------------- the model
class Functional(Model):
    """A model defined by a graph of layers from `inputs` to `outputs`.

    Args:
        inputs: a KerasTensor from `Input`, or a list or dict of them.
        outputs: KerasTensors computed from `inputs` (a single one, a list or a dict).
        name: the model's name.
        trainable: whether the model's weights are trained.

    Example:

    ```python
    a = kerasish.Input((8,), name="a")
    b = kerasish.Input((8,), name="b")
    shared = kerasish.layers.Dense(4)
    merged = kerasish.layers.concatenate([shared(a), shared(b)])
    model = kerasish.Model([a, b], kerasish.layers.Dense(1)(merged))
    ```
    """

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Model.__init__(self, name=name, trainable=trainable, **kwargs)
        for what, struct in (("inputs", inputs), ("outputs", outputs)):
            for x in graph_utils.flatten(struct, sort_dicts=True):
                if not isinstance(x, KerasTensor):
                    raise ValueError(
                        f"All `{what}` values must be KerasTensors (from `Input` or a layer "
                        f"called on them). Received: {what}={struct!r} including {x!r} of type "
                        f"{type(x).__name__}"
                    )
        if isinstance(inputs, (list, tuple)) and len(inputs) == 1 and not isinstance(inputs, dict):
            inputs = list(inputs)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._inputs = graph_utils.flatten(inputs, sort_dicts=True)
        self._outputs = graph_utils.flatten(outputs, sort_dicts=True)
        self._symbolic_losses = []
        self._symbolic_metrics = []
        self._map_graph()
        self._register_layers()
        self._build_plan()
        self.built = True

    # ------------------------------------------------------------------ graph
    def _map_graph(self):
        nodes, ordered = graph_utils.map_graph(self._inputs, self._outputs)
        self._nodes = nodes
        # Not through Layer.__setattr__: a list of layers there would be registered a second time.
        self.__dict__["_operations"] = ordered
        self._own_nodes = {id(n) for n in nodes}

    def _add_symbolic_loss(self, loss):
        """`model.add_loss(symbolic_tensor)`: the loss becomes an extra output of the graph."""
        self._symbolic_losses.append(loss)
        self._build_plan()

    def _add_symbolic_metric(self, value, name):
        """`model.add_metric(symbolic_tensor, name=...)` (Keras 2): tracked like a symbolic loss."""
        self._symbolic_metrics.append((name, value))
        self._build_plan()

    def _register_layers(self):
        for layer in self._operations:
            if not isinstance(layer, nn.Module):  # ops hold no weights
                continue
            key = layer.name.replace(".", "_")
            if key in self._modules and self._modules[key] is layer:
                continue
            while key in self._modules or (key in dir(self) and key not in self._modules):
                key = f"{key}_layer"
            self.add_module(key, layer)

    def _build_plan(self):
        """Turns the graph into a flat list of steps over a list of value slots."""
        outputs = self._outputs + list(self._symbolic_losses) + [t for _, t in self._symbolic_metrics]
        nodes, _ = graph_utils.map_graph(self._inputs, outputs)
        known = {id(m) for m in self.modules()}
        for node in nodes:
            # Layers used only by a symbolic loss (Keras 2 VAEs) join the model, so their
            # weights are trained and they move with it.
            if id(node) not in self._own_nodes and id(node.layer) not in known \
                    and isinstance(node.layer, nn.Module):
                known.add(id(node.layer))
                self.add_module(f"_loss_{node.layer.name}".replace(".", "_"), node.layer)
        self._plan, slot_of, self._n_slots = graph_utils.make_plan(self._inputs, nodes)
        self._input_slots = [slot_of[id(t)] for t in self._inputs]
        self._output_getter = graph_utils.make_getter(self._outputs_struct, slot_of)
        self._loss_slots = [slot_of[id(t)] for t in self._symbolic_losses]
        self._metric_slots = [(name, slot_of[id(t)]) for name, t in self._symbolic_metrics]
        # None for a string input: its values stay numpy arrays of str (preprocessing layers).
        self._input_dtypes = [None if t.dtype == "string" else dtypes.to_torch_dtype(t.dtype)
                              for t in self._inputs]
        self._input_ranks = [len(t.shape) for t in self._inputs]

    # ------------------------------------------------------------------ calling
    def call(self, inputs, training=None, mask=None):
        if None in self._input_dtypes:  # string inputs: host-made tensors go to the model's device
            with output_device(self._model_device()):
                return self._call(inputs, training, mask)
        return self._call(inputs, training, mask)

    def _call(self, inputs, training=None, mask=None):
        flat = self._standardize_inputs(inputs)
        if mask is not None:
            for x, m in zip(flat, graph_utils.flatten(mask)):
                if m is not None:
                    x._keras_mask = m
        values = graph_utils.run_plan(self._plan, self._n_slots, self._input_slots, flat)
        for slot in self._loss_slots:
            self.add_loss(values[slot])
        for name, slot in self._metric_slots:
            self.add_metric(values[slot], name=name)
        return self._output_getter(values)

    def _eager_predict_forward(self, x):
        # predict / evaluate: the layers' own calls, without per-layer bookkeeping that would do
        # nothing here (kerasish.layers.inference_plan); a subclass keeps the ordinary path.
        if (None not in self._input_dtypes and not self._loss_slots and not self._metric_slots
                and inference_plan.model_applies(self, Functional)):
            flat = self._standardize_inputs(x)
            if all(inference_plan.plain_tensor(t) for t in flat):
                values = inference_plan.run_graph(self._plan, self._n_slots, self._input_slots, flat)
                return float32_outputs(self._output_getter(values))
        return super()._eager_predict_forward(x)

    def _standardize_inputs(self, inputs):
        n = len(self._inputs)
        if isinstance(inputs, dict):
            flat = self._inputs_from_dict(inputs)
        elif isinstance(inputs, (list, tuple)):
            flat = list(inputs)
        else:
            flat = [inputs]
        if len(flat) != n:
            raise ValueError(
                f'Model "{self.name}" expects {n} input(s), but it received {len(flat)} input '
                f"tensors. Expected inputs: {self.input_names}. Received: inputs of length {len(flat)}"
            )
        for i, x in enumerate(flat):
            if self._input_dtypes[i] is None:
                flat[i] = self._string_input(i, x)
                continue
            if not isinstance(x, torch.Tensor):
                from kerasish.trainers.data_adapters import to_tensor

                x = to_tensor(x, self._model_device())
            if x.dtype != self._input_dtypes[i] and (x.is_floating_point() or
                                                     self._input_dtypes[i].is_floating_point):
                x = x.to(self._input_dtypes[i])
            if x.ndim != self._input_ranks[i]:
                x = self._adjust_rank(i, x)
            flat[i] = x
        return flat

    def _string_input(self, i, x):
        x = np.asarray(x, dtype=object) if isinstance(x, (list, tuple)) else np.asarray(x)
        if x.dtype.kind not in "USaO":
            raise TypeError(f"Input {self._inputs[i].name!r} of model {self.name!r} is a string "
                            f"input. Received: an array of dtype {x.dtype}")
        ref = self._inputs[i].shape
        if x.ndim == len(ref) + 1 and x.shape[-1] == 1:
            return x.squeeze(-1)
        if x.ndim == len(ref) - 1 and ref[-1] == 1:
            return x[..., None]
        return x

    def _inputs_from_dict(self, inputs):
        keys = (sorted(self._inputs_struct) if isinstance(self._inputs_struct, dict)
                else [t.name for t in self._inputs])
        missing = [k for k in keys if k not in inputs]
        if missing:
            raise ValueError(
                f'Model "{self.name}" expects inputs named {keys}; missing {missing}. '
                f"Received: inputs with keys {sorted(inputs)}"
            )
        return [inputs[k] for k in keys]

    def _adjust_rank(self, i, x):
        ref = self._inputs[i].shape
        if x.ndim == len(ref) + 1 and x.shape[-1] == 1:
            return x.squeeze(-1)
        if x.ndim == len(ref) - 1 and ref[-1] == 1:
            return x.unsqueeze(-1)
        raise ValueError(
            f"Invalid input shape for input {self._inputs[i].name!r}: expected shape {ref}, but the "
            f"input has incompatible shape {tuple(x.shape)}. Received: input of shape {tuple(x.shape)}"
        )

    def compute_output_shape(self, input_shape):
        return graph_utils.map_leaves(lambda t: t.shape, self._outputs_struct)

    def build(self, input_shape=None):
        self.built = True

    # ------------------------------------------------------------------ structure
    @property
    def layers(self):
        """Every layer of the graph (InputLayers included), inputs first, in Keras's order."""
        return [op for op in self._operations
                if isinstance(op, Layer) and not getattr(op, "_is_tensor_op", False)]

    @property
    def operations(self):
        return list(self._operations)

    @property
    def inputs(self):
        return list(self._inputs)

    @property
    def outputs(self):
        return list(self._outputs)

    @property
    def input(self):
        return graph_utils.unpack_singleton(self._inputs_struct)

    @property
    def output(self):
        return graph_utils.unpack_singleton(self._outputs_struct)

    @property
    def input_shape(self):
        return graph_utils.unpack_singleton(graph_utils.map_leaves(lambda t: t.shape, self._inputs_struct))

    @property
    def output_shape(self):
        return graph_utils.unpack_singleton(graph_utils.map_leaves(lambda t: t.shape, self._outputs_struct))

    @property
    def input_names(self):
        if isinstance(self._inputs_struct, dict):
            return sorted(self._inputs_struct)
        return [t.name for t in self._inputs]

    @property
    def output_names(self):
        if isinstance(self._outputs_struct, dict):
            return sorted(self._outputs_struct)
        return [t._keras_history[0].name for t in self._outputs]

    # ------------------------------------------------------------------ summary and config
    def _summary_rows(self):
        from kerasish.utils.summary_utils import _count, _format_shape

        rows = []
        for layer in self._operations:
            nodes = [n for n in layer._inbound_nodes if id(n) in self._own_nodes]
            shapes = [t.shape for t in nodes[0].output_tensors] if nodes else []
            shape = shapes[0] if len(shapes) == 1 else shapes
            conn = [self._tensor_ref(t) for n in nodes for t in n.input_tensors] or ["-"]
            type_name = getattr(layer, "_summary_type", None) or (
                "Functional" if isinstance(layer, Functional) else type(layer).__name__)
            rows.append((f"{layer.name} ({type_name})", _format_shape(shape), _count(layer.weights),
                         [c + "," for c in conn[:-1]] + conn[-1:]))
        return rows

    def _tensor_ref(self, t):
        layer, node_index, tensor_index = t._keras_history
        kept = self._model_node_index(layer, node_index, offset=False)
        return f"{layer.name}[{kept}][{tensor_index}]"

    def _model_node_index(self, layer, node_index, offset=True):
        """A node's index among the layer's nodes that belong to this model (Keras's numbering:
        in configs, a nested functional model's first call is node 1)."""
        offset = 1 if offset and isinstance(layer, Functional) else 0
        kept = sum(1 for n in layer._inbound_nodes[:node_index] if id(n) in self._own_nodes)
        return offset + kept

    def get_config(self):
        from kerasish.models import functional_config

        if not functional_config.functional_like_constructor(type(self)):
            # A subclass with its own constructor (`super().__init__(inputs, outputs)` inside):
            # as in Keras, its config is its constructor's, not the graph.
            return Model.get_config(self)
        return functional_config.get_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return Model.from_config.__func__(cls, config, custom_objects)
