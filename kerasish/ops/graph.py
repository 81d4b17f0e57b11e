"""Graph helpers for the functional API: nested structures, Keras's topological order, the plan.

`map_graph` reproduces Keras's ordering (depth from the outputs, then first traversal order), which
decides `model.layers` and therefore the order of `model.weights` and `get_weights()`.
`make_plan` turns the ordered nodes into steps that read and write a flat list of value slots, so a
call does no graph walking and no dict lookups.
"""

from kerasish.backend.keras_tensor import KerasTensor


# ---------------------------------------------------------------------- nested structures
def flatten(structure, sort_dicts=False):
    """The leaves of nested lists/tuples/dicts (dict keys sorted when `sort_dicts`, as Keras's tree)."""
    if isinstance(structure, (list, tuple)):
        out = []
        for s in structure:
            out.extend(flatten(s, sort_dicts))
        return out
    if isinstance(structure, dict):
        keys = sorted(structure) if sort_dicts else list(structure)
        out = []
        for k in keys:
            out.extend(flatten(structure[k], sort_dicts))
        return out
    return [structure]


def map_leaves(fn, structure):
    if isinstance(structure, list):
        return [map_leaves(fn, s) for s in structure]
    if isinstance(structure, tuple):
        return tuple(map_leaves(fn, s) for s in structure)
    if isinstance(structure, dict):
        return {k: map_leaves(fn, v) for k, v in structure.items()}
    return fn(structure)


def pack_like(structure, leaves):
    """`structure` with its leaves (in `flatten` order) replaced by `leaves`."""
    it = iter(leaves)
    return map_leaves(lambda _: next(it), structure)


def unpack_singleton(x):
    if isinstance(x, (list, tuple)) and len(x) == 1:
        return x[0]
    return x


# ---------------------------------------------------------------------- topological order
def _history_node(tensor):
    layer, node_index, _ = tensor._keras_history
    return layer, layer._inbound_nodes[node_index]


def _traverse(inputs, outputs):
    """Depth-first from the outputs: (nodes inputs-first, {id(layer): first-visit index}, layers)."""
    input_ids = {id(t) for t in inputs}
    finished, in_progress = set(), set()
    ordered, op_index, layers = [], {}, {}
    stack = [(t, False) for t in reversed(outputs)]
    while stack:
        item, done = stack.pop()
        if done:
            finished.add(id(item))
            in_progress.discard(id(item))
            ordered.append(item)
            continue
        if item._keras_history is None:
            continue
        layer, node = _history_node(item)
        if id(node) in finished:
            continue
        if not node.is_input and id(item) in input_ids:
            finished.add(id(node))
            continue
        if id(node) in in_progress:
            raise ValueError(f"Tensor {item} from layer {layer.name!r} is part of a cycle.")
        if id(layer) not in op_index:
            op_index[id(layer)] = len(op_index)
            layers[id(layer)] = layer
        in_progress.add(id(node))
        stack.append((node, True))
        if not node.is_input:
            stack.extend((t, False) for t in reversed(node.input_tensors))
    return ordered, op_index, layers


def map_graph(inputs, outputs):
    """(nodes in execution order, layers in Keras's order) for the graph from inputs to outputs."""
    ordered, op_index, layers = _traverse(inputs, outputs)
    in_graph = {id(n) for n in ordered}
    node_depth, op_depth = {}, {}
    for node in reversed(ordered):
        key = id(node.layer)
        depth = max(node_depth.setdefault(id(node), 0), op_depth.get(key, 0))
        op_depth[key] = depth
        node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for t in inputs:
        layer, node = _history_node(t) if t._keras_history is not None else (None, None)
        if layer is not None and id(layer) not in op_depth and node.is_input:
            op_depth[id(layer)], op_index[id(layer)], layers[id(layer)] = 0, -1, layer
            ordered.insert(0, node)
    operations = sorted(layers.values(), key=lambda op: (-op_depth[id(op)], op_index[id(op)]))
    names = [op.name for op in operations]
    for name in names:
        if names.count(name) > 1:
            raise ValueError(
                f'The name "{name}" is used {names.count(name)} times in the model. All layer names '
                f"should be unique. Received: layer names {names}"
            )
    return ordered, operations


