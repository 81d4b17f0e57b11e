"""`model.summary()` in Keras 3's layout: a box-drawn table (rich, as Keras 3 draws it), `Connected
to` only for graphs that are not a chain, thousands separators, optimizer parameters once built."""

import shutil


def _memory(weights):
    nbytes = sum(w.numel() * w.element_size() for w in weights)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if nbytes / 1024 < 1:
            return f"{nbytes:.2f} {unit}"
        nbytes /= 1024
    return f"{nbytes:.2f} PB"


def _count(weights):
    return int(sum(w.numel() for w in weights))


def _shape_text(tensors):
    shapes = [f"({', '.join(str(d) for d in t.shape)})" for t in tensors]
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def _output_shape(layer, parent):
    if layer._inbound_nodes:
        return _shape_text(layer._inbound_nodes[-1].output_tensors)
    known = getattr(parent, "_output_shapes", None)  # a built Sequential keeps its layers' shapes
    if known and layer in parent.layers and parent.layers.index(layer) < len(known):
        shape = known[parent.layers.index(layer)]
        return f"({', '.join(str(d) for d in shape)})"
    try:
        shape = layer.output_shape
    except (AttributeError, ValueError, NotImplementedError):
        return "?"
    return f"({', '.join(str(d) for d in shape)})" if shape is not None else "?"


def _is_chain(model):
    """Keras 3's "sequential-like" test: each graph step has one node with at most one input."""
    if not hasattr(model, "_own_nodes"):
        return True
    consumed = set()
    for node in model._nodes:
        if len(node.input_tensors) > 1:
            return False
        for t in node.input_tensors:
            if id(t) in consumed:
                return False
            consumed.add(id(t))
    return all(sum(1 for n in op._inbound_nodes if id(n) in model._own_nodes) <= 1 for op in model._operations)


def _connections(model, layer):
    refs = [model._tensor_ref(t) for n in layer._inbound_nodes if id(n) in model._own_nodes
            for t in n.input_tensors]
    return ", ".join(refs) or "-"


def _fields(model, parent, layer, prefix, chain, show_trainable):
    type_name = getattr(layer, "_summary_type", None) or type(layer).__name__
    if not getattr(layer, "built", True):
        params = "0 (unbuilt)"
    else:
        params = f"{_count(getattr(layer, 'weights', [])):,}"
    fields = [f"{prefix}{layer.name} ({type_name})", _output_shape(layer, parent), params]
    if not chain:
        fields.append(_connections(model, layer))
    if show_trainable:
        fields.append(("Y" if layer.trainable else "N") if getattr(layer, "weights", None) else "-")
    return fields


def _rows(model, parent, layer, level, chain, expand_nested, show_trainable):
    prefix = "   " * level + "└ " if level else ""
    rows = [_fields(model, parent, layer, prefix, chain, show_trainable)]
    if expand_nested and getattr(layer, "layers", None):
        for inner in layer.layers:
            rows += _rows(model, layer, inner, level + 1, chain, expand_nested, show_trainable)
    return rows


def render(model, line_length=None, positions=None, expand_nested=False, show_trainable=False,
           layer_range=None):
    """The summary's text, as Keras 3 prints it with a `print_fn` (no colours); `layer_range` is
    a pair of layer names or regexes (`summary_utils.layer_index_bounds`)."""
    from kerasish.utils.summary_utils import layer_index_bounds

    import rich.console
    import rich.markup
    import rich.table

    chain = _is_chain(model)
    if chain:
        default, positions = 88, positions or [0.45, 0.80, 1.0]
        header, align = ["Layer (type)", "Output Shape", "Param #"], ["left", "left", "right"]
    else:
        default, positions = 108, positions or [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        align = ["left", "left", "right", "left"]
    if show_trainable:
        default += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header, align = header + ["Trainable"], align + ["center"]
    line_length = line_length or min(default, shutil.get_terminal_size().columns - 4)
    widths, current = [], 0
    for pos in positions:
        width = int(pos * line_length) - current
        if width < 4:
            raise ValueError(f"Insufficient console width to print summary. Received: line_length={line_length}")
        widths.append(width)
        current += width
    columns = [rich.table.Column(name, justify=a, width=w) for name, a, w in zip(header, align, widths)]
    table = rich.table.Table(*columns, width=line_length, show_lines=True)
    ops = model._operations if hasattr(model, "_own_nodes") else model.layers
    first, last = layer_index_bounds(ops, layer_range)
    for layer in ops[first:last]:
        for row in _rows(model, model, layer, 0, chain, expand_nested, show_trainable):
            table.add_row(*[rich.markup.escape(str(f)) for f in row])
    trainable, frozen = model.trainable_weights, model.non_trainable_weights
    optimizer = getattr(model, "optimizer", None)
    opt_vars = list(optimizer.variables) if getattr(model, "compiled", False) and optimizer is not None \
        and getattr(optimizer, "built", False) else []
    console = rich.console.Console(highlight=False, force_terminal=False, color_system=None)
    console.begin_capture()
    console.print(f'Model: "{rich.markup.escape(model.name)}"')
    console.print(table)
    console.print(f" Total params: {_count(trainable) + _count(frozen) + _count(opt_vars):,} "
                  f"({_memory(list(trainable) + list(frozen) + opt_vars)})")
    console.print(f" Trainable params: {_count(trainable):,} ({_memory(trainable)})")
    console.print(f" Non-trainable params: {_count(frozen):,} ({_memory(frozen)})")
    if opt_vars:
        console.print(f" Optimizer params: {_count(opt_vars):,} ({_memory(opt_vars)})")
    return console.end_capture()
