"""Reading and setting an optimizer's learning rate, for kerasish and `torch.optim` optimizers."""

import torch


def get_lr(optimizer):
    """The current learning rate as a Python float (a 0-d CPU value: no device sync)."""
    if isinstance(optimizer, torch.optim.Optimizer):
        return float(optimizer.param_groups[0]["lr"])
    if not hasattr(optimizer, "learning_rate"):
        raise ValueError(
            'Optimizer must have a "learning_rate" attribute. '
            f"Received: optimizer={type(optimizer).__name__}"
        )
    return float(optimizer.learning_rate)


def set_lr(optimizer, value):
    """Sets the learning rate; the next optimizer step uses it."""
    if isinstance(optimizer, torch.optim.Optimizer):
        for group in optimizer.param_groups:
            group["lr"] = float(value)
        return
    optimizer.learning_rate = float(value)
