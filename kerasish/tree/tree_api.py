"""Nested structures (`keras.tree`): lists, tuples, namedtuples, dicts and deques, in pure Python.

Leaves are everything else, `None` included. Dicts are visited in sorted-key order at every depth
(an `OrderedDict` in its own order), as Keras documents and does on its JAX/TensorFlow backends, so
flattening and packing agree whatever order a dict was built in. (Keras 3.15's torch backend uses
a different implementation that keeps nested dicts in insertion order and numbers namedtuple
paths differently; kerasish keeps the documented behaviour.)
"""

import collections

__all__ = ["MAP_TO_NONE", "assert_same_paths", "assert_same_structure", "flatten",
           "flatten_with_path", "is_nested", "lists_to_tuples", "map_shape_structure",
           "map_structure", "map_structure_up_to", "pack_sequence_as", "traverse"]

_REGISTERED = {}  # class -> (flatten(obj) -> (children, aux), unflatten(aux, children) -> obj)


class MAP_TO_NONE:
    """Special value for `traverse`: replace a sub-tree by `None`.

    Example:

    >>> keras.tree.traverse(lambda x: keras.tree.MAP_TO_NONE if x == 2 else None, [1, 2])
    [1, None]
    """


def register_tree_node_class(cls):
    """Registers a class with `tree_flatten()` / `tree_unflatten(aux, children)` as a node type.

    Example:

    >>> @keras.tree.register_tree_node_class
    ... class Pair:
    ...     def __init__(self, a, b):
    ...         self.a, self.b = a, b
    ...     def tree_flatten(self):
    ...         return (self.a, self.b), None
    ...     @classmethod
    ...     def tree_unflatten(cls, aux, children):
    ...         return cls(*children)
    >>> keras.tree.flatten(Pair(1, [2, 3]))
    [1, 2, 3]
    """
    _REGISTERED[cls] = (lambda obj: obj.tree_flatten(), cls.tree_unflatten)
    return cls


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_nested(structure):
    """Whether `structure` is a sequence, a mapping, a namedtuple or a registered node (a string
    or a tensor is not).

    Example:

    >>> keras.tree.is_nested([1, 2]), keras.tree.is_nested({"a": 1}), keras.tree.is_nested("ab")
    (True, True, False)
    """
    return isinstance(structure, (list, tuple, dict, collections.deque)) or \
        type(structure) in _REGISTERED


def _keys(d):
    if isinstance(d, collections.OrderedDict):
        return list(d)
    try:
        return sorted(d)
    except TypeError:
        raise TypeError(f"Dictionaries with non-sortable keys are not supported. Received keys: "
                        f"{list(d)}") from None


def _children(x):
    """(keys or indices, children) of a node."""
    if isinstance(x, dict):
        keys = _keys(x)
        return keys, [x[k] for k in keys]
    if type(x) in _REGISTERED:
        children, _ = _REGISTERED[type(x)][0](x)
        return list(range(len(children))), list(children)
    return list(range(len(x))), list(x)


def _rebuild(x, values):
    """A node like `x` holding `values` (in `_children` order)."""
    if isinstance(x, dict):
        keys = _keys(x)
        pairs = dict(zip(keys, values))
        if isinstance(x, collections.defaultdict):
            out = collections.defaultdict(x.default_factory)
            out.update((k, pairs[k]) for k in x)
            return out
        return type(x)((k, pairs[k]) for k in x)
    if _is_namedtuple(x):
        return type(x)(*values)
    if type(x) in _REGISTERED:
        _, aux = _REGISTERED[type(x)][0](x)
        return _REGISTERED[type(x)][1](aux, values)
    if isinstance(x, collections.deque):
        return collections.deque(values, maxlen=x.maxlen)
    return type(x)(values)


def flatten(structure):
    """The leaves of `structure`, depth first (dict values by sorted key).

    Example:

    >>> flatten({"b": 1, "a": [2, (3, None)]})
    [2, 3, None, 1]
    """
    out = []
    _flatten_into(structure, out)
    return out


def _flatten_into(x, out):
    if is_nested(x):
        for child in _children(x)[1]:
            _flatten_into(child, out)
    else:
        out.append(x)


