"""A functional model's config in Keras's format, and the model rebuilt from one.

Layout (Keras 3): `{"name", "trainable", "layers": [layer config + "name" + "inbound_nodes"],
"input_layers", "output_layers"}`. Each inbound node is `{"args": [...], "kwargs": {...}}` where a
tensor is `{"class_name": "__keras_tensor__", "config": {"shape", "dtype", "keras_history":
[layer name, node index, tensor index]}}`. Keras 2's node lists (`[[name, node, tensor, kwargs]]`)
are read too.
"""

import inspect

import numpy as np
import torch

from kerasish.backend import dtypes
from kerasish.backend.keras_tensor import KerasTensor
from kerasish.ops import graph as graph_utils
from kerasish.ops.op_nodes import KERAS_OPS_MODULE, KerasOp, keras_op_family, keras_op_from_config


# ---------------------------------------------------------------------- writing
def _encode_value(model, x, tuples_as_lists=False):
    if isinstance(x, KerasTensor):
        layer, node_index, tensor_index = x._keras_history
        ref = [layer.name, model._model_node_index(layer, node_index), tensor_index]
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(x.shape), "dtype": x.dtype, "keras_history": ref}}
    if isinstance(x, slice):
        return {"class_name": "__slice__", "config": {"start": x.start, "stop": x.stop, "step": x.step}}
    if x is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(x, np.ndarray):
        return {"class_name": "__numpy__", "config": {"value": x.tolist(), "dtype": str(x.dtype)}}
    if isinstance(x, torch.Tensor):
        return {"class_name": "__tensor__", "config": {"value": _tensor_list(x),
                                                        "dtype": dtypes.dtype_name(x.dtype)}}
    if isinstance(x, tuple) and not tuples_as_lists:
        return {"class_name": "__tuple__", "config": {"value": [_encode_value(model, v) for v in x]}}
    if isinstance(x, (list, tuple)):
        return [_encode_value(model, v, tuples_as_lists) for v in x]
    if isinstance(x, dict):
        return {k: _encode_value(model, v, tuples_as_lists) for k, v in x.items()}
    return x


def _tensor_list(x):
    x = x.detach().cpu()
    return (x.float() if x.dtype == torch.bfloat16 else x).numpy().tolist()


def _serialize_layer(layer):
    from kerasish import layers as layers_module

    if isinstance(layer, KerasOp):  # written as Keras writes its op classes
        return {"module": KERAS_OPS_MODULE + layer.keras_family, "class_name": type(layer).__name__,
                "config": layer.get_config(), "registered_name": type(layer).__name__}
    if not hasattr(layer, "_parameters"):  # any other Operation (a FunctionOp raises here)
        return {"module": type(layer).__module__, "class_name": type(layer).__name__,
                "config": layer.get_config(), "registered_name": type(layer).__name__}
    return layers_module.serialize(layer)


def functional_like_constructor(cls):
    """Whether `cls(inputs=..., outputs=..., name=...)` rebuilds the model (Keras's test): its
    constructor takes Functional's arguments, or `*args, **kwargs`."""
    from kerasish.models.functional import Functional
    from kerasish.models.model import Model

    if cls in (Model, Functional) or cls.__init__ in (Model.__init__, Functional.__init__):
        return True
    spec = inspect.getfullargspec(cls.__init__)
    if spec.args[1:] in (["inputs", "outputs", "name"], ["inputs", "outputs", "name", "trainable"]):
        return True
    return spec.varargs is not None and spec.varkw is not None


def get_config(model):
    layer_configs = []
    for layer in model._operations:
        nodes = [n for n in layer._inbound_nodes if id(n) in model._own_nodes and not n.is_input]
        config = dict(_serialize_layer(layer))
        config["name"] = layer.name
        # Op nodes are written exactly as Keras writes them (tuples are JSON lists there).
        plain = isinstance(layer, KerasOp)
        config["inbound_nodes"] = [
            {"args": _encode_value(model, list(n.call_args), plain),
             "kwargs": _encode_value(model, n.call_kwargs, plain)}
            for n in nodes
        ]
        layer_configs.append(config)

    def ref(t):
        layer, node_index, tensor_index = t._keras_history
        return [layer.name, model._model_node_index(layer, node_index), tensor_index]

    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layer_configs,
        "input_layers": graph_utils.map_leaves(ref, _listify(model._inputs_struct)),
        "output_layers": graph_utils.map_leaves(ref, _listify(model._outputs_struct)),
    }


def _listify(struct):
    return list(struct) if isinstance(struct, tuple) else struct


# ---------------------------------------------------------------------- reading
class _NotReady(Exception):
    """A node refers to a layer call that has not been recreated yet."""


def _node_offset(layer):
    from kerasish.models.functional import Functional

    return 1 if isinstance(layer, Functional) else 0


