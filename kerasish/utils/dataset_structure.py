"""Elements of a `kerasish.utils.Dataset`: nested tuples / dicts of leaves, as tf.data has them.

A leaf is a torch tensor on the CPU (numbers), a `StrArray` (a numpy array of `str` with a
`.numpy()` method, for batches of strings), a Python `str` (one string), or None. Arrays coming
from numpy keep their dtype (float64 stays float64, as tf.data keeps it; `fit` casts floats to
`floatx`).
"""

import numpy as np
import torch

# tf.data's dtypes for Python scalars.
_PY_SCALARS = {bool: torch.bool, int: torch.int32, float: torch.float32}


class StrArray(np.ndarray):
    """A numpy array of strings that answers `.numpy()` like a string tensor does."""

    def numpy(self):
        return np.asarray(self)


def is_string_array(x):
    return isinstance(x, np.ndarray) and x.dtype.kind in ("U", "S", "O")


def _as_str_array(x):
    x = np.asarray(x)
    if x.dtype.kind == "O":
        x = x.astype(str)
    return x.view(StrArray)


def to_leaf(x):
    """One value as a leaf: numbers become CPU tensors, strings a `StrArray` (or a `str`)."""
    if isinstance(x, torch.Tensor) or x is None:
        return x
    if isinstance(x, (str, bytes)):
        return x
    if type(x) in _PY_SCALARS:
        return torch.tensor(x, dtype=_PY_SCALARS[type(x)])
    if isinstance(x, np.generic) and x.dtype.kind not in ("U", "S", "O"):
        return torch.from_numpy(np.asarray(x).copy())
    if not isinstance(x, np.ndarray):
        if hasattr(x, "numpy") and callable(x.numpy):  # a tensor of another library
            x = x.numpy()
        x = np.asarray(x)
    if is_string_array(x):
        return _as_str_array(x)
    if not x.flags.writeable or not x.flags.c_contiguous:
        x = np.ascontiguousarray(x).copy() if not x.flags.writeable else np.ascontiguousarray(x)
    return torch.from_numpy(x)


def normalize(element, lists_are_tensors=False):
    """An element with every leaf converted by `to_leaf`. Tuples and dicts are structure; a
    list is structure too (returned as a tuple, as tf.data does for `map` outputs) unless
    `lists_are_tensors` (`from_tensor_slices([1, 2, 3])`, where a list is one tensor)."""
    if isinstance(element, tuple):
        return type(element)(*[normalize(v, lists_are_tensors) for v in element]) \
            if hasattr(element, "_fields") else tuple(normalize(v, lists_are_tensors) for v in element)
    if isinstance(element, dict):
        return {k: normalize(v, lists_are_tensors) for k, v in element.items()}
    if isinstance(element, list) and not lists_are_tensors:
        return tuple(normalize(v) for v in element)
    return to_leaf(element)


def flatten(element):
    """The leaves of an element, depth first (dict values in insertion order)."""
    if isinstance(element, tuple):
        return [leaf for v in element for leaf in flatten(v)]
    if isinstance(element, dict):
        return [leaf for v in element.values() for leaf in flatten(v)]
    return [element]


def pack(template, leaves):
    """The structure of `template` filled with `leaves` (inverse of `flatten`)."""
    it = iter(leaves)

    def build(t):
        if isinstance(t, tuple):
            values = [build(v) for v in t]
            return type(t)(*values) if hasattr(t, "_fields") else tuple(values)
        if isinstance(t, dict):
            return {k: build(v) for k, v in t.items()}
        return next(it)

    return build(template)


def map_leaves(fn, element):
    return pack(element, [fn(leaf) for leaf in flatten(element)])


def _leaf_kind(leaf):
    if isinstance(leaf, torch.Tensor):
        return "tensor"
    if leaf is None:
        return "none"
    return "str"


def stack(leaves):
    """One batch leaf from the same leaf of several elements."""
    first = leaves[0]
    kind = _leaf_kind(first)
    if kind == "tensor":
        shapes = {tuple(t.shape) for t in leaves}
        if len(shapes) > 1:
            raise ValueError("Cannot batch elements of different shapes (use `padded_batch`, or resize "
                             f"them to one size first). Received: shapes {sorted(shapes)}")
        return torch.stack(leaves)
    if kind == "none":
        return None
    return _as_str_array(np.stack([np.asarray(s) for s in leaves]))


def stack_elements(elements):
    """A batch element from a list of elements of the same structure."""
    columns = zip(*[flatten(e) for e in elements])
    return pack(elements[0], [stack(list(c)) for c in columns])


def unstack(leaf):
    """The slices of a batch leaf along its first axis."""
    if isinstance(leaf, torch.Tensor):
        if leaf.ndim == 0:
            raise ValueError("Cannot unbatch an element of rank 0. Received: a scalar tensor")
        return list(leaf.unbind(0))
    if leaf is None:
        return None
    arr = np.asarray(leaf)
    if arr.ndim == 0:
        raise ValueError(f"Cannot unbatch an element of rank 0. Received: {arr!r}")
    return [str(s) if arr.ndim == 1 else _as_str_array(s) for s in arr]


def leading_size(element):
    sizes = {len(leaf) for leaf in flatten(element) if leaf is not None and not isinstance(leaf, str)}
    if len(sizes) != 1:
        raise ValueError("All components of an element must have the same size in their first "
                         f"dimension. Received: sizes {sorted(sizes)}")
    return sizes.pop()


def slice_leaf(leaf, index):
    if leaf is None:
        return None
    item = leaf[index]
    if isinstance(item, np.ndarray):
        return item.view(StrArray) if item.ndim else str(item)
    if isinstance(item, (np.str_, np.bytes_)):
        return str(item) if isinstance(item, np.str_) else bytes(item)
    return item


def to_numpy(element):
    """The element with numpy leaves (`as_numpy_iterator`)."""

    def conv(leaf):
        if isinstance(leaf, torch.Tensor):
            return leaf.numpy() if leaf.ndim else leaf.numpy()[()]
        if isinstance(leaf, StrArray):
            return np.asarray(leaf)
        return leaf

    return map_leaves(conv, element)


def pad_to(leaf, shape, value):
    """A tensor padded at the end of each dimension up to `shape`."""
    pads = []
    for have, want in zip(reversed(leaf.shape), reversed(shape)):
        pads += [0, want - have]
    if not any(pads):
        return leaf
    return torch.nn.functional.pad(leaf, pads, value=value)
