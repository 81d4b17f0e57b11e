"""Keras's `encode_categorical_inputs` on torch: integer indices to one-hot / multi-hot / count.

Values outside `[0, depth)` are dropped (a zero row), as TensorFlow's `bincount` with
`maxlength=depth` and `one_hot` do: the lookup layers rely on it to drop mask tokens.
"""

import torch

from kerasish.backend import dtypes


def _torch_dtype(dtype):
    return dtype if isinstance(dtype, torch.dtype) else dtypes.to_torch_dtype(dtype)


def _bincount(x, depth, binary, dtype, weights=None):
    rank = x.ndim
    if rank > 2:
        raise ValueError(
            "When output_mode is not `'int'`, the maximum supported output rank is 2 (inputs "
            f"of rank 1 or 2). Received: inputs.shape={tuple(x.shape)}")
    rows = x.reshape(1, -1) if rank == 1 else x
    valid = (rows >= 0) & (rows < depth)
    idx = torch.where(valid, rows, torch.zeros_like(rows)).long()
    if weights is None:
        src = valid.to(dtype)
    else:
        w = weights.reshape(rows.shape).to(dtype)
        src = torch.where(valid, w, torch.zeros_like(w))
    out = torch.zeros(rows.shape[0], depth, dtype=dtype, device=x.device)
    out.scatter_add_(1, idx, src)
    if binary:
        out = (out > 0).to(dtype)
    return out[0] if rank == 1 else out


def encode_categorical(x, output_mode, depth, dtype="float32", count_weights=None):
    """Encodes the int tensor `x` of indices.

    - `"int"`: `x` cast to `dtype`.
    - `"one_hot"`: one vector per element; a last axis of size 1 is replaced by the encoding.
    - `"multi_hot"` / `"count"`: one vector per sample (the last axis is the sample), 1 for each
      index present / the number of times it appears (weighted by `count_weights`).
    """
    dtype = _torch_dtype(dtype)
    if output_mode == "int":
        return x.to(dtype)
    if x.ndim == 0:
        x = x.reshape(1)  # a scalar is one sample, in every mode (as Keras)
    if output_mode == "one_hot":
        if x.ndim > 1 and x.shape[-1] == 1:
            x = x.squeeze(-1)
        return _bincount(x.reshape(-1, 1), depth, True, dtype).reshape(*x.shape, depth)
    if output_mode == "multi_hot":
        return _bincount(x, depth, True, dtype)
    if output_mode == "count":
        if count_weights is not None:
            dtype = count_weights.dtype
        return _bincount(x, depth, False, dtype, count_weights)
    raise ValueError(f"Unknown output_mode. Received: output_mode={output_mode!r}")
