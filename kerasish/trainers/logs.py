"""Logs that stay on the device until someone reads them."""

from collections.abc import Mapping

import numpy as np
import torch

from kerasish.metrics.metric import Metric


class LossTracker(Metric):
    """The running mean of the loss, weighted by batch size, as Keras reports it.

    The sum lives on the device; the sample count is known on the host, so an update is one
    device op.
    """

    def __init__(self, name="loss"):
        super().__init__(name=name)
        self.total = self.add_variable(shape=(), name="total")
        self.count = 0

    def update(self, loss, batch_size):
        if loss.device != self.total.device:
            self._move_to(loss.device)
        self.total.add_(loss.detach().to(self.total.dtype), alpha=batch_size)
        self.count += batch_size

    def update_state(self, values, sample_weight=None):
        values = torch.as_tensor(values)
        n = 1 if sample_weight is None else float(sample_weight)
        self.update(values.float().sum() if values.ndim else values.float(), n)

    def result(self):
        return self.total / max(self.count, 1)

    def reset_state(self):
        super().reset_state()
        self.count = 0


def to_numbers(logs):
    """Tensors -> Python floats (one host sync for all of them)."""
    keys = list(logs)
    values = [logs[k] for k in keys]
    tensors = [v for v in values if isinstance(v, torch.Tensor)]
    if tensors:
        stacked = torch.stack([t.detach().reshape(()).float() if t.numel() == 1 else t.detach().float().mean()
                               for t in tensors]).cpu().tolist()
        it = iter(stacked)
        values = [next(it) if isinstance(v, torch.Tensor) else v for v in values]
    out = {}
    for k, v in zip(keys, values):
        if isinstance(v, np.ndarray) and v.size == 1:
            v = float(v)
        elif isinstance(v, (np.floating, np.integer)):
            v = float(v)
        out[k] = v
    return out


def keras_log_order(logs):
    """The keys in the order of Keras 3's `fit`/`evaluate` logs and `History`: sorted (Keras 3
    sorts them when it turns the logs into numbers)."""
    return dict(sorted(logs.items()))


class LazyLogs(Mapping):
    """A read-only dict of the model's current metric values, computed on first access."""

    __slots__ = ("_model", "_values")

    def __init__(self, model):
        self._model = model
        self._values = None

    def _get(self):
        if self._values is None:
            self._values = keras_log_order(to_numbers(self._model.get_metrics_result()))
        return self._values

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __len__(self):
        return len(self._get())

    def __repr__(self):
        return repr(self._get())
