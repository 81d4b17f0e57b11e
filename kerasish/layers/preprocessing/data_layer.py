"""Shared plumbing of the text and categorical preprocessing layers.

`PreprocessingLayer` lets string inputs (lists, numpy arrays of `str`/`bytes`/objects) reach
`call` unconverted (torch has no string tensors), and gives `adapt` one way to walk its data:
an array, a list, a tensor, the kerasish dataset type or any iterable of batches.
"""

import contextlib
import threading

import numpy as np
import torch

from kerasish.layers.keras_tensor import any_symbolic
from kerasish.layers.layer import Layer

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
# Keras's legacy spellings.
OUTPUT_MODE_ALIASES = {"binary": "multi_hot", "tf-idf": "tf_idf"}


def check_output_mode(output_mode, allowed, caller):
    """Resolves Keras's aliases and refuses anything else."""
    output_mode = OUTPUT_MODE_ALIASES.get(output_mode, output_mode) \
        if isinstance(output_mode, str) else output_mode
    if output_mode not in allowed:
        raise ValueError(
            f"Unknown value for `output_mode` of {caller}: expected one of {allowed}. "
            f"Received: output_mode={output_mode!r}")
    return output_mode


def refuse_sparse(sparse, caller):
    if sparse:
        raise ValueError(
            f"{caller} cannot return sparse tensors in kerasish (as in Keras 3 on torch): "
            f"use the dense output. Received: sparse={sparse}")


def is_string_array(x):
    arr = x if isinstance(x, np.ndarray) else None
    if arr is None:
        return False
    if arr.dtype.kind in "USa":
        return True
    return arr.dtype.kind == "O" and arr.size > 0 and isinstance(arr.flat[0], (str, bytes))


def to_numpy(x, dtype=None):
    """numpy view of a layer input: torch tensors go to the host, lists become arrays."""
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    arr = np.asarray(x) if dtype is None else np.asarray(x, dtype=dtype)
    return arr


def to_str_array(x, encoding="utf-8"):
    """numpy array of python `str` (object dtype) from strings, bytes or a mix."""
    arr = to_numpy(x)
    if arr.dtype.kind == "U":
        return arr.astype(object)
    if arr.dtype.kind == "S":
        return np.vectorize(lambda b: b.decode(encoding), otypes=[object])(arr)
    if arr.dtype.kind == "O":
        out = np.empty(arr.shape, dtype=object)
        flat = arr.reshape(-1)
        out.reshape(-1)[:] = [v.decode(encoding) if isinstance(v, bytes) else v for v in flat]
        bad = [v for v in out.reshape(-1) if not isinstance(v, str)]
        if bad:
            raise TypeError(f"Expected string inputs. Received: an element {bad[0]!r}")
        return out
    raise TypeError(f"Expected string inputs (str or bytes). Received: dtype={arr.dtype}")


def iter_batches(data, steps=None, caller="adapt", list_is_batch=True):
    """Yields the batches `adapt` sees: an array or tensor is one batch (a list too, unless
    `list_is_batch=False`, Keras's reading for numeric layers: a list of batches); the kerasish
    dataset type, a generator or any other iterable yields batches (the `x` of `(x, y)` pairs).
    Raises a clear error when there is no data at all."""
    if steps is not None and (not isinstance(steps, int) or steps < 1):
        raise ValueError(f"`steps` must be a positive integer or None. Received: steps={steps!r}")
    if data is None:
        raise ValueError(f"`{caller}` needs data. Received: data=None")
    if isinstance(data, (np.ndarray, torch.Tensor, str, bytes)) or \
            (list_is_batch and isinstance(data, (list, tuple))):
        batches = [data]
    elif not hasattr(data, "__iter__") and hasattr(data, "__getitem__") and hasattr(data, "__len__"):
        batches = (data[i] for i in range(len(data)))  # a PyDataset
    else:
        if not hasattr(data, "__iter__"):
            raise TypeError(
                f"`{caller}` takes a numpy array, a list, a tensor, a dataset or an iterable of "
                f"batches. Received: data of type {type(data).__name__}")
        batches = data
    seen = 0
    for i, batch in enumerate(batches):
        if steps is not None and i >= steps:
            break
        if isinstance(batch, tuple) and len(batch) in (2, 3) and not isinstance(data, (list, tuple)):
            batch = batch[0]  # (x, y[, sample_weight]) from a dataset
        if isinstance(batch, dict):
            raise TypeError(f"`{caller}` cannot adapt on dicts of features. Received: a batch "
                            f"with keys {sorted(batch)}")
        if _is_empty(batch):
            continue
        seen += 1
        yield batch
    if seen == 0:
        raise ValueError(
            f"`{caller}` received no data: the array, list or dataset is empty. "
            f"Pass at least one non-empty batch. Received: data={_short(data)}")


def _is_empty(batch):
    if isinstance(batch, (list, tuple)):
        return len(batch) == 0
    return np.size(to_numpy(batch)) == 0


def _short(data):
    text = repr(data)
    return text if len(text) < 80 else text[:77] + "..."


# Per thread: the device a model with string inputs runs on (set by the model for its call), so
# that tensors made from host strings reach the layers after them on that device.
_PLACEMENT = threading.local()


@contextlib.contextmanager
def output_device(device):
    """Within the block (this thread), preprocessing outputs made on the host go to `device`."""
    previous = getattr(_PLACEMENT, "device", None)
    _PLACEMENT.device = device
    try:
        yield
    finally:
        _PLACEMENT.device = previous


def place(outputs, like=None):
    """`outputs` on `like`'s device (a tensor input), else on the calling model's device."""
    device = like.device if isinstance(like, torch.Tensor) else getattr(_PLACEMENT, "device", None)
    if device is None or not isinstance(outputs, torch.Tensor) or outputs.device == device:
        return outputs
    return outputs.to(device)


class PreprocessingLayer(Layer):
    """A layer whose inputs may be strings or python lists: they reach `call` as they are.

    Numeric torch inputs take the usual `Layer.__call__` path (build, masks, training flag).
    These layers have no trainable weights; their adapted state is kept as numpy/python values
    and saved the way Keras saves it.
    """

    def __call__(self, *args, **kwargs):
        if args and not isinstance(args[0], torch.Tensor) and not any_symbolic(args) \
                and not any_symbolic(kwargs):
            kwargs.pop("training", None)
            if not self.built:
                self.built = True
            return place(self.call(*args, **kwargs))
        return super().__call__(*args, **kwargs)

    def build(self, input_shape=None):
        self.built = True
