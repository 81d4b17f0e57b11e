"""`Loss` base class: per-sample values from `call`, then masking, sample weights and reduction,
handled once here as Keras does."""

import torch

from kerasish.backend import dtypes
from kerasish.backend.config import epsilon

_REDUCTIONS = ("sum", "sum_over_batch_size", "mean", "mean_with_sample_weight", "none", None, "auto")


class Loss:
    """Base class of losses.

    Subclasses implement `call(y_true, y_pred)` returning per-sample losses; `__call__` applies
    `sample_weight`, the output mask and the reduction.

    Args:
        name: the loss's name.
        reduction: `"sum_over_batch_size"` (default: sum divided by the number of elements),
            `"sum"`, `"mean_with_sample_weight"` (sum divided by the sum of the weights) or `"none"`.
        dtype: dtype of the computation. Defaults to `floatx()`.
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if reduction not in _REDUCTIONS:
            raise ValueError(
                f"Invalid value for argument `reduction`. Expected one of {_REDUCTIONS}. "
                f"Received: reduction={reduction}"
            )
        self.name = name or _snake(type(self).__name__)
        self.reduction = "sum_over_batch_size" if reduction == "auto" else reduction
        self.dtype = dtype

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def __call__(self, y_true, y_pred, sample_weight=None):
        mask = getattr(y_pred, "_keras_mask", None)
        y_true, y_pred = _align(y_true, y_pred)
        losses = self.call(y_true, y_pred)
        return reduce_weighted_values(losses, sample_weight, mask, self.reduction)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("fn", None)
        return cls(**config)


def _snake(name):
    from kerasish.utils.naming import to_snake_case

    return to_snake_case(name)


def _align(y_true, y_pred):
    """Tensors on y_pred's device; float targets take y_pred's dtype (Keras casts them)."""
    if not isinstance(y_pred, torch.Tensor):
        y_pred = torch.as_tensor(y_pred, dtype=dtypes.to_torch_dtype(None))
    if not isinstance(y_true, torch.Tensor):
        y_true = torch.as_tensor(y_true, device=y_pred.device)
    elif y_true.device != y_pred.device:
        y_true = y_true.to(y_pred.device)
    if y_true.dtype != y_pred.dtype and y_pred.is_floating_point() and (
        y_true.is_floating_point() or y_true.dtype == torch.bool
    ):
        y_true = y_true.to(y_pred.dtype)
    return y_true, y_pred


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes ranks equal by squeezing or adding a trailing size-1 axis (Keras's rule)."""
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            return x1, x2.unsqueeze(-1)
        return x1.squeeze(-1), x2
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            return x1.unsqueeze(-1), x2
        return x1, x2.squeeze(-1)
    return x1, x2


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    if reduction is None or reduction == "none":
        return values
    loss = torch.sum(values)
    if reduction in ("sum_over_batch_size", "mean"):
        return loss / max(values.numel(), 1)
    if reduction == "mean_with_sample_weight":
        if sample_weight is not None:
            return loss / torch.sum(sample_weight.expand_as(values) if sample_weight.shape != values.shape
                                    else sample_weight).clamp(min=1e-12)
        return loss / max(values.numel(), 1)
    return loss


def reduce_weighted_values(values, sample_weight=None, mask=None, reduction="sum_over_batch_size",
                           dtype=None):
    """Applies the mask and sample weights to per-sample `values`, then reduces them."""
    if mask is not None:
        mask = mask.to(device=values.device, dtype=values.dtype)
        if reduction in ("sum_over_batch_size", "mean"):
            # Valid entries get weight total/valid, masked ones 0 (Keras's rule).
            mask = mask * (mask.numel() / (torch.sum(mask) + epsilon()))
        if sample_weight is not None:
            sample_weight = torch.as_tensor(sample_weight, device=values.device).to(values.dtype)
            mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
            sample_weight = sample_weight * mask
        else:
            sample_weight = mask
    if sample_weight is not None:
        if not isinstance(sample_weight, torch.Tensor):
            sample_weight = torch.as_tensor(sample_weight, device=values.device)
        sample_weight = sample_weight.to(device=values.device, dtype=values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


class LossFunctionWrapper(Loss):
    """A `Loss` built from a function `fn(y_true, y_pred, **kwargs)` of per-sample losses."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config.update(self._fn_kwargs)
        return config

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"
