"""Helpers of `Layer.__call__` and `Layer.from_config`: input structures, masks, dtypes, configs."""

import inspect
import warnings

import numpy as np
import torch
from torch import nn

from kerasish.layers.keras_tensor import KerasTensor

# Keyword arguments every layer accepts (Keras 2's base-layer set, plus Keras 3's).
INPUT_KWARGS = ("input_shape", "batch_input_shape", "batch_size", "input_dim", "batch_shape")


def _shape_of(x):
    if isinstance(x, (torch.Tensor, KerasTensor, np.ndarray)):
        return tuple(x.shape)
    if isinstance(x, (list, tuple)):
        return [_shape_of(v) for v in x]
    if isinstance(x, dict):
        return {k: _shape_of(v) for k, v in x.items()}
    return None


def _first_tensor(x):
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, (list, tuple)):
        for v in x:
            t = _first_tensor(v)
            if t is not None:
                return t
    if isinstance(x, dict):
        return _first_tensor(list(x.values()))
    return None


def _to_tensor(x, device):
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, (str, bytes)) or (isinstance(x, np.ndarray) and (
            x.dtype.kind in "USa" or (x.dtype.kind == "O" and x.size
                                      and isinstance(x.flat[0], (str, bytes))))):
        return x  # strings stay numpy: the preprocessing layers take them as they are
    if isinstance(x, np.ndarray) or np.isscalar(x):
        # Imported here: kerasish.backend.ops imports the layers package (for KerasTensor).
        from kerasish.backend.ops import convert_to_tensor

        return convert_to_tensor(x, device=device)
    if isinstance(x, (list, tuple)):
        return type(x)(_to_tensor(v, device) for v in x)
    if isinstance(x, dict):
        return {k: _to_tensor(v, device) for k, v in x.items()}
    return x


def _to_float32(x):
    if isinstance(x, torch.Tensor) and x.dtype in (torch.float16, torch.bfloat16):
        return x.float()
    if isinstance(x, (list, tuple)):
        return type(x)(_to_float32(v) for v in x)
    return x


def _batch_unknown(shape):
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return _batch_unknown(shape[0])
    return bool(shape) and shape[0] is None


def _mask_of(inputs):
    if isinstance(inputs, torch.Tensor):
        return getattr(inputs, "_keras_mask", None)
    if isinstance(inputs, (list, tuple)):
        masks = [getattr(x, "_keras_mask", None) for x in inputs]
        return None if all(m is None for m in masks) else masks
    return None


def _set_mask(outputs, mask):
    if isinstance(outputs, torch.Tensor):
        try:
            outputs._keras_mask = mask
        except AttributeError:
            warnings.warn("Could not attach a mask to this layer's output.", stacklevel=3)
    elif isinstance(outputs, (list, tuple)):
        masks = mask if isinstance(mask, (list, tuple)) else [mask] * len(outputs)
        for o, m in zip(outputs, masks):
            _set_mask(o, m)


def _accepted_init_args(cls):
    names, open_kwargs = set(INPUT_KWARGS) | {"weights"}, False
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass is nn.Module or klass is object:
            continue
        for p in inspect.signature(init).parameters.values():
            if p.kind is p.VAR_KEYWORD:
                open_kwargs = True
            else:
                names.add(p.name)
        if not open_kwargs:
            break
        open_kwargs = False
    return names


def _drop_unset_unknown_keys(cls, config):
    # Newer Keras versions add arguments (e.g. `quantization_config`) that are None when unused.
    accepted = _accepted_init_args(cls)
    return {k: v for k, v in config.items() if k in accepted or v is not None}
