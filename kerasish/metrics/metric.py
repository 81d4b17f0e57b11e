"""`Metric` base class and the reduction metrics (`Mean`, `Sum`, `MeanMetricWrapper`).

Metric state is a list of `Variable`s that live on the model's device; `update_state` only issues
device ops, and `result()` returns a tensor, so no metric forces a host sync per step.
"""

import torch

from kerasish import initializers
from kerasish.backend import dtypes
from kerasish.backend.variables import Variable
from kerasish.utils.naming import auto_name


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
        self.name = name or auto_name(type(self))  # `auc`, `auc_1`, ... as Keras names them
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

    def _follow(self, tensor):
        """Moves the state to `tensor`'s device if it is elsewhere (a no-op after `_move_to`)."""
        device = getattr(tensor, "device", None)
        if device is not None and self._variables and self._variables[0].device != device:
            self._move_to(device)

    def _state_device(self):
        if self._device is not None:
            return self._device
        return self._variables[0].device if self._variables else None

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


def _to_float_tensor(x, like=None, dtype=None):
    if not isinstance(x, torch.Tensor):
        x = torch.as_tensor(x, device=like.device if like is not None else None)
    elif like is not None and x.device != like.device:
        x = x.to(like.device)
    target = dtypes.to_torch_dtype(dtype) if dtype is not None else (
        x.dtype if x.is_floating_point() else dtypes.to_torch_dtype(None))
    return x.to(target)


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Per-sample values (Keras's rule): values are reduced to the weights' rank, weighted, then
    reduced to one value per sample; weights of rank > 1 are reduced to one per sample too."""
    from kerasish.losses.loss import apply_mask, squeeze_or_expand_to_same_rank

    mask = getattr(values, "_keras_mask", None)
    values = _to_float_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = _to_float_tensor(sample_weight, values, dtype=values.dtype)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask.to(values.device), values.dtype, "sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        if values.ndim > sample_weight.ndim:
            values = reduce_fn(values, dim=tuple(range(sample_weight.ndim, values.ndim)))
        weight_ndim = sample_weight.ndim
        sample_weight = torch.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, dim=tuple(range(1, weight_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, dim=tuple(range(1, values.ndim)))
    return values, sample_weight


class Sum(Metric):
    """The running (weighted) sum of the given values.

    Args:
        name: the metric's name. Defaults to `"sum"`.
        dtype: dtype of the state.

    Example:

    ```python
    m = Sum()
    m.update_state([1.0, 3.0, 5.0])
    m.result()  # tensor(9.)
    ```
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), name="total")

    def update_state(self, values, sample_weight=None):
        self._follow(values)
        values, _ = reduce_to_samplewise_values(values, sample_weight, torch.sum, self.total.dtype)
        with torch.no_grad():
            self.total.add_(values.detach().sum().to(self.total.device))

    def result(self):
        return self.total.detach().clone()


class Mean(Metric):
    """The running (weighted) mean of the given values.

    Args:
        name: the metric's name. Defaults to `"mean"`.
        dtype: dtype of the state.

    Example:

    ```python
    m = Mean()
    m.update_state([1.0, 3.0], sample_weight=[1.0, 3.0])
    m.result()  # tensor(2.5)
    ```
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), name="total")
        self.count = self.add_variable(shape=(), name="count")

    def update_state(self, values, sample_weight=None):
        total = self.total
        if (sample_weight is None and type(values) is torch.Tensor and values.ndim == 1
                and values.dtype == total.dtype and values.device == total.device
                and getattr(values, "_keras_mask", None) is None):
            # The per-step case of every compiled mean metric: one value per sample, unweighted.
            with torch.no_grad():
                total.add_(values.sum())
                self.count.add_(values.shape[0])
            return
        self._follow(values)
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, torch.mean,
                                                            self.total.dtype)
        with torch.no_grad():
            self.total.add_(values.detach().sum().to(self.total.device))
            if sample_weight is not None:
                self.count.add_(sample_weight.detach().sum().to(self.count.device))
            else:
                self.count.add_(values.shape[0] if values.ndim >= 1 else 1)

    def result(self):
        return divide_no_nan(self.total.detach(), self.count.detach())


Reduce = Mean  # backwards-compatible name for the weighted mean


def divide_no_nan(num, den):
    """`num / den`, 0 where `den` is 0 (on the device, no sync)."""
    safe = torch.where(den != 0, den, torch.ones_like(den))
    return torch.where(den != 0, num / safe, torch.zeros_like(num / safe))


class MeanMetricWrapper(Mean):
    """A stateful metric from a function `fn(y_true, y_pred, **kwargs)` of per-sample values.

    Args:
        fn: the metric function.
        name: the metric's name. Defaults to the function's name.
        dtype: dtype of the state.
        **kwargs: keyword arguments passed to `fn`.

    Example:

    ```python
    m = MeanMetricWrapper(kerasish.losses.mean_absolute_error, name="mae")
    m.update_state([[0.0], [1.0]], [[1.0], [1.0]])
    m.result()  # tensor(0.5)
    ```
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", "mean_metric_wrapper"), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        from kerasish.losses.loss import _align, apply_mask

        mask = getattr(y_pred, "_keras_mask", None)
        y_true, y_pred = _align(y_true, y_pred)
        with torch.no_grad():
            values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if mask is not None:
            values = torch.as_tensor(values)
            sample_weight = apply_mask(
                None if sample_weight is None else _to_float_tensor(sample_weight, values),
                mask.to(values.device), values.dtype if values.is_floating_point() else torch.float32, "sum")
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype}
        if type(self) is MeanMetricWrapper:
            config["fn"] = getattr(self._fn, "__name__", None)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        fn = config.pop("fn", None)
        if cls is MeanMetricWrapper:
            if fn is None:
                raise ValueError(
                    f"A MeanMetricWrapper config needs its function's name under 'fn'. Received: config={config}"
                )
            from kerasish import losses, metrics

            if isinstance(fn, str):
                try:
                    fn = getattr(metrics, fn)
                except AttributeError:
                    fn = losses.get(fn)
            return cls(fn, **config)
        return cls(**config)
