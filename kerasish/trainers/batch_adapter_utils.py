"""What the adapters of batch-producing inputs (generators, `PyDataset`, torch `DataLoader`)
share: moving a host batch to the device, class weights per batch, and epochs of a fixed number
of steps over a stream that may be shorter or endless."""

import warnings

import numpy as np
import torch

from kerasish.backend.traceback_utils import user_stacklevel
from kerasish.trainers import data_adapters


def _leaf_to_device(leaf, device):
    if isinstance(leaf, str) or (isinstance(leaf, np.ndarray) and leaf.dtype.kind in ("U", "S", "O")):
        return leaf  # strings stay on the host, for a string-consuming first layer (TextVectorization)
    t = data_adapters.to_tensor(leaf)
    if t.device == device:
        return t
    if device.type == "cuda" and t.device.type == "cpu" and not t.is_pinned():
        # Pinned pages let the copy below overlap with the previous step's compute.
        t = t.pin_memory()
    return t.to(device, non_blocking=True)


def _structure_to_device(struct, device):
    leaves, rebuild = data_adapters.flatten_structure(struct)
    return rebuild([_leaf_to_device(leaf, device) for leaf in leaves]) if leaves else None


def _class_weights(y, sample_weight, class_weight):
    cw = data_adapters.class_weight_to_sample_weight(y, class_weight)
    if sample_weight is None:
        return cw
    sw = data_adapters.to_tensor(sample_weight).float()
    return sw * cw.reshape((-1,) + (1,) * (sw.ndim - 1))


def batch_to_device(batch, device, class_weight=None):
    """A batch `x`, `(x, y)` or `(x, y, sample_weight)` as device tensors (non-blocking copies)."""
    x, y, sw = data_adapters.unpack_x_y_sample_weight(batch)
    if class_weight and y is not None:
        if isinstance(y, torch.Tensor) and y.device.type != "cpu":
            y = y.cpu()  # the class-weight table lookup runs on the host, before the copy
        sw = _class_weights(y, sw, class_weight)
    x, y, sw = (_structure_to_device(s, device) for s in (x, y, sw))
    if y is None and sw is None:
        return (x,)
    return (x, y) if sw is None else (x, y, sw)


class StreamAdapter:
    """Base class: epochs of batches from a stream of host batches.

    Subclasses implement `_new_pass()` (an iterator over one pass of the data) and may override
    `_end_of_epoch()`. With `steps`, an epoch takes `steps` batches and the next epoch continues
    where it stopped, starting a new pass when one ends (an exhausted one-shot generator ends the
    epoch early, with a warning, as Keras). Without `steps`, an epoch is one pass.

    Args:
        steps: batches per epoch, or None.
        class_weight: dict of class index -> weight, applied to each batch.
        device: where batches are delivered.
    """

    can_restart = True

    def __init__(self, steps=None, class_weight=None, device=None):
        from kerasish.backend import config

        if steps is not None and (not isinstance(steps, int) or steps < 1):
            raise ValueError(f"`steps` must be a positive integer or None. Received: steps={steps}")
        self._steps = steps
        self._class_weight = class_weight
        self.device = device or config.get_device()
        self._cursor = None
        self._peeked = None

    @property
    def num_batches(self):
        return self._steps if self._steps is not None else self._pass_length()

    def _pass_length(self):
        return None

    def _new_pass(self):
        raise NotImplementedError

    def _end_of_epoch(self):
        pass

    def _next_raw(self):
        """The next host batch, or None when the current pass is over (and no new one can start
        in this epoch)."""
        if self._peeked is not None:
            batch, self._peeked = self._peeked, None
            return batch
        if self._cursor is None:
            self._cursor = iter(self._new_pass())
        try:
            return next(self._cursor)
        except StopIteration:
            self._cursor = None
            return None

    def peek(self):
        """The next batch (on the device) without consuming it: used to build a model."""
        if self._peeked is None:
            self._peeked = self._next_raw()
        if self._peeked is None:
            raise ValueError("Expected at least one batch of data. Received: an empty input")
        return batch_to_device(self._peeked, self.device)

    def __iter__(self):
        produced, restarted = 0, False
        while self._steps is None or produced < self._steps:
            batch = self._next_raw()
            if batch is None:
                if self._steps is None or restarted or not self.can_restart:
                    break
                restarted = True
                continue
            restarted = False
            yield batch_to_device(batch, self.device, self._class_weight)
            produced += 1
        if produced == 0:
            warnings.warn(
                "Your input ran out of data; interrupting training. Make sure the input can generate "
                "at least `steps_per_epoch * epochs` batches.", stacklevel=user_stacklevel())
        elif self._steps is not None and produced < self._steps:
            warnings.warn(
                f"Your input ran out of data after {produced} of {self._steps} steps; the epoch "
                "ended early. Make sure the input can generate at least `steps_per_epoch * epochs` "
                "batches.", stacklevel=user_stacklevel())
        self._end_of_epoch()
