"""`model.summary()`: Keras 3's table (`summary_keras3`) or Keras 2's plain-text table.

Keras 3's layout is the default. Keras 2's is used where a Keras 2 script runs: under
`python -m kerasish script.py` and after `kerasish.compat.install()` (both make `import keras` resolve
to kerasish), or when chosen with `set_summary_style("keras2")` / `with summary_style("keras2"):`.
"""

import contextlib
import importlib.util
import re

from kerasish.utils.io_utils import print_msg

_STYLES = ("keras3", "keras2")
_STYLE = ["keras3"]


def set_summary_style(style):
    """Chooses the layout of `summary()`: `"keras3"` (default) or `"keras2"`."""
    if style not in _STYLES:
        raise ValueError(f"`style` must be one of {_STYLES}. Received: style={style!r}")
    _STYLE[0] = style


def get_summary_style():
    return _STYLE[0]


@contextlib.contextmanager
def summary_style(style):
    """`with summary_style("keras2"):` prints summaries in that layout inside the block."""
    previous = _STYLE[0]
    set_summary_style(style)
    try:
        yield
    finally:
        _STYLE[0] = previous


def layer_index_bounds(layers, layer_range=None):
    """`[first, last + 1]`: the slice of `layers` that `summary(layer_range=...)` prints.

    `layer_range` is a pair of layer names or regexes (`re.match`): the range runs from the first
    layer matching the first to the last layer matching the second, both included (Keras 3's
    rule, swapped when the first match comes after the last). `None` is every layer.
    """
    if layer_range is None:
        return [0, len(layers)]
    if len(layer_range) != 2:
        raise ValueError("layer_range must be a list or tuple of length 2. Received: "
                         f"layer_range = {layer_range} of length {len(layer_range)}")
    if not isinstance(layer_range[0], str) or not isinstance(layer_range[1], str):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError("Passed layer_names do not match the layer names in the model. "
                         f"Received: {layer_range}")
    if min(lower) > max(upper):
        return [min(upper), max(lower) + 1]
    return [min(lower), max(upper) + 1]


def _count(weights):
    return int(sum(w.numel() for w in weights))


def _format_shape(shape):
    if shape is None:
        return "?"
    if isinstance(shape, list):
        return ", ".join(_format_shape(s) for s in shape) if shape and isinstance(shape[0], tuple) else str(tuple(shape))
    return str(tuple(shape))


def _size(n_params, weights):
    nbytes = sum(w.numel() * w.element_size() for w in weights)
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if nbytes >= scale:
            return f"{nbytes / scale:.2f} {unit}"
    return f"{nbytes:.2f} B"


def _rows(model):
    """(name (type), output shape, params, connected-to) per layer."""
    rows = []
    if not model.built:
        # Keras 3 prints an unbuilt model too: unknown shapes and "0 (unbuilt)" parameters.
        return [(f"{layer.name} ({type(layer).__name__})", "?",
                 _count(layer.weights) if layer.built else "0 (unbuilt)", None)
                for layer in model.layers]
    shapes = getattr(model, "_output_shapes", None)
    nodes = getattr(model, "_summary_rows", None)
    if nodes is not None:
        return nodes()
    for i, layer in enumerate(model.layers):
        if shapes is not None and i < len(shapes):
            shape = shapes[i]
        else:
            try:
                shape = layer.output_shape
            except AttributeError:
                shape = None
        params = _count(layer.weights) if hasattr(layer, "weights") else 0
        rows.append((f"{layer.name} ({type(layer).__name__})", _format_shape(shape), params, None))
    return rows


def print_summary(model, line_length=None, positions=None, print_fn=None, show_trainable=False,
                  expand_nested=False, layer_range=None):
    # Keras 3's table is drawn with rich (installed with Keras); without it, Keras 2's table.
    if _STYLE[0] == "keras3" and importlib.util.find_spec("rich") is not None:
        from kerasish.utils import summary_keras3

        text = summary_keras3.render(model, line_length, positions, expand_nested, show_trainable,
                                     layer_range)
        if print_fn is None:
            print_msg(text, line_break=False)
        else:
            print_fn(text)
        return
    print_fn = print_fn or print_msg
    # Keras 2 slices `model.layers` (no InputLayer) by the same rule.
    first, last = layer_index_bounds(model.layers, layer_range)
    rows = _rows(model)[first:last]
    has_connections = any(r[3] is not None for r in rows)
    line_length = line_length or (98 if has_connections else 65)
    # An unbuilt model's short shapes ("?") leave room for its longer "0 (unbuilt)" counts.
    positions = positions or ([0.33, 0.55, 0.67, 1.0] if has_connections else
                              [0.45, 0.85 if model.built else 0.75, 1.0])
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    headers = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if has_connections else [])

    def line(fields):
        text = ""
        for i, field in enumerate(fields):
            if i > 0:
                text = text[:-1] + " "
            text += str(field)
            text = text[:positions[i]]
            text += " " * (positions[i] - len(text))
        return text

    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    print_fn(line(headers))
    print_fn("=" * line_length)
    for i, (name, shape, params, conn) in enumerate(rows):
        fields = [name, shape, params] + ([conn[0] if conn else ""] if has_connections else [])
        print_fn(line(fields))
        for extra in (conn or [])[1:]:
            print_fn(line(["", "", "", extra]))
        print_fn(("=" if i == len(rows) - 1 else "_") * line_length)
    weights = model.weights
    trainable = [w for w in weights if w.requires_grad]
    non_trainable = [w for w in weights if not w.requires_grad]
    total = _count(weights)
    print_fn(f"Total params: {total:,} ({_size(total, weights)})")
    print_fn(f"Trainable params: {_count(trainable):,} ({_size(0, trainable)})")
    print_fn(f"Non-trainable params: {_count(non_trainable):,} ({_size(0, non_trainable)})")
    print_fn("_" * line_length)