def _tensor(created, name, node_index, tensor_index):
    if name not in created:
        raise ValueError(f"Invalid functional config: unknown layer {name!r}. Received: reference to {name!r}")
    layer = created[name]
    index = node_index - _node_offset(layer)
    if index < 0 or index >= len(layer._inbound_nodes):
        raise _NotReady(name)
    return layer._inbound_nodes[index].output_tensors[tensor_index]


def _decode_value(created, x):
    if isinstance(x, list):
        return [_decode_value(created, v) for v in x]
    if not isinstance(x, dict):
        return x
    kind = x.get("class_name")
    cfg = x.get("config", {})
    if kind == "__keras_tensor__":
        return _tensor(created, *cfg["keras_history"])
    if kind == "__slice__":
        return slice(cfg.get("start"), cfg.get("stop"), cfg.get("step"))
    if kind == "__ellipsis__":
        return Ellipsis
    if kind == "__numpy__":
        return np.asarray(cfg["value"], dtype=cfg.get("dtype"))
    if kind == "__tensor__":
        return torch.tensor(cfg["value"], dtype=dtypes.to_torch_dtype(cfg.get("dtype", "float32")))
    if kind == "__tuple__":
        return tuple(_decode_value(created, v) for v in cfg["value"])
    return {k: _decode_value(created, v) for k, v in x.items()}


def _decode_node(created, node_data):
    if isinstance(node_data, list):  # Keras 2: [[layer name, node index, tensor index, kwargs], ...]
        tensors = [_tensor(created, *entry[:3]) for entry in node_data]
        kwargs = dict(node_data[0][3]) if node_data and len(node_data[0]) > 3 and node_data[0][3] else {}
        return [graph_utils.unpack_singleton(tensors)], kwargs
    return _decode_value(created, node_data.get("args", [])), _decode_value(created, node_data.get("kwargs", {}))


def _is_legacy_op_entry(class_name, config, custom_objects):
    """Whether a module-less entry (Keras's legacy `.h5` config) is one of Keras's op nodes, such
    as the `NotEqual` that computes `Embedding(mask_zero=True)`'s mask in a functional model.

    A layer's config always holds `trainable`, an op's never does; this also tells the ops from the
    layers of the same class name (`Add`, `Concatenate`, `Reshape`, ...).
    """
    if "trainable" in config or class_name in (custom_objects or {}):
        return False
    return keras_op_family(class_name) is not None


def _deserialize_layer(layer_data, custom_objects):
    from kerasish import layers as layers_module
    from kerasish.models.functional import Functional
    from kerasish.models.sequential import Sequential

    class_name = layer_data.get("class_name")
    config = layer_data.get("config", {})
    if class_name in ("Functional", "Model"):
        return Functional.from_config(config, custom_objects)
    if class_name == "Sequential":
        return Sequential.from_config(config, custom_objects=custom_objects)
    module = str(layer_data.get("module") or "")
    if module.startswith(KERAS_OPS_MODULE):
        return keras_op_from_config(module[len(KERAS_OPS_MODULE):], class_name, config)
    if not module and _is_legacy_op_entry(class_name, config, custom_objects):
        return keras_op_from_config(keras_op_family(class_name), class_name, config)
    return layers_module.deserialize(layer_data, custom_objects=custom_objects)


def _process_nodes(pending, created):
    """Calls each layer on its recreated inputs, retrying nodes whose inputs do not exist yet."""
    while pending:
        progressed = False
        for entry in pending:
            layer, nodes = entry
            while nodes:
                try:
                    args, kwargs = _decode_node(created, nodes[0])
                except _NotReady:
                    break
                layer(*args, **kwargs)
                nodes.pop(0)
                progressed = True
        pending = [e for e in pending if e[1]]
        if pending and not progressed:
            raise ValueError(
                "Invalid functional config: the graph has loops or disconnected nodes. Unresolved "
                f"layers: {[e[0].name for e in pending]}"
            )


def _map_refs(created, refs):
    if isinstance(refs, list) and len(refs) == 3 and isinstance(refs[0], str):
        return _tensor(created, *refs)
    if isinstance(refs, dict):
        return {k: _map_refs(created, v) for k, v in refs.items()}
    return [_map_refs(created, r) for r in refs]


def from_config(cls, config, custom_objects=None):
    """Rebuilds the model: creates every layer, then replays the recorded calls."""
    created, pending = {}, []
    for layer_data in config["layers"]:
        layer = _deserialize_layer(layer_data, custom_objects)
        name = layer_data.get("name") or layer.name
        created[name] = layer
        pending.append([layer, list(layer_data.get("inbound_nodes") or [])])
    _process_nodes(pending, created)
    try:
        inputs = _map_refs(created, config["input_layers"])
        outputs = _map_refs(created, config["output_layers"])
    except _NotReady as e:
        raise ValueError(f"Invalid functional config: missing node of layer {e}.") from None
    kwargs = {}
    if "trainable" in config and config["trainable"] is not None:
        kwargs["trainable"] = config["trainable"]
    return cls(inputs=inputs, outputs=outputs, name=config.get("name"), **kwargs)
