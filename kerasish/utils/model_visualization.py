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


def _label(model, layer, show_shapes, show_layer_names, show_dtype):
    type_name = getattr(layer, "_summary_type", None) or type(layer).__name__
    text = f"{layer.name} ({type_name})" if show_layer_names else type_name
    if show_shapes:
        nodes = [n for n in layer._inbound_nodes if id(n) in model._own_nodes]
        if nodes:
            shapes = [t.shape for t in nodes[0].output_tensors]
            text += f"\\noutput: {shapes[0] if len(shapes) == 1 else shapes}"
    if show_dtype:
        text += f"\\ndtype: {layer.dtype}"
    return text


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True, rankdir="TB",
                 dpi=200, **kwargs):
    """A `pydot.Dot` graph of a functional (or Sequential) model: one box per layer, one edge per
    connection."""
    pydot = _pydot()
    dot = pydot.Dot(graph_type="digraph", rankdir=rankdir, dpi=dpi)
    dot.set_node_defaults(shape="record")
    if not hasattr(model, "_own_nodes"):  # Sequential or subclassed: a chain of layers
        previous = None
        for layer in model.layers:
            dot.add_node(pydot.Node(str(id(layer)), label=f"{layer.name} ({type(layer).__name__})"))
            if previous is not None:
                dot.add_edge(pydot.Edge(str(id(previous)), str(id(layer))))
            previous = layer
        return dot
    for layer in model._operations:
        dot.add_node(pydot.Node(str(id(layer)), label=_label(model, layer, show_shapes, show_layer_names,
                                                             show_dtype)))
    for node in model._nodes:
        for t in node.input_tensors:
            dot.add_edge(pydot.Edge(str(id(t._keras_history[0])), str(id(node.layer))))
    return dot


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False, show_layer_names=True,
               rankdir="TB", dpi=200, **kwargs):
    """Writes a picture of the model's graph to `to_file` (format from the extension).

    Args:
        model: a kerasish model.
        to_file: output path (`.png`, `.svg`, `.pdf`, `.dot`).
        show_shapes, show_dtype, show_layer_names: what each box shows.
        rankdir: `"TB"` (top to bottom) or `"LR"`.

    Raises:
        ImportError: when pydot or graphviz is not installed, saying how to install them.

    Example:

    ```python
    kerasish.utils.plot_model(model, to_file="model.png", show_shapes=True)
    ```
    """
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                       show_layer_names=show_layer_names, rankdir=rankdir, dpi=dpi)
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
