"""Rank 0's training state, sent to every rank (used when `BackupAndRestore` resumes under torchrun).

Only rank 0 reads the backup, so the ranks need no shared filesystem; the others receive the
resume epoch, the weights and the optimizer state by broadcast, so every rank resumes at the same
epoch from the same state.
"""

import torch
import torch.distributed as dist


def _device(model):
    # nccl broadcasts device tensors; gloo accepts either.
    return model._model_device()


def broadcast_int(value, model):
    """Rank 0's `value` (an int), on every rank.

    Example:

    ```python
    epoch = broadcast_int(epoch if is_chief() else -1, model)
    ```
    """
    t = torch.tensor([int(value)], dtype=torch.int64, device=_device(model))
    dist.broadcast(t, src=0)
    return int(t[0])


def broadcast_training_state(model):
    """Overwrites every rank's weights and kerasish optimizer state with rank 0's, in place."""
    with torch.no_grad():
        for tensor in model.state_dict().values():
            dist.broadcast(tensor, src=0)
        optimizer = getattr(model, "optimizer", None)
        if optimizer is None or isinstance(optimizer, torch.optim.Optimizer):
            return
        inner = getattr(optimizer, "inner_optimizer", optimizer)
        for slot in inner.variables:
            dist.broadcast(slot.data, src=0)
        _broadcast_scalars(optimizer, inner, _device(model))


def _broadcast_scalars(optimizer, inner, device):
    lr_var = inner._lr_var if inner._lr_schedule is None else None
    values = [float(inner._iterations), float(lr_var) if lr_var is not None else 0.0,
              float(getattr(optimizer, "_scale", 0.0)), float(getattr(optimizer, "_good_steps", 0))]
    values += [float(v) for v in inner._host_state()]  # Nadam's momentum cache
    t = torch.tensor(values, dtype=torch.float64, device=device)
    dist.broadcast(t, src=0)
    iterations, lr, scale, good_steps, *host = t.tolist()
    if host:
        inner._set_host_state(host)
    inner._iterations = int(iterations)
    if lr_var is not None:
        lr_var.assign(lr)
    if hasattr(optimizer, "_scale"):
        optimizer._scale, optimizer._good_steps = scale, int(good_steps)
