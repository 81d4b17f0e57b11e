"""Small helpers of the training loop: output dtypes and structures, argument checks."""

import numpy as np
import torch


def float32_outputs(y):
    """Mixed-precision outputs back to float32 for losses, metrics and numpy, as Keras computes
    losses in float32. The logits tag of a softmax/sigmoid output comes along."""
    if isinstance(y, torch.Tensor):
        if y.dtype not in (torch.float16, torch.bfloat16):
            return y
        out = y.float()
        logits = getattr(y, "_keras_logits", None)
        if logits is not None:
            out._keras_logits = logits.float()
            out._keras_logits_kind = y._keras_logits_kind
        mask = getattr(y, "_keras_mask", None)
        if mask is not None:
            out._keras_mask = mask
        return out
    if isinstance(y, (list, tuple)):
        return type(y)(float32_outputs(v) for v in y)
    if isinstance(y, dict):
        return {k: float32_outputs(v) for k, v in y.items()}
    return y


def parse_verbose(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2, True, False):
        raise ValueError(f"`verbose` must be 0, 1, 2 or 'auto'. Received: verbose={verbose!r}")
    return int(verbose)


def pop_data_options(kwargs):
    """Keras 2's `workers`/`use_multiprocessing`/`max_queue_size`, for `PyDataset` inputs."""
    return {k: kwargs.pop(k) for k in ("workers", "use_multiprocessing", "max_queue_size") if k in kwargs}


def should_validate(epoch, validation_freq):
    if isinstance(validation_freq, int):
        if validation_freq < 1:
            raise ValueError(f"`validation_freq` must be a positive integer. Received: {validation_freq}")
        return (epoch + 1) % validation_freq == 0
    return (epoch + 1) in validation_freq


def first_leaf(x):
    if isinstance(x, dict):
        return first_leaf(next(iter(x.values())))
    if isinstance(x, (list, tuple)) and x and not np.isscalar(x[0]):
        return first_leaf(x[0])
    return x


def batch_size_of(x):
    leaf = first_leaf(x)
    return int(leaf.shape[0]) if hasattr(leaf, "shape") and len(leaf.shape) else 1


def num_samples(x):
    leaf = first_leaf(x)
    if hasattr(leaf, "shape") and len(leaf.shape):
        return max(int(leaf.shape[0]), 1)
    return max(len(leaf), 1)


def concat_tensors(outputs):
    first = outputs[0]
    if isinstance(first, torch.Tensor):
        return torch.cat(outputs)
    if isinstance(first, (list, tuple)):
        return type(first)(concat_tensors([o[i] for o in outputs]) for i in range(len(first)))
    return {k: concat_tensors([o[k] for o in outputs]) for k in first}


def to_numpy_structure(y):
    if isinstance(y, torch.Tensor):
        return to_numpy(y)
    if isinstance(y, (list, tuple)):
        return [to_numpy_structure(v) for v in y]
    return {k: to_numpy_structure(v) for k, v in y.items()}


def to_numpy(t):
    return t.detach().cpu().numpy()


def concat_outputs(outputs):
    if not outputs:
        return np.zeros((0,))
    first = outputs[0]
    if isinstance(first, torch.Tensor):
        return to_numpy(torch.cat(outputs) if len(outputs) > 1 else first)
    if isinstance(first, (list, tuple)):
        return [concat_outputs([o[i] for o in outputs]) for i in range(len(first))]
    if isinstance(first, dict):
        return {k: concat_outputs([o[k] for o in outputs]) for k in first}
    return np.asarray(outputs)

