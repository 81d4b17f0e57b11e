"""Packing and unpacking `(x, y, sample_weight)` batches, as Keras's data utilities do."""


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """`(x,)`, `(x, y)` or `(x, y, sample_weight)`: the tuple a data generator yields.

    A lone `x` that is itself a tuple or list is wrapped (`(x,)`), so it is not mistaken for an
    `(x, y)` pair when unpacked.

    Example:

    >>> kerasish.utils.pack_x_y_sample_weight([1, 2], [0, 1])
    ([1, 2], [0, 1])
    >>> kerasish.utils.pack_x_y_sample_weight([1, 2])
    ([1, 2],)
    """
    if y is None:
        if not isinstance(x, (tuple, list)):
            return x
        return (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """`(x,)`, `(x, y)` or `(x, y, sample_weight)` -> the three parts (missing ones are None).

    Example:

    >>> kerasish.utils.unpack_x_y_sample_weight(([1, 2], [0, 1]))
    ([1, 2], [0, 1], None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`. "
        f"Received a tuple of length {len(data)}"
    )


def get_source_inputs(tensor):
    """The `Input` tensors a symbolic tensor was computed from (itself if it is one).

    Example:

    >>> x = kerasish.Input((3,), name="x")
    >>> y = kerasish.layers.Dense(2)(x)
    >>> kerasish.utils.get_source_inputs(y)[0].name
    'x'
    """
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        return [tensor]
    layer, node_index, _ = history
    node = layer._inbound_nodes[node_index]
    if not node.input_tensors:
        return [tensor]
    sources = []
    for t in node.input_tensors:
        for s in get_source_inputs(t):
            if not any(s is seen for seen in sources):
                sources.append(s)
    return sources
