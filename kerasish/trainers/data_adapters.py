"""Turning what users pass to `fit`/`evaluate`/`predict` into batches of device tensors.

Arrays become tensors once: on the device when they fit, otherwise in pinned host memory with a
non-blocking copy per batch. Shuffling is an index permutation per epoch; an unshuffled batch is a
slice (no copy). Other input kinds (generators, `Sequence`, `DataLoader`) have their own adapters.
"""

import math
import warnings

import numpy as np
import torch

from kerasish.backend import config
from kerasish.utils.data_utils import unpack_x_y_sample_weight  # noqa: F401  (imported from here too)
from kerasish.backend.ops import convert_to_tensor
from kerasish.backend.traceback_utils import user_stacklevel
from kerasish.trainers.trainer_utils import check_batch_size

# Arrays larger than this fraction of free device memory stay on the host.
_DEVICE_FRACTION = 0.25


def _is_array(x):
    return isinstance(x, (np.ndarray, torch.Tensor)) or (
        hasattr(x, "__array__") and hasattr(x, "shape") and not isinstance(x, (list, tuple, dict))
    )


def to_tensor(x, device=None):
    """One array -> tensor with Keras's dtype rules (float64 data, tensors too, -> floatx)."""
    t = convert_to_tensor(x)
    if t.dtype == torch.float64:
        t = t.to(getattr(torch, config.floatx()))
    if device is not None and t.device != device:
        t = t.to(device)
    return t


def flatten_structure(x):
    """(leaves, rebuild): a tensor/list/tuple/dict (one level, or nested lists) as flat leaves."""
    if x is None:
        return [], lambda leaves: None
    if isinstance(x, dict):
        keys = list(x)
        parts = [flatten_structure(x[k]) for k in keys]
    elif isinstance(x, (list, tuple)) and not _is_array(x) and x and not np.isscalar(x[0]) \
            and not (isinstance(x[0], (list, tuple)) and x[0] and np.isscalar(x[0][0])):
        keys = None
        parts = [flatten_structure(v) for v in x]
    else:
        return [x], lambda leaves: leaves[0]
    sizes = [len(p[0]) for p in parts]
    leaves = [leaf for p in parts for leaf in p[0]]

    def rebuild(flat):
        out, i = [], 0
        for (_, rb), n in zip(parts, sizes):
            out.append(rb(flat[i:i + n]))
            i += n
        return dict(zip(keys, out)) if keys is not None else type(x)(out) if isinstance(x, tuple) else out

    return leaves, rebuild


def _fits_on_device(tensors, device):
    if device.type != "cuda":
        return True
    free, _ = torch.cuda.mem_get_info(device)
    need = sum(t.numel() * t.element_size() for t in tensors if isinstance(t, torch.Tensor))
    return need <= _DEVICE_FRACTION * free


def class_weight_to_sample_weight(y, class_weight):
    """Per-sample weights from a `{class_index: weight}` dict (labels or one-hot targets)."""
    if isinstance(y, (list, tuple, dict)):
        raise ValueError("`class_weight` is only supported for models with a single output.")
    y = y if isinstance(y, torch.Tensor) else torch.as_tensor(np.asarray(y))
    if y.ndim > 1 and y.shape[-1] > 1:
        labels = torch.argmax(y, dim=-1)
    else:
        labels = y.reshape(y.shape[0], -1)[:, 0] if y.ndim > 1 else y
        labels = torch.round(labels.float()).long() if labels.is_floating_point() else labels.long()
    max_class = int(max(class_weight)) if class_weight else 0
    table = torch.ones(max(max_class, int(labels.max()) if labels.numel() else 0) + 1)
    for cls, w in class_weight.items():
        table[int(cls)] = float(w)
    return table[labels.cpu()]


def string_array(leaf):
    """`leaf` as a numpy array of strings when it is text (for a model with a string input and
    preprocessing layers), else None."""
    if isinstance(leaf, (list, tuple)) and leaf and isinstance(leaf[0], (str, bytes)):
        leaf = np.asarray(leaf, dtype=object)
    if isinstance(leaf, np.ndarray) and (leaf.dtype.kind in "USa" or (
            leaf.dtype.kind == "O" and leaf.size and isinstance(leaf.flat[0], (str, bytes)))):
        return leaf
    return None


