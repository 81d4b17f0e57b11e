"""`Loss` base class: per-sample values from `call`, then masking, sample weights and reduction,
handled once here as Keras does."""

import torch

from kerasish.backend import dtypes

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

    Example:

    >>> class MeanAbsolute(keras.losses.Loss):
    ...     def call(self, y_true, y_pred):
    ...         return ops.mean(ops.abs(y_true - y_pred), axis=-1)
    >>> MeanAbsolute()(ops.convert_to_tensor([[0.0, 1.0]]), ops.convert_to_tensor([[1.0, 1.0]]))
    tensor(0.5000)
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if reduction not in _REDUCTIONS:
            raise ValueError(
                f"Invalid value for argument `reduction`. Expected one of {_REDUCTIONS}. "
                f"Received: reduction={reduction}"
            )
        self.name = name or _auto_name(type(self))
        self.reduction = "sum_over_batch_size" if reduction == "auto" else reduction
        self.dtype = dtype

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def __call__(self, y_true, y_pred, sample_weight=None):
        in_mask = getattr(y_pred, "_keras_mask", None)
        y_true, y_pred = _align(y_true, y_pred, cast_targets=True)
        losses = self.call(y_true, y_pred)
        out_mask = getattr(losses, "_keras_mask", None)
        if in_mask is not None and out_mask is not None:
            mask = in_mask.bool() & out_mask.bool()
        else:
            mask = in_mask if in_mask is not None else out_mask
        return reduce_weighted_values(losses, sample_weight, mask, self.reduction)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("fn", None)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name} reduction={self.reduction}>"


def _auto_name(cls):
    from kerasish.utils.naming import auto_name

    return auto_name(cls)


def _align(y_true, y_pred, cast_targets=False):
    """Tensors on y_pred's device; float targets take y_pred's dtype (Keras casts them).

    With `cast_targets`, integer targets are cast too, as `Loss.__call__` does in Keras.
    """
    if not isinstance(y_pred, torch.Tensor):
        y_pred = torch.as_tensor(y_pred, dtype=dtypes.to_torch_dtype(None))
    if not isinstance(y_true, torch.Tensor):
        y_true = torch.as_tensor(y_true, device=y_pred.device)
    elif y_true.device != y_pred.device:
        y_true = y_true.to(y_pred.device)
    if y_true.dtype != y_pred.dtype and y_pred.is_floating_point() and (
        cast_targets or y_true.is_floating_point() or y_true.dtype == torch.bool
    ):
        y_true = y_true.to(y_pred.dtype)
    return y_true, y_pred


def _carry_logits(new, old, op):
    """Keeps the `_keras_logits` tag (see activations) through a reshape of `old` into `new`."""
    logits = getattr(old, "_keras_logits", None)
    if logits is not None and new is not old:
        new._keras_logits = op(logits)
        new._keras_logits_kind = getattr(old, "_keras_logits_kind", None)
    return new


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes ranks equal by squeezing or adding a trailing size-1 axis (Keras's rule).

    Example:

    >>> squeeze_or_expand = keras.losses.squeeze_or_expand_to_same_rank
    >>> y_true, y_pred = squeeze_or_expand(ops.ones((4, 1)), ops.ones((4,)))
    >>> y_true.shape, y_pred.shape
    (torch.Size([4, 1]), torch.Size([4, 1]))
    """
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            return x1, _reshaped(x2, lambda t: t.unsqueeze(-1))
        return _reshaped(x1, lambda t: t.squeeze(-1)), x2
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            return _reshaped(x1, lambda t: t.unsqueeze(-1)), x2
        return x1, _reshaped(x2, lambda t: t.squeeze(-1))
    return x1, x2


def _reshaped(x, op):
    return _carry_logits(op(x), x, op)


_EXACT_COUNT_DTYPES = (torch.float32, torch.float64)


def _divide_no_nan(num, den):
    if isinstance(den, float) and num.dtype in _EXACT_COUNT_DTYPES:
        # A Python count: one division instead of five tensor ops (a per-step saving); the count
        # is exact in these dtypes, so this is the same division as by a 0-d tensor.
        return num / den if den != 0 else torch.zeros_like(num)
    den = torch.as_tensor(den, dtype=num.dtype, device=num.device)
    return torch.where(den != 0, num / torch.where(den != 0, den, torch.ones_like(den)), torch.zeros_like(num))


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Sums `values`; `sum_over_batch_size`/`mean` divide by their count and
    `mean_with_sample_weight` by the sum of the weights (0 when the divisor is 0)."""
    if reduction is None or reduction == "none" or values.ndim == 0 or tuple(values.shape) == (0,):
        return values
    loss = torch.sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return _divide_no_nan(loss, torch.sum(sample_weight).to(loss.dtype))
    return _divide_no_nan(loss, float(values.numel()))


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds an output mask into the sample weights; for mean reductions valid entries weigh
    `total / valid` so that the mean is over the valid entries only (Keras's rule)."""
    if mask is None:
        return sample_weight
    if reduction in ("mean", "sum_over_batch_size"):
        valid = torch.sum(mask.to(dtype))
        weight = _divide_no_nan(torch.tensor(float(mask.numel()), dtype=dtype, device=mask.device), valid)
        float_mask = torch.where(mask.bool(), weight, torch.zeros((), dtype=dtype, device=mask.device))
    else:
        float_mask = mask.to(dtype)
    if sample_weight is None:
        return float_mask
    sample_weight = torch.as_tensor(sample_weight, device=float_mask.device).to(dtype)
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return sample_weight * float_mask


def reduce_weighted_values(values, sample_weight=None, mask=None, reduction="sum_over_batch_size",
                           dtype=None):
    """Applies the mask and sample weights to per-sample `values`, then reduces them.

    Example:

    >>> values = ops.convert_to_tensor([1.0, 2.0, 3.0])
    >>> weights = ops.convert_to_tensor([1.0, 0.0, 1.0])
    >>> keras.losses.reduce_weighted_values(values, sample_weight=weights)
    tensor(1.3333)
    >>> keras.losses.reduce_weighted_values(values, reduction="sum")
    tensor(6.)
    """
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {_REDUCTIONS}. "
            f"Received: reduction={reduction}"
        )
    if not isinstance(values, torch.Tensor):
        values = torch.as_tensor(values, dtype=dtypes.to_torch_dtype(dtype))
    if mask is not None:
        mask = torch.as_tensor(mask, device=values.device)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        sample_weight = torch.as_tensor(sample_weight, device=values.device).to(values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


class LossFunctionWrapper(Loss):
    """A `Loss` built from a function `fn(y_true, y_pred, **kwargs)` of per-sample losses.

    Args:
        fn: the loss function.
        reduction: see `Loss`.
        name: the loss's name. Defaults to the function's name.
        dtype: dtype of the computation.
        **kwargs: keyword arguments passed to `fn`.

    Example:

    ```python
    loss = LossFunctionWrapper(kerasish.losses.huber, delta=2.0)
    loss(torch.zeros(4, 1), torch.ones(4, 1))
    ```
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        if type(self) is LossFunctionWrapper:
            config["fn"] = getattr(self.fn, "__name__", None)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        fn = config.pop("fn", None)
        if cls is LossFunctionWrapper:
            if fn is None:
                raise ValueError(
                    f"A LossFunctionWrapper config needs the function's name under 'fn'. Received: config={config}"
                )
            from kerasish import losses

            return cls(losses.get(fn) if isinstance(fn, str) else fn, **config)
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"
