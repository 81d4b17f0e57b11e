"""Connectionist temporal classification loss, with Keras's conventions.

Keras's `ctc(y_true, y_pred)` takes integer labels `(batch, max_label_length)` padded with 0, and
`y_pred` `(batch, time, num_classes)` that it passes through log-softmax. Class 0 is both the
padding and the CTC blank, a label's length is its count of non-zero entries, and every sequence
uses all `time` steps. `torch.nn.functional.ctc_loss` does the work.
"""

import torch
import torch.nn.functional as F

from kerasish.losses.loss import LossFunctionWrapper

__all__ = ["ctc", "CTC"]

_BLANK = 0


def ctc(y_true, y_pred):
    """Per-sample CTC loss (negative log-likelihood of the label sequence).

    Args:
        y_true: integer labels `(batch, max_label_length)`, 0-padded; 0 is the blank.
        y_pred: scores `(batch, time, num_classes)`; log-softmax is applied along the last axis.

    Example:

    ```python
    ctc(torch.tensor([[1, 2, 0]]), torch.randn(1, 6, 4))  # shape (1,)
    ```
    """
    y_pred = torch.as_tensor(y_pred)
    y_true = torch.as_tensor(y_true, device=y_pred.device)
    if y_true.ndim != 2:
        raise ValueError(
            "Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` in "
            f"integer format. Received: y_true.shape={tuple(y_true.shape)}"
        )
    if y_pred.ndim != 3:
        raise ValueError(
            "Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, "
            f"num_classes)`. Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    targets = y_true.long()
    label_length = torch.sum(targets != _BLANK, dim=-1)
    batch, time = y_pred.shape[0], y_pred.shape[1]
    input_length = torch.full((batch,), time, dtype=torch.long, device=y_pred.device)
    dtype = torch.promote_types(y_pred.dtype, torch.float32)
    log_probs = F.log_softmax(y_pred.to(dtype).transpose(0, 1), dim=-1)
    return F.ctc_loss(log_probs, targets, input_length, label_length, blank=_BLANK, reduction="none")


class CTC(LossFunctionWrapper):
    """CTC loss. Args: `reduction`, `name`, `dtype` (see `Loss`).

    Example:

    >>> y_true = ops.convert_to_tensor([[1, 2]])  # label ids; 0 is the blank
    >>> y_pred = ops.softmax(ops.zeros((1, 4, 3)))  # (batch, time, classes) probabilities
    >>> keras.losses.CTC()(y_true, y_pred)
    tensor(1.6864)
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, reduction=reduction, name=name, dtype=dtype)