def flatten_with_path(structure):
    """`(path, leaf)` pairs; a path is the tuple of keys/indices leading to the leaf.

    Example:

    >>> keras.tree.flatten_with_path({"a": 1, "b": [2, 3]})
    [(('a',), 1), (('b', 0), 2), (('b', 1), 3)]
    """
    out = []

    def visit(x, path):
        if is_nested(x):
            keys, children = _children(x)
            for k, child in zip(keys, children):
                visit(child, path + (k,))
        else:
            out.append((path, x))

    visit(structure, ())
    return out


def _structure_error(a, b, detail=""):
    return ValueError(
        f"The two structures don't have the same nested structure.{detail}\n\n"
        f"First structure: {a!r}\n\nSecond structure: {b!r}"
    )


def _same_node_type(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return True
    return type(a) is type(b)


def assert_same_structure(a, b, check_types=None):
    """Raises ValueError unless `a` and `b` nest in the same way (same node types, except that any
    two dicts match when their keys do; `check_types` is accepted and ignored, as in Keras).

    Example:

    >>> keras.tree.assert_same_structure([1, (2, 3)], [4, (5, 6)])
    >>> keras.tree.assert_same_structure([1, 2], [1, [2]])
    Traceback (most recent call last):
        ...
    ValueError: The two structures don't have the same nested structure...
    """
    def check(x, y):
        if is_nested(x) != is_nested(y):
            raise _structure_error(a, b)
        if not is_nested(x):
            return
        if not _same_node_type(x, y):
            raise _structure_error(a, b, f" Type {type(x).__name__} != {type(y).__name__}.")
        if isinstance(x, dict):
            if set(x) != set(y):
                raise _structure_error(a, b, f" Keys differ: {sorted(x)} != {sorted(y)}.")
            pairs = [(x[k], y[k]) for k in x]
        else:
            cx, cy = _children(x)[1], _children(y)[1]
            if len(cx) != len(cy):
                raise _structure_error(a, b, f" Lengths differ: {len(cx)} != {len(cy)}.")
            pairs = zip(cx, cy)
        for u, v in pairs:
            check(u, v)

    check(a, b)


def assert_same_paths(a, b):
    """Raises ValueError unless `a` and `b` have the same leaf paths (node types may differ).

    Example:

    >>> keras.tree.assert_same_paths([1, 2], (3, 4))
    >>> keras.tree.assert_same_paths({"a": 1}, {"b": 1})
    Traceback (most recent call last):
        ...
    ValueError: `a` and `b` don't have the same paths...
    """
    pa = {p for p, _ in flatten_with_path(a)}
    pb = {p for p, _ in flatten_with_path(b)}
    if pa != pb:
        raise ValueError(
            "`a` and `b` don't have the same paths.\n"
            f"Paths in `a` missing in `b`: {sorted(pa - pb, key=repr)}\n"
            f"Paths in `b` missing in `a`: {sorted(pb - pa, key=repr)}"
        )


def map_structure(func, *structures, none_is_leaf=True):
    """`func` applied to corresponding leaves of `structures` (which must nest alike), in the
    first structure's shape. With `none_is_leaf=False`, `None` leaves stay `None`.

    Example:

    >>> keras.tree.map_structure(lambda x, y: x + y, {"a": 1, "b": (2, 3)},
    ...                          {"a": 10, "b": (20, 30)})
    {'a': 11, 'b': (22, 33)}
    """
    if not callable(func):
        raise TypeError(f"`func` must be callable. Received: func={func!r}")
    if not structures:
        raise ValueError("Must provide at least one structure.")
    for other in structures[1:]:
        assert_same_structure(structures[0], other)

    def go(*xs):
        if is_nested(xs[0]):
            children = [_children(x)[1] for x in xs]
            return _rebuild(xs[0], [go(*cs) for cs in zip(*children)])
        if not none_is_leaf and xs[0] is None:
            return None
        return func(*xs)

    return go(*structures)


def map_structure_up_to(shallow_structure, func, *structures):
    """Like `map_structure`, but only as deep as `shallow_structure`: what lies below its leaves
    is passed to `func` whole.

    Example:

    >>> keras.tree.map_structure_up_to([None, None], len, [[1, 2], (3, 4, 5)])
    [2, 3]
    """
    def go(shallow, *xs):
        if not is_nested(shallow):
            return func(*xs)
        for x in xs:
            if not is_nested(x) or not _same_node_type(shallow, x) and not (
                    isinstance(shallow, (list, tuple)) and isinstance(x, (list, tuple))):
                raise ValueError(
                    "The shallow structure must be a prefix of each structure. "
                    f"Received: shallow_structure={shallow_structure!r}, structure={x!r}"
                )
            if len(x) != len(shallow):
                raise ValueError(
                    f"Structure has length {len(x)}, while shallow structure has length "
                    f"{len(shallow)}. Received: structure={x!r}"
                )
        keys = _children(shallow)[0]
        if isinstance(shallow, dict):
            per = [[x[k] for k in keys] for x in xs]
        else:
            per = [list(x) for x in xs]
        return _rebuild(shallow, [go(s, *cs) for s, *cs in
                                  zip(_children(shallow)[1], *per)])

    return go(shallow_structure, *structures)


def pack_sequence_as(structure, flat_sequence):
    """`flat_sequence` packed into the nesting of `structure` (the inverse of `flatten`).

    Example:

    >>> keras.tree.pack_sequence_as({"a": 0, "b": (0, 0)}, [1, 2, 3])
    {'a': 1, 'b': (2, 3)}
    """
    if not isinstance(flat_sequence, (list, tuple)):
        try:
            flat_sequence = list(flat_sequence)
        except TypeError:
            raise TypeError(f"`flat_sequence` must be a sequence. Received: {flat_sequence!r}") \
                from None
    expected = len(flatten(structure))
    if len(flat_sequence) != expected:
        raise ValueError(
            f"The target structure has {expected} leaves, but `flat_sequence` has "
            f"{len(flat_sequence)} elements. Received: structure={structure!r}"
        )
    it = iter(flat_sequence)

    def go(x):
        if is_nested(x):
            return _rebuild(x, [go(c) for c in _children(x)[1]])
        return next(it)

    return go(structure)


def lists_to_tuples(structure):
    """The same structure with every list turned into a tuple.

    Example:

    >>> keras.tree.lists_to_tuples([1, [2, 3], {"a": [4]}])
    (1, (2, 3), {'a': (4,)})
    """
    def go(x):
        if not is_nested(x):
            return x
        rebuilt = _rebuild(x, [go(c) for c in _children(x)[1]])
        return tuple(rebuilt) if isinstance(rebuilt, list) else rebuilt

    return go(structure)


def _is_shape(x):
    return isinstance(x, (list, tuple)) and not _is_namedtuple(x) and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in x)


