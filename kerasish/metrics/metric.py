"""`Metric` base class and the reduction metrics (`Mean`, `Sum`, `MeanMetricWrapper`).

Metric state is a list of `Variable`s that live on the model's device; `update_state` only issues
device ops, and `result()` returns a tensor, so no metric forces a host sync per step.
"""

import torch

from kerasish import initializers
from kerasish.backend import dtypes
from kerasish.backend.variables import Variable
from kerasish.utils.naming import to_snake_case


class Metric:
    """Base class: `update_state(...)`, `result()`, `reset_state()`.

    Example:

    ```python
    class TruePositives(kerasish.metrics.Metric):
        def __init__(self, name="tp", **kwargs):
            super().__init__(name=name, **kwargs)
            self.tp = self.add_variable(shape=(), initializer="zeros", name="tp")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.tp.assign_add(K.sum(K.cast((y_true == 1) & (y_pred > 0.5), "float32")))

        def result(self):
            return self.tp
    ```
    """

    def __init__(self, name=None, dtype=None):
        self.name = name or to_snake_case(type(self).__name__)
        self._dtype = dtypes.dtype_name(dtype) if dtype is not None else None
        self._variables = []
        self._device = None

    @property
    def dtype(self):
        return self._dtype or dtypes.dtype_name(None)

    @property
    def variables(self):
        return list(self._variables)

    def add_variable(self, shape=(), initializer="zeros", dtype=None, aggregation="sum", name=None):
        init = initializers.get(initializer)
        shape = tuple(shape) if shape is not None else ()
        value = init(shape, dtype=dtypes.to_torch_dtype(dtype or self.dtype))
        var = Variable(value if self._device is None else value.to(self._device), trainable=False,
                       name=name or "variable")
        var._keras_initial = value.clone()
        self._variables.append(var)
        return var

    def add_weight(self, name=None, shape=(), aggregation="sum", synchronization=None,
                   initializer="zeros", dtype=None):
        """Keras 2 spelling of `add_variable`."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    def _move_to(self, device):
        """Moves the state to `device` once (the trainer calls this before the first update)."""
        if self._device == device:
            return
        self._device = device
        for v in self._variables:
            v.data = v.data.to(device)
        for value in vars(self).values():
            if isinstance(value, Metric):
                value._move_to(device)

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def reset_state(self):
        with torch.no_grad():
            for v in self._variables:
                v.data.copy_(v._keras_initial.to(v.device))

    reset_states = reset_state  # Keras 2 spelling

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def _to_float_tensor(x, like=None):
    if not isinstance(x, torch.Tensor):
        x = torch.as_tensor(x, device=like.device if like is not None else None)
    if not x.is_floating_point():
        x = x.to(dtypes.to_torch_dtype(None))
    return x


class Reduce(Metric):
    """Sums (`"sum"`) or averages (`"weighted_mean"`) values over the updates."""

    def __init__(self, reduction, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.reduction = reduction
        self.total = self.add_variable(shape=(), name="total")
        if reduction == "weighted_mean":
            self.count = self.add_variable(shape=(), name="count")

    def update_state(self, values, sample_weight=None):
        values = _to_float_tensor(values)
        if values.device != self.total.device:
            self._move_to(values.device)
        if sample_weight is None:
            with torch.no_grad():
                self.total.add_(values.detach().sum())
                if self.reduction == "weighted_mean":
                    self.count.add_(values.numel())
            return
        from kerasish.losses.loss import squeeze_or_expand_to_same_rank

        sample_weight = _to_float_tensor(sample_weight, values).to(values.device, values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        sample_weight = torch.broadcast_to(sample_weight, values.shape) if sample_weight.ndim <= values.ndim \
            else sample_weight
        with torch.no_grad():
            self.total.add_((values.detach() * sample_weight).sum())
            if self.reduction == "weighted_mean":
                self.count.add_(sample_weight.sum())

    def result(self):
        if self.reduction == "sum":
            return self.total.detach().clone()
        return torch.where(self.count > 0, self.total / self.count.clamp(min=1e-12),
                           torch.zeros_like(self.total))

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class Sum(Reduce):
    """The running sum of the given values."""

    def __init__(self, name="sum", dtype=None):
        super().__init__("sum", name=name, dtype=dtype)


class Mean(Reduce):
    """The running (weighted) mean of the given values."""

    def __init__(self, name="mean", dtype=None):
        super().__init__("weighted_mean", name=name, dtype=dtype)


class MeanMetricWrapper(Mean):
    """A stateful metric from a function `fn(y_true, y_pred, **kwargs)` of per-sample values."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", "mean_metric_wrapper"), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        from kerasish.losses.loss import _align

        mask = getattr(y_pred, "_keras_mask", None)
        y_true, y_pred = _align(y_true, y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if mask is not None:
            from kerasish.losses.loss import squeeze_or_expand_to_same_rank

            mask = mask.to(values.dtype if values.is_floating_point() else torch.float32)
            if sample_weight is None:
                sample_weight = mask
            else:
                mask, sample_weight = squeeze_or_expand_to_same_rank(mask, torch.as_tensor(sample_weight))
                sample_weight = sample_weight * mask
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype}
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        if cls is MeanMetricWrapper:
            raise ValueError("A MeanMetricWrapper needs its function: deserialize its subclass instead.")
        return cls(**config)
