"""How the loops execute on a device: optimizer state that follows the model, `steps_per_execution`
grouping, and `predict` outputs streamed to host memory.

`predict` over data larger than the device must not keep every output on the device: each batch's
outputs are copied to host memory as they are produced (non-blocking copies into a pinned buffer on
CUDA), so device memory holds one batch at a time and the copies overlap the next batch's compute.
"""

import numpy as np
import torch

from kerasish.trainers import data_adapters


def follow_parameters(optimizer):
    """Moves an optimizer's state to the devices of the parameters it updates.

    Called after the model moved (`model.to("cuda")`); costs nothing when nothing moved.

    Args:
        optimizer: a kerasish `Optimizer`, a `torch.optim.Optimizer`, or None.

    Example:

    ```python
    model.to("cuda")                       # calls follow_parameters(model.optimizer)
    ```
    """
    if optimizer is None:
        return
    if isinstance(optimizer, torch.optim.Optimizer):
        for param, state in optimizer.state.items():
            for key, value in state.items():
                # torch keeps the scalar `step` on the host unless capturable/fused.
                if isinstance(value, torch.Tensor) and value.dim() and value.device != param.device:
                    state[key] = value.to(param.device)
        return
    if getattr(optimizer, "built", False) and hasattr(optimizer, "_follow_variables"):
        optimizer._follow_variables()


def check_steps_per_execution(value):
    """`steps_per_execution` as a positive int (Keras's default is 1)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(
            "`steps_per_execution` must be a positive integer. "
            f"Received: steps_per_execution={value!r}")
    return int(value)


def grouped_steps(batches, steps_per_execution):
    """Yields `(first_step, last_step, batches)`: the batches one callback dispatch covers.

    Keras calls `on_*_batch_begin(first_step)` and `on_*_batch_end(last_step, logs)` once per
    execution of `steps_per_execution` steps.

    Example:

    ```python
    list(grouped_steps("abcde", 2))  # [(0, 1, ['a', 'b']), (2, 3, ['c', 'd']), (4, 4, ['e'])]
    ```
    """
    if steps_per_execution == 1:
        for step, batch in enumerate(batches):
            yield step, step, (batch,)
        return
    group, first = [], 0
    for step, batch in enumerate(batches):
        if not group:
            first = step
        group.append(batch)
        if len(group) == steps_per_execution:
            yield first, step, group
            group = []
    if group:
        yield first, first + len(group) - 1, group


class HostOutputs:
    """Collects `predict` outputs batch by batch in host memory.

    On CUDA each output goes through a non-blocking copy into pinned host memory (one buffer of
    `total_rows` rows per output when the row count is known, else one pinned block per batch),
    and the device holds only the batch in flight. On the CPU the outputs are kept as they are.

    Args:
        device: the device the model computes on.
        total_rows: the expected number of output rows (the input's samples), or None.
        stream: copy outputs to the host per batch. Defaults to `device` not being the CPU.
        pin: copy into pinned memory (non-blocking). Defaults to `device` being CUDA.

    Example:

    ```python
    outputs = HostOutputs(torch.device("cpu"))
    outputs.add(torch.ones(2, 3)); outputs.add(torch.zeros(1, 3))
    outputs.result().shape  # (3, 3)
    ```
    """

    def __init__(self, device, total_rows=None, stream=None, pin=None):
        self.device = torch.device(device)
        self.stream = self.device.type != "cpu" if stream is None else stream
        self.pin = self.device.type == "cuda" if pin is None else pin
        self.total_rows = total_rows
        self._rebuild = None
        self._chunks = None   # per leaf: host tensors that did not fit the buffer
        self._buffers = None  # per leaf: one host tensor of `total_rows` rows
        self._filled = 0
        self._raw = []        # outputs kept as they are (no streaming)

    def add(self, outputs):
        if not self.stream:
            self._raw.append(outputs)
            return
        leaves, rebuild = data_adapters.flatten_structure(outputs)
        if self._rebuild is None:
            self._rebuild = rebuild
            self._chunks = [[] for _ in leaves]
            self._buffers = self._allocate(leaves)
        rows = int(leaves[0].shape[0]) if leaves and leaves[0].dim() else 0
        fits = self._buffers is not None and self._filled + rows <= self.total_rows \
            and not any(c for c in self._chunks)
        for i, leaf in enumerate(leaves):
            if fits:
                self._buffers[i][self._filled:self._filled + rows].copy_(leaf, non_blocking=self.pin)
            else:
                host = torch.empty(leaf.shape, dtype=leaf.dtype, pin_memory=self.pin)
                self._chunks[i].append(host.copy_(leaf, non_blocking=self.pin))
        if fits:
            self._filled += rows

    def _allocate(self, leaves):
        if not self.total_rows or not all(leaf.dim() for leaf in leaves):
            return None
        return [torch.empty((self.total_rows,) + tuple(leaf.shape[1:]), dtype=leaf.dtype,
                            pin_memory=self.pin) for leaf in leaves]

    def result(self):
        """The outputs as numpy arrays, in the model's output structure (waits for the copies)."""
        if not self.stream:
            from kerasish.trainers.trainer_utils import concat_outputs as _concat_outputs

            return _concat_outputs(self._raw)
        if self._rebuild is None:
            return np.zeros((0,))
        if self.pin and self.device.type == "cuda":
            torch.cuda.current_stream(self.device).synchronize()  # the copies were non-blocking
        leaves = []
        for i, chunks in enumerate(self._chunks):
            parts = [self._buffers[i][:self._filled]] if self._buffers is not None else []
            parts += chunks
            leaves.append((torch.cat(parts) if len(parts) > 1 else parts[0]).numpy())
        out = self._rebuild(leaves)
        return list(out) if isinstance(out, tuple) else out