def map_shape_structure(func, structure):
    """`map_structure` where tuples/lists of ints and `None`s are shapes: leaves passed to `func`.

    Example:

    >>> shapes = {"x": (None, 3), "y": [(None, 4, 5)]}
    >>> keras.tree.map_shape_structure(lambda shape: shape[1:], shapes)
    {'x': (3,), 'y': [(4, 5)]}
    """
    def go(x):
        if _is_shape(x):
            return func(x)
        if is_nested(x):
            return _rebuild(x, [go(c) for c in _children(x)[1]])
        return func(x)

    return go(structure)


def traverse(func, structure, top_down=True):
    """Applies `func` to every sub-tree, depth first.

    Top-down, a non-None `func(subtree)` replaces the sub-tree and stops the descent; bottom-up, it
    replaces the already-traversed sub-tree. Return `MAP_TO_NONE` to put `None` in its place.

    Example:

    >>> keras.tree.traverse(lambda x: "leaf" if isinstance(x, int) else None, [1, (2, 3)])
    ['leaf', ('leaf', 'leaf')]
    """
    if not callable(func):
        raise TypeError(f"`func` must be callable. Received: func={func!r}")

    def fix(v):
        return None if v is MAP_TO_NONE else v

    def go(x):
        if top_down:
            r = func(x)
            if r is not None:
                return fix(r)
            if not is_nested(x):
                return x
            return _rebuild(x, [go(c) for c in _children(x)[1]])
        y = _rebuild(x, [go(c) for c in _children(x)[1]]) if is_nested(x) else x
        r = func(y)
        return y if r is None else fix(r)

    return go(structure)
