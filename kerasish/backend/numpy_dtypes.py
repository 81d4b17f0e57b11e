"""Torch dtypes numpy lacks (bfloat16, float8) as ml_dtypes' numpy dtypes, both ways.

Keras 3 on torch hands out `ml_dtypes.bfloat16` arrays for bfloat16 values (`get_weights()`,
`convert_to_numpy`) and takes them back (`set_weights`, `convert_to_tensor`); `Tensor.numpy()` and
`torch.from_numpy` refuse those dtypes. The conversion reinterprets the bits (same values, no
rounding). Without ml_dtypes installed (kerasish does not require it) values come out as float32,
which holds every bfloat16 and float8 value exactly.
"""

import numpy as np
import torch

# torch dtype -> (ml_dtypes name, unsigned torch dtype of the same width)
_EXTRA = {
    torch.bfloat16: ("bfloat16", torch.uint16),
    torch.float8_e4m3fn: ("float8_e4m3fn", torch.uint8),
    torch.float8_e5m2: ("float8_e5m2", torch.uint8),
}
_BY_NAME = {name: (dt, bits) for dt, (name, bits) in _EXTRA.items()}
_NUMPY_BITS = {torch.uint16: np.uint16, torch.uint8: np.uint8}


def _ml_dtype(name):
    try:
        import ml_dtypes
    except ImportError:
        return None
    return getattr(ml_dtypes, name, None)


def tensor_to_numpy(tensor):
    """A new numpy array holding `tensor`'s value (never a view of its memory)."""
    t = tensor.detach()
    extra = _EXTRA.get(t.dtype)
    if extra is not None:
        np_dtype = _ml_dtype(extra[0])
        if np_dtype is None:
            return t.float().cpu().numpy()
        bits = t.contiguous().view(extra[1]).cpu()
        return bits.numpy().view(np_dtype).copy()
    return t.numpy().copy() if t.device.type == "cpu" else t.cpu().numpy()


def is_extra_numpy_dtype(array):
    """Whether `array` is a numpy array of one of ml_dtypes' types torch has (bfloat16, float8)."""
    return isinstance(array, np.ndarray) and array.dtype.name in _BY_NAME


def numpy_to_tensor(array):
    """A CPU tensor of the ml_dtypes `array`'s values in the matching torch dtype (same bits)."""
    torch_dtype, bits = _BY_NAME[array.dtype.name]
    raw = np.ascontiguousarray(array).view(_NUMPY_BITS[bits])
    return torch.from_numpy(raw.copy()).view(torch_dtype)


def as_tensor(value):
    """`torch.as_tensor(value)`, also for ml_dtypes' bfloat16 / float8 arrays."""
    if is_extra_numpy_dtype(value):
        return numpy_to_tensor(value)
    return torch.as_tensor(value)


def from_bits(raw, name):
    """The values whose bit patterns `raw` holds (an array of 2- or 1-byte items, as h5py reads
    Keras's opaque bfloat16 datasets) as ml_dtypes' `name` array (float32 without ml_dtypes)."""
    torch_dtype, bits = _BY_NAME[name]
    raw = np.ascontiguousarray(raw).view(_NUMPY_BITS[bits])
    np_dtype = _ml_dtype(name)
    if np_dtype is not None:
        return raw.view(np_dtype)
    return torch.from_numpy(raw.copy()).view(torch_dtype).float().numpy()
