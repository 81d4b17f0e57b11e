"""Keras dtype names <-> torch dtypes."""

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
    torch.bool: "bool",
    torch.complex64: "complex64",
    torch.complex128: "complex128",
}


def to_torch_dtype(dtype):
    """Any dtype spelling (Keras name, numpy dtype, torch dtype, None = floatx) -> torch dtype."""
    if dtype is None:
        return _NAME_TO_TORCH[config.floatx()]
    if isinstance(dtype, torch.dtype):
        return dtype
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