def numeric_tensor(leaf, name):
    """`to_tensor`, with an error naming the argument when the data are not numbers (strings,
    Python objects): Keras 3 says only "Invalid dtype: object". Text in `x` stays a numpy array
    of strings, for models that start with preprocessing layers."""
    if name == "x":
        text = string_array(leaf)
        if text is not None:
            return text
    try:
        return to_tensor(leaf)
    except (TypeError, ValueError, RuntimeError):
        dtype = getattr(leaf, "dtype", None)
        if dtype is None:
            try:
                dtype = np.asarray(leaf).dtype
            except (TypeError, ValueError):
                dtype = type(leaf).__name__
    hint = (" String labels must be encoded as integers first (e.g. "
            "`np.unique(y, return_inverse=True)` or a `StringLookup` layer)."
            if getattr(dtype, "kind", None) in ("U", "S", "O") and name == "y" else "")
    raise ValueError(
        f"`{name}` must hold numbers (numpy arrays, torch tensors, or nested lists of numbers).{hint} "
        f"Received: {name} with dtype {dtype}") from None


class ArrayDataAdapter:
    """Batches over arrays/tensors given as x, y and sample_weight structures.

    Args:
        x, y, sample_weight: arrays, tensors, or lists/dicts of them.
        batch_size: samples per batch. Defaults to 32.
        steps: batches per epoch (repeats the data if larger than one pass).
        shuffle: `True`, `False` or `"batch"` (shuffles the order of batch-sized chunks).
        class_weight: dict mapping class index to weight (becomes sample weights).
        device: where batches are delivered.
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                 class_weight=None, device=None):
        if class_weight:
            cw = class_weight_to_sample_weight(y, class_weight)
            if sample_weight is not None:
                cw = cw * to_tensor(sample_weight).reshape(cw.shape[0], -1)[:, 0].float()
            sample_weight = cw
        self.device = device or config.get_device()
        self._x_leaves, self._rebuild_x = flatten_structure(x)
        self._y_leaves, self._rebuild_y = flatten_structure(y)
        self._sw_leaves, self._rebuild_sw = flatten_structure(sample_weight)
        leaves = self._x_leaves + self._y_leaves + self._sw_leaves
        if not leaves:
            raise ValueError("Expected input data `x`. Received: x=None")
        names = (["x"] * len(self._x_leaves) + ["y"] * len(self._y_leaves)
                 + ["sample_weight"] * len(self._sw_leaves))
        tensors = [numeric_tensor(t, name) for t, name in zip(leaves, names)]
        sizes = [int(t.shape[0]) if t.ndim else 1 for t in tensors]
        if len(set(sizes)) > 1:
            nx, ny = len(self._x_leaves), len(self._y_leaves)
            raise ValueError(
                "Data cardinality is ambiguous. Make sure all arrays contain the same number of samples. "
                f"Received: x sizes: {sizes[:nx]}, y sizes: {sizes[nx:nx + ny]}"
                + (f", sample_weight sizes: {sizes[nx + ny:]}" if self._sw_leaves else "")
            )
        self.num_samples = sizes[0]
        on_device = _fits_on_device(tensors, self.device)
        if on_device:
            tensors = [_host_or(t, lambda v: v.to(self.device)) for t in tensors]
        elif self.device.type == "cuda":
            tensors = [_host_or(t, lambda v: v.pin_memory()) for t in tensors]
        self._on_device = on_device
        self._tensors = tensors
        self.batch_size = 32 if batch_size is None else check_batch_size(batch_size)
        self.shuffle = shuffle
        self._steps = steps
        self._epoch_batches = max(1, math.ceil(self.num_samples / self.batch_size)) if self.num_samples else 0
        self._cursor = None

    @property
    def num_batches(self):
        return self._steps if self._steps is not None else self._epoch_batches

    def _order(self):
        n = self.num_samples
        if self.shuffle == "batch":
            chunks = torch.randperm(self._epoch_batches, generator=getattr(self, "_generator", None))
            idx = torch.arange(n)
            return torch.cat([idx[c * self.batch_size:(c + 1) * self.batch_size] for c in chunks.tolist()])
        if self.shuffle:
            # Under torchrun every rank shuffles with the same seeded generator (distribute/).
            return torch.randperm(n, generator=getattr(self, "_generator", None))
        return None

    def _batch(self, order, start, stop):
        if order is None:
            parts = [t[start:stop] for t in self._tensors]
        else:
            idx = order[start:stop]
            if self._on_device and idx.device != self.device:
                idx = idx.to(self.device, non_blocking=True)
            parts = [t.index_select(0, idx) if isinstance(t, torch.Tensor)
                     else t[idx.cpu().numpy()] for t in self._tensors]  # strings stay on host
        if not self._on_device:
            parts = [_host_or(p, lambda v: v.to(self.device, non_blocking=True)) for p in parts]
        nx, ny = len(self._x_leaves), len(self._y_leaves)
        x = self._rebuild_x(parts[:nx])
        y = self._rebuild_y(parts[nx:nx + ny]) if ny else None
        sw = self._rebuild_sw(parts[nx + ny:]) if self._sw_leaves else None
        # Keras's packing: a custom `train_step` unpacks `x, y = data` when there are no weights.
        if sw is None:
            return (x,) if y is None else (x, y)
        return x, y, sw

    def _pass(self):
        order = self._order()
        if order is not None and self._on_device:
            order = order.to(self.device)
        bs = self.batch_size
        for start in range(0, self.num_samples, bs):
            yield self._batch(order, start, min(start + bs, self.num_samples))

    def __iter__(self):
        """One epoch of batches. With `steps`, continues where the last epoch stopped."""
        if self._steps is None:
            yield from self._pass()
            return
        produced = 0
        while produced < self._steps:
            if self._cursor is None:
                self._cursor = self._pass()
            for batch in self._cursor:
                yield batch
                produced += 1
                if produced >= self._steps:
                    return
            self._cursor = None


def _host_or(t, move):
    """`move(t)` for a tensor; numpy arrays of strings stay on the host."""
    return move(t) if isinstance(t, torch.Tensor) else t


def split_arrays(x, y, sample_weight, validation_split):
    """Keras's `validation_split`: the last fraction of the samples, taken before shuffling."""
    if not 0.0 < validation_split < 1.0:
        raise ValueError(f"`validation_split` must be between 0 and 1. Received: validation_split={validation_split}")
    leaves = flatten_structure(x)[0] + flatten_structure(y)[0] + flatten_structure(sample_weight)[0]
    if not all(_is_array(t) for t in leaves):
        raise ValueError(
            "`validation_split` is only supported for numpy arrays and torch tensors. "
            f"Received: x of type {type(x).__name__}"
        )
    n = int(leaves[0].shape[0])
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"Training data contains {n} samples, which is not sufficient to split it into a "
            f"validation and training set as specified by `validation_split={validation_split}`."
        )

    def cut(struct, sl):
        leaves_s, rebuild = flatten_structure(struct)
        return rebuild([t[sl] for t in leaves_s]) if leaves_s else None

    train = tuple(cut(s, slice(0, split_at)) for s in (x, y, sample_weight))
    val = tuple(cut(s, slice(split_at, None)) for s in (x, y, sample_weight))
    return train, val


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                     class_weight=None, device=None, **options):
    """The adapter for the given inputs. Other input kinds register in `_ADAPTERS`; `options`
    (`workers`, `use_multiprocessing`, `max_queue_size`) go to those adapters only."""
    if x is None:
        raise ValueError("Expected input data `x` (arrays, a dict of arrays, a generator, a "
                         "PyDataset or a DataLoader). Received: x=None")
    batch_size = check_batch_size(batch_size)
    steps = _capped_steps(steps)
    for predicate, factory in _ADAPTERS:
        if predicate(x):
            return factory(x, y=y, sample_weight=sample_weight, batch_size=batch_size, steps=steps,
                           shuffle=shuffle, class_weight=class_weight, device=device, **options)
    leaves = flatten_structure(x)[0]
    bad = [type(t).__name__ for t in leaves if not _is_array(t) and not isinstance(t, (list, tuple))]
    if bad:
        raise ValueError(
            "Unrecognized data type: expected numpy arrays, torch tensors, lists or dicts of them, a "
            "generator, a keras.utils.Sequence/PyDataset or a torch DataLoader. "
            f"Received: x of type {type(x).__name__}"
        )
    return ArrayDataAdapter(x, y, sample_weight, batch_size, steps, shuffle, class_weight, device)


def _capped_steps(steps):
    """`steps` under `kerasish.config.set_max_steps_per_epoch`'s cap (with Keras's warning)."""
    cap = config.max_steps_per_epoch()
    if cap and (not steps or cap < steps):
        warnings.warn(f"Limiting steps_per_epoch to {cap}", stacklevel=user_stacklevel())
        return cap
    return steps


# (predicate(x), factory) pairs for non-array inputs; the input-kinds module appends to it.
_ADAPTERS = []


def register_adapter(predicate, factory):
    _ADAPTERS.append((predicate, factory))


# The adapters of the other input kinds register themselves (order matters: first match wins).
from kerasish.trainers import py_dataset_adapter, generator_data_adapter  # noqa: E402,F401
from kerasish.trainers import torch_data_loader_adapter  # noqa: E402,F401
from kerasish.trainers import dataset_adapter  # noqa: E402,F401