# ---------------------------------------------------------------------- execution plan
class _Slot:
    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


def _make_filler(args, kwargs, slot_of):
    """A function values -> (args, kwargs) for one layer call; fast paths for the common shapes."""
    if not kwargs and len(args) == 1:
        arg = args[0]
        if isinstance(arg, KerasTensor):
            i = slot_of[id(arg)]
            return lambda v: ((v[i],), {})
        if isinstance(arg, list) and all(isinstance(a, KerasTensor) for a in arg):
            idx = [slot_of[id(a)] for a in arg]
            return lambda v: (([v[i] for i in idx],), {})
    to_slot = lambda x: _Slot(slot_of[id(x)]) if isinstance(x, KerasTensor) else x  # noqa: E731
    args_t, kwargs_t = map_leaves(to_slot, tuple(args)), map_leaves(to_slot, dict(kwargs))

    def fill(v):
        read = lambda x: v[x.index] if isinstance(x, _Slot) else x  # noqa: E731
        return map_leaves(read, args_t), map_leaves(read, kwargs_t)

    return fill


def _disconnected(tensor, node, done):
    return ValueError(
        f"Graph disconnected: cannot obtain value for tensor {tensor} at layer "
        f"{node.layer.name!r}. The following previous layers were accessed without issue: {done}. "
        "Every path must start from one of the model's `inputs`."
    )


def make_plan(inputs, nodes):
    """(steps, {id(KerasTensor): slot}, number of slots); steps are (layer, filler, out slot(s))."""
    slot_of = {}
    for t in inputs:
        slot_of.setdefault(id(t), len(slot_of))
    plan, done = [], []
    for node in nodes:
        if node.is_input:
            for t in node.output_tensors:
                if id(t) not in slot_of:
                    raise _disconnected(t, node, done)
            continue
        for t in node.input_tensors:
            if id(t) not in slot_of:
                raise _disconnected(t, node, done)
        fill = _make_filler(node.call_args, node.call_kwargs, slot_of)
        outs = []
        for t in node.output_tensors:
            slot_of[id(t)] = len(slot_of)
            outs.append(slot_of[id(t)])
        single = isinstance(node.outputs, KerasTensor)
        plan.append((node.layer, fill, outs[0] if single else outs))
        done.append(node.layer.name)
    return plan, slot_of, len(slot_of)


def make_getter(structure, slot_of):
    """A function values -> the output structure (a single-element list is unpacked, as Keras)."""
    if isinstance(structure, (list, tuple)) and len(structure) == 1:
        structure = structure[0]
    if isinstance(structure, KerasTensor):
        i = slot_of[id(structure)]
        return lambda v: v[i]
    if isinstance(structure, list) and all(isinstance(t, KerasTensor) for t in structure):
        idx = [slot_of[id(t)] for t in structure]
        return lambda v: [v[i] for i in idx]
    template = map_leaves(lambda t: _Slot(slot_of[id(t)]), structure)
    return lambda v: map_leaves(lambda s: v[s.index], template)


def run_plan(plan, n_slots, input_slots, flat_inputs):
    """Runs a plan from `make_plan` on real values; returns the filled value slots."""
    values = [None] * n_slots
    for slot, x in zip(input_slots, flat_inputs):
        values[slot] = x
    for op, fill, out_slots in plan:
        args, kwargs = fill(values)
        result = op(*args, **kwargs)
        if type(out_slots) is int:
            values[out_slots] = result
        else:
            for slot, value in zip(out_slots, flatten(result)):
                values[slot] = value
    return values
