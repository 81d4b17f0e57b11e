"""`plot_model` / `model_to_dot`: a picture of a model's layer graph (needs `pydot` and graphviz)."""

import os


def _pydot():
    try:
        import pydot
    except ImportError as e:
        raise ImportError(
            "You must install pydot (`pip install pydot`) and graphviz "
            "(https://graphviz.gitlab.io/download/) for `plot_model` to work."
        ) from e
    return pydot


def _shapes(tensors):
    shapes = [tuple(t.shape) for t in tensors]
    return shapes[0] if len(shapes) == 1 else shapes


def _io(model, layer):
    """The layer's input and output shapes in `model` (None where they are not known)."""
    own = getattr(model, "_own_nodes", None)
    nodes = [n for n in getattr(layer, "_inbound_nodes", []) if own is None or id(n) in own]
    if nodes:
        node = nodes[0]
        inputs = _shapes(node.input_tensors) if node.input_tensors else _shapes(node.output_tensors)
        return inputs, _shapes(node.output_tensors)
    return None, None


def _label(model, layer, opts):
    type_name = getattr(layer, "_summary_type", None) or type(layer).__name__
    lines = [f"{layer.name} ({type_name})" if opts["show_layer_names"] else type_name]
    activation = getattr(layer, "activation", None)
    if opts["show_layer_activations"] and callable(activation):
        lines.append(f"activation: {getattr(activation, '__name__', type(activation).__name__)}")
    if opts["show_shapes"]:
        inputs, outputs = _io(model, layer)
        lines += [f"input: {'?' if inputs is None else inputs}", f"output: {'?' if outputs is None else outputs}"]
    if opts["show_dtype"]:
        lines.append(f"dtype: {getattr(layer, 'dtype', None)}")
    if opts["show_trainable"]:
        lines.append(f"trainable: {layer.trainable}")
    return "\\n".join(lines)


def _graph(model):
    """`(layers, edges)` of any model kind: a Functional graph's nodes, or a chain of layers."""
    if hasattr(model, "_own_nodes"):
        edges = [(t._keras_history[0], node.layer) for node in model._nodes for t in node.input_tensors]
        return list(model._operations), edges
    chain = list(model.layers)
    return chain, list(zip(chain, chain[1:]))


def _add(pydot, graph, model, opts, prefix):
    """Adds `model`'s boxes to `graph`; returns `{layer: (entry id, exit id)}`."""
    ends = {}
    ops, edges = _graph(model)
    for layer in ops:
        key = f"{prefix}{id(layer)}"
        if opts["expand_nested"] and hasattr(layer, "layers") and layer is not model:
            cluster = pydot.Cluster(key, label=f"{layer.name} ({type(layer).__name__})", style="dashed")
            inner = _add(pydot, cluster, layer, opts, key + "_")
            graph.add_subgraph(cluster)
            first, last = list(inner.values())[0], list(inner.values())[-1]
            ends[layer] = (first[0], last[1])
        else:
            graph.add_node(pydot.Node(key, label=_label(model, layer, opts)))
            ends[layer] = (key, key)
    for source, target in edges:
        if source in ends and target in ends:
            graph.add_edge(pydot.Edge(ends[source][1], ends[target][0]))
    return ends


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True, rankdir="TB",
                 expand_nested=False, dpi=200, subgraph=False, show_layer_activations=False,
                 show_trainable=False, **kwargs):
    """Converts a model (Sequential, Functional, nested or subclassed) to a `pydot.Dot` graph.

    Args:
        model: a kerasish model.
        show_shapes: show each layer's input and output shapes.
        show_dtype: show each layer's dtype.
        show_layer_names: show layer names (else only the class names).
        rankdir: `"TB"` (vertical), `"LR"` (horizontal), `"BT"` or `"RL"`.
        expand_nested: draw the layers of nested models inside a dashed box.
        dpi: image resolution in dots per inch.
        subgraph: return a `pydot.Cluster` instead of a `pydot.Dot`.
        show_layer_activations: show the activation of layers that have one.
        show_trainable: show whether each layer is trainable.

    Example:

    ```python
    dot = keras.utils.model_to_dot(model, show_shapes=True)
    ```
    """
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"`rankdir` must be one of 'TB', 'LR', 'BT', 'RL'. Received: rankdir={rankdir!r}")
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments for `model_to_dot`. Received: kwargs={kwargs}")
    pydot = _pydot()
    if subgraph:
        dot = pydot.Cluster(str(id(model)), label=model.name, style="dashed")
    else:
        dot = pydot.Dot(graph_type="digraph", rankdir=rankdir, dpi=dpi)
    dot.set_node_defaults(shape="record")
    opts = dict(show_shapes=show_shapes, show_dtype=show_dtype, show_layer_names=show_layer_names,
                expand_nested=expand_nested, show_layer_activations=show_layer_activations,
                show_trainable=show_trainable)
    _add(pydot, dot, model, opts, "")
    return dot


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False, show_layer_names=True,
               rankdir="TB", expand_nested=False, dpi=200, show_layer_activations=False,
               show_trainable=False, **kwargs):
    """Writes a picture of the model's graph to `to_file` (format from the extension).

    Args:
        model: a kerasish model.
        to_file: output path (`.png`, `.svg`, `.pdf`, `.dot`).
        show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable: what
            each box shows (see `model_to_dot`).
        rankdir: `"TB"` (top to bottom), `"LR"`, `"BT"` or `"RL"`.
        expand_nested: draw the layers of nested models inside a dashed box.
        dpi: image resolution in dots per inch.

    Raises:
        ImportError: when pydot or graphviz is not installed, saying how to install them.

    Example:

    ```python
    kerasish.utils.plot_model(model, to_file="model.png", show_shapes=True)
    ```
    """
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                       show_layer_names=show_layer_names, rankdir=rankdir, expand_nested=expand_nested,
                       dpi=dpi, show_layer_activations=show_layer_activations,
                       show_trainable=show_trainable, **kwargs)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    if extension == "dot":
        dot.write_raw(to_file)
        return dot
    try:
        dot.write(to_file, format=extension)
    except (OSError, FileNotFoundError) as e:
        raise ImportError(
            "pydot is installed but the graphviz programs were not found. Install graphviz "
            "(https://graphviz.gitlab.io/download/) to write images, or save as `.dot`."
        ) from e
    return dot
