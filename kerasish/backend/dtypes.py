"""Keras dtype names <-> torch dtypes."""

import functools

import numpy as np
import torch

from kerasish.backend import config

_NAME_TO_TORCH = {
    "float16": torch.float16,
    "half": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float": torch.float32,
    "float64": torch.float64,
    "double": torch.float64,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "uint8": torch.uint8,
    "uint16": torch.uint16,
    "uint32": torch.uint32,
    "uint64": torch.uint64,
    "bool": torch.bool,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}
_TORCH_TO_NAME = {
    torch.float16: "float16",
    torch.bfloat16: "bfloat16",
    torch.float32: "float32",
    torch.float64: "float64",
    torch.int8: "int8",
    torch.int16: "int16",
    torch.int32: "int32",
    torch.int64: "int64",
    torch.uint8: "uint8",
    torch.uint16: "uint16",
    torch.uint32: "uint32",
    torch.uint64: "uint64",
    torch.bool: "bool",
    torch.complex64: "complex64",
    torch.complex128: "complex128",
}


_PYTHON_TYPES = {bool: "bool", int: "int32", float: "float32", complex: "complex64"}


def to_torch_dtype(dtype):
    """Any dtype spelling (Keras name, numpy dtype, torch dtype, None = floatx) -> torch dtype."""
    if dtype is None:
        return _NAME_TO_TORCH[config.floatx()]
    if isinstance(dtype, torch.dtype):
        return dtype
    if dtype in _PYTHON_TYPES:
        return _NAME_TO_TORCH[_PYTHON_TYPES[dtype]]
    if hasattr(dtype, "name") and not isinstance(dtype, str):  # numpy dtype / DTypePolicy
        name = getattr(dtype, "variable_dtype", None) or dtype.name
    elif isinstance(dtype, type) and issubclass(dtype, np.generic):
        name = np.dtype(dtype).name
    else:
        name = str(dtype)
    if name.startswith("torch."):
        name = name[len("torch."):]
    if name in ("mixed_float16", "mixed_bfloat16"):
        name = "float32"
    if name not in _NAME_TO_TORCH:
        raise ValueError(
            f"Unknown dtype: expected one of {sorted(set(_NAME_TO_TORCH))}. Received: dtype={dtype!r}"
        )
    return _NAME_TO_TORCH[name]


def dtype_name(dtype):
    """torch/numpy dtype or name -> Keras's dtype name ("float32", ...)."""
    return _TORCH_TO_NAME[to_torch_dtype(dtype)]


def is_float(dtype):
    return to_torch_dtype(dtype).is_floating_point


def standardize_dtype(dtype):
    """Keras's name for any dtype spelling (`None` is `floatx()`; Python `int` is int32 as on
    Keras's torch backend).

    Example:

    >>> kerasish.utils.standardize_dtype(torch.float32)
    'float32'
    >>> kerasish.utils.standardize_dtype("float")
    'float32'
    """
    return dtype_name(dtype)


# ------------------------------------------------------------------ type promotion
# Keras's promotion lattice (the JAX one): each type points to the types just above it. "int" and
# "float" are the weak types of Python numbers, which take the other operand's precision.
_LATTICE = {
    "bool": ("int",),
    "uint8": ("int16", "uint16"), "uint16": ("int32", "uint32"), "uint32": ("int64", "uint64"),
    "uint64": ("float",),
    "int": ("uint8", "int8", "complex64"),
    "int8": ("int16",), "int16": ("int32",), "int32": ("int64",), "int64": ("float",),
    "float": ("bfloat16", "float16"),
    "bfloat16": ("float32",), "float16": ("float32",), "float32": ("float64", "complex64"),
    "float64": ("complex128",), "complex64": ("complex128",), "complex128": (),
}


def _upper_bounds():
    bounds = {}
    for node in _LATTICE:
        seen, todo = {node}, [node]
        while todo:
            for up in _LATTICE[todo.pop()]:
                if up not in seen:
                    seen.add(up)
                    todo.append(up)
        bounds[node] = frozenset(seen)
    return bounds


_UPPER = _upper_bounds()
# On the torch backend Keras narrows 64-bit results of promotion to 32 bits.
_NARROW = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}


@functools.lru_cache(1024)
def _least_upper_bound(nodes):
    common = frozenset.intersection(*(_UPPER[n] for n in nodes))
    lub = (common & nodes) or {c for c in common if common <= _UPPER[c]}
    if len(lub) != 1:
        raise ValueError(
            f"Input dtypes {tuple(sorted(nodes))} have no implicit promotion path; cast the inputs "
            f"explicitly. Received: dtypes={tuple(sorted(nodes))}"
        )
    return next(iter(lub))


def _weak(name):
    if name == "bool":
        return name
    for kind in ("complex", "float", "int"):
        if kind in name:
            return "int" if kind == "int" else kind
    return name


@functools.lru_cache(1024)
def _result_type(entries, floatx):
    names = tuple(n for n, _ in entries)
    weak = tuple(w for _, w in entries)
    if len(names) == 1:
        out, out_weak = names[0], weak[0]
    elif len(set(names)) == 1 and not all(weak):
        out, out_weak = names[0], False
    elif all(weak):
        out, out_weak = _least_upper_bound(frozenset(names)), True
    else:
        out = _least_upper_bound(frozenset(_weak(n) if w else n for n, w in entries))
        out_weak = out in ("int", "float")
    if out != "bool" and out_weak:
        bits = floatx[-2:]
        kind = "f" if out in ("bfloat16", "float") else out[:1]
        out = {"i": f"int{bits}", "u": f"uint{bits}", "c": "complex64"}.get(kind, f"float{bits}")
    return _NARROW.get(out, out)


def result_type(*dtypes):
    """The dtype Keras's type promotion gives for `dtypes` (Keras names, torch/numpy dtypes, or the
    Python types `int`/`float`/`bool` for weakly typed Python numbers); no argument gives floatx.

    Example:

    >>> result_type("int32", "float32")
    'float32'
    >>> result_type("bfloat16", int)
    'bfloat16'
    """
    if not dtypes:
        return config.floatx()
    entries = []
    for d in dtypes:
        if d is None:
            d = config.floatx()
        is_weak = d is int or d is float
        entries.append(("int" if d is int else "float" if d is float else
                        "bool" if d is bool else dtype_name(d), is_weak))
    entries = tuple((("int32" if n == "int" else "float32" if n == "float" else n), w)
                    for n, w in entries)
    return _result_type(entries, config.floatx())


def is_float_dtype(dtype):
    """Whether `dtype` (any spelling) is a floating dtype."""
    return standardize_dtype(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype):
    """Whether `dtype` (any spelling) is a signed or unsigned integer dtype."""
    return standardize_dtype(dtype).startswith(("int", "uint"))
