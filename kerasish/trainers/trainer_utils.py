"""Small helpers of the training loop: output dtypes and structures, argument checks."""

import numpy as np
import torch

from kerasish.backend import layouts


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
    if not kwargs:
        return {}
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
        if len(outputs) > 1:
            return to_numpy(torch.cat(outputs))
        # One batch: the output may be a view of the caller's input (an identity model) or of a
        # weight; Keras hands back a new array.
        return layouts.to_numpy_copy(first)
    if isinstance(first, (list, tuple)):
        return [concat_outputs([o[i] for o in outputs]) for i in range(len(first))]
    if isinstance(first, dict):
        return {k: concat_outputs([o[k] for o in outputs]) for k in first}
    return np.asarray(outputs)



def check_batch_size(batch_size, arg="batch_size"):
    """`None` (Keras's default of 32 applies) or a positive integer; anything else is refused
    (Keras 3 silently reads 0 as 32)."""
    if batch_size is None:
        return None
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
        raise ValueError(f"`{arg}` must be a positive integer or None. Received: {arg}={batch_size!r}")
    return int(batch_size)


def check_epochs(epochs, initial_epoch=0):
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)):
        raise TypeError(f"`epochs` must be an integer. Received: epochs={epochs!r}")
    if epochs < 0:
        raise ValueError(f"`epochs` must be a non-negative integer. Received: epochs={epochs!r}")
    if isinstance(initial_epoch, bool) or not isinstance(initial_epoch, (int, np.integer)) \
            or initial_epoch < 0:
        raise ValueError(
            f"`initial_epoch` must be a non-negative integer. Received: initial_epoch={initial_epoch!r}")
    return int(epochs)


def check_validation_split(validation_split):
    """A fraction in [0, 1): Keras 3 silently trains on everything for values outside it."""
    if isinstance(validation_split, bool) or not isinstance(validation_split, (int, float, np.number)):
        raise TypeError(
            f"`validation_split` must be a float in [0, 1). Received: validation_split={validation_split!r}")
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(
            f"`validation_split` must be in [0, 1). Received: validation_split={validation_split!r}")
    return float(validation_split)


def check_has_samples(data, arg="x"):
    """Refuses empty arrays: Keras 3 fails on them with unrelated errors, and an empty `fit` that
    returns an empty history hides a bug in the user's data pipeline."""
    if getattr(data, "num_samples", None) == 0:
        tensors = getattr(data, "_tensors", None)
        shape = tuple(tensors[0].shape) if tensors else (0,)
        raise ValueError(f"Expected at least one sample in `{arg}`, got 0. Received: {arg}.shape={shape}")
