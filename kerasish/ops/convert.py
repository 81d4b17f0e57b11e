"""Inputs of ops -> torch tensors, with Keras's (torch backend's) dtype rules.

Torch tensors (and kerasish Variables) pass through untouched; numpy arrays keep their dtype;
Python numbers and nested lists take Keras's defaults (bool, int32, float32, complex64).
"""

import numpy as np
import torch

from kerasish.backend import config, dtypes, numpy_dtypes


def _device():
    return config.get_device()


def _python_dtype(x):
    """Keras's dtype for a Python number or a (nested) list of them."""
    kinds = set()

    def visit(v):
        # Python numbers are weakly typed (they take floatx's precision), numpy scalars keep
        # their dtype, as in Keras's conversion of nested lists.
        if isinstance(v, (list, tuple)):
            for e in v:
                visit(e)
        elif isinstance(v, (torch.Tensor, np.generic)):
            kinds.add(dtypes.dtype_name(v.dtype))
        elif isinstance(v, bool):
            kinds.add(bool)
        elif isinstance(v, int):
            kinds.add(int)
        elif isinstance(v, float):
            kinds.add(float)
        elif isinstance(v, complex):
            kinds.add("complex64")
        else:
            raise TypeError(
                "Expected a tensor, an array, a number or a nested list of numbers. "
                f"Received: {type(v).__name__} value {v!r}"
            )

    visit(x)
    if not kinds:
        return config.floatx()
    return dtypes.result_type(*kinds)


def to_tensor(x, dtype=None):
    """`x` as a torch tensor (on the configured device unless it already is a tensor)."""
    if isinstance(x, torch.Tensor):
        if dtype is not None:
            td = dtypes.to_torch_dtype(dtype)
            if x.dtype != td:
                return x.to(td)
        return x
    if isinstance(x, np.ndarray):
        if x.dtype == object:
            raise TypeError(
                "Expected numeric data; received an array of Python objects (dtype=object)."
            )
        if x.dtype.kind in "SU":
            raise TypeError(f"Expected numeric data; received a string array of dtype {x.dtype}.")
        if numpy_dtypes.is_extra_numpy_dtype(x):  # ml_dtypes' bfloat16 / float8
            t = numpy_dtypes.numpy_to_tensor(x)
        else:
            t = torch.from_numpy(np.ascontiguousarray(x)) if x.ndim else torch.as_tensor(x)
        t = t.to(_device())
    elif isinstance(x, np.generic) and not isinstance(x, float):
        # (np.float64 subclasses Python's float, and Keras converts it as one: to floatx.)
        t = torch.as_tensor(np.asarray(x), device=_device())
    else:
        if hasattr(x, "__array__") and not isinstance(x, (list, tuple, float)):
            return to_tensor(np.asarray(x), dtype)
        if dtype is None and type(x) is float:
            dtype = config.floatx()  # a lone Python float is floatx (a list goes through promotion)
        td = dtypes.to_torch_dtype(dtype if dtype is not None else _python_dtype(x))
        if isinstance(x, (list, tuple)) and any(isinstance(e, torch.Tensor) for e in x):
            return torch.stack([to_tensor(e, td) for e in x])
        return torch.tensor(x, dtype=td, device=_device())
    if dtype is not None:
        t = t.to(dtypes.to_torch_dtype(dtype))
    return t
