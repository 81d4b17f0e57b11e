"""`Variable`: Keras's variable, as a `torch.nn.Parameter` subclass.

Layer weights, optimizer hyper-parameters (`optimizer.learning_rate`) and metric states are all
`Variable`s. Being a `Parameter`, a weight is seen by torch (`parameters()`, `state_dict()`,
`torch.optim`); being a Keras variable, it has `assign`, `assign_add`, `numpy()`, `value`, `path`,
`trainable`, so Keras idioms such as `K.set_value(model.optimizer.lr, 0.01)` or
`v.assign(v * 0.5)` work. Operations on a `Variable` return plain tensors (as for any `Parameter`).

A weight stored in a torch layout (conv kernels) has `_keras_layout` set: `numpy()` and `assign()`
speak Keras's layout, `kerasish.backend.layouts` does the translation.
"""

import numpy as np
import torch
from torch import nn

from kerasish.backend import dtypes, numpy_dtypes
from kerasish.backend.state_scopes import get_stateless_scope


def _to_tensor(value, dtype=None):
    if isinstance(value, torch.Tensor):
        t = value.detach()
    else:
        arr = np.asarray(value)
        if dtype is None and arr.dtype == np.float64:
            arr = arr.astype(np.float32)
        t = numpy_dtypes.as_tensor(arr)
    if dtype is not None:
        t = t.to(dtypes.to_torch_dtype(dtype))
    return t


class Variable(nn.Parameter):
    """A Keras variable backed by a torch tensor.

    Args:
        initializer: initial value (tensor, array, number) or a callable `(shape, dtype) -> value`.
        shape: the shape, needed when `initializer` is callable.
        dtype: dtype name; defaults to the value's dtype (Python floats become float32).
        trainable: whether training updates it. Defaults to `True`.
        name: the variable's name.

    Example:

    >>> v = keras.Variable(np.ones((2,)), name="v")
    >>> v.shape, v.trainable
    (torch.Size([2]), True)
    >>> v.assign([2.0, 3.0])
    <Variable path=v, shape=(2,), dtype=float32, value=[2. 3.]>
    """

    def __new__(cls, initializer=None, shape=None, dtype=None, trainable=True, name=None, **kwargs):
        if isinstance(shape, bool) and isinstance(initializer, torch.Tensor):
            # Parameter's own protocol (`type(p)(data, requires_grad)`), used by deepcopy/to().
            trainable, shape = shape, None
        if callable(initializer) and not isinstance(initializer, torch.Tensor):
            value = initializer(tuple(shape), dtype=dtype)
        else:
            value = initializer if initializer is not None else 0.0
        data = _to_tensor(value, dtype)
        requires_grad = bool(trainable) and (data.is_floating_point() or data.is_complex())
        self = super().__new__(cls, data, requires_grad=requires_grad)
        self._keras_name = name or "variable"
        self._keras_trainable = bool(trainable)
        self._keras_layout = None
        self._keras_constraint = None
        self._keras_regularizer = None
        self._keras_layer = None
        return self

    def __init__(self, *args, **kwargs):
        pass

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(memory_format=torch.preserve_format), self.requires_grad)
        for key, value in self.__dict__.items():
            result.__dict__[key] = value
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, proto):
        raise TypeError("kerasish variables are not pickled; save weights with `save_weights`.")

    # ------------------------------------------------------------------ Keras API
    @property
    def value(self):
        return self

    @property
    def name(self):
        return self._keras_name

    @property
    def path(self):
        layer = getattr(self, "_keras_layer", None)
        return f"{layer}/{self._keras_name}" if layer else self._keras_name

    @property
    def trainable(self):
        return self._keras_trainable

    @trainable.setter
    def trainable(self, value):
        self._keras_trainable = bool(value)
        self.requires_grad_(bool(value))

    @property
    def overwrite_with_gradient(self):
        """Whether optimizers replace this variable's value with its gradient instead of
        updating it (Keras 3: float8 scaling factors and amax histories use it)."""
        return getattr(self, "_overwrite_with_gradient", False)

    @overwrite_with_gradient.setter
    def overwrite_with_gradient(self, value):
        if not isinstance(value, bool):
            raise TypeError("`overwrite_with_gradient` must be a boolean. "
                            f"Received: overwrite_with_gradient={value!r}")
        self._overwrite_with_gradient = value

    @property
    def constraint(self):
        return self._keras_constraint

    @property
    def regularizer(self):
        return self._keras_regularizer

    def _keras_view(self):
        from kerasish.backend import layouts

        return layouts.to_keras(self)

    def numpy(self, force=None):
        """The value in Keras's layout as a new numpy array (not a view of the variable)."""
        if force is not None:
            # torch's own `Tensor.numpy(force=...)` signature: torch internals (the ONNX exporter
            # reading constants) want the tensor as torch stores it, layout included.
            return torch.Tensor.numpy(self.detach(), force=force)
        from kerasish.backend import layouts

        return layouts.keras_numpy(self)

    def __array__(self, dtype=None, copy=None):
        arr = self.numpy()
        return arr.astype(dtype) if dtype is not None else arr

    def _stateless_update(self, value, op=None):
        """Inside a `StatelessScope`: records the new value in the scope; True when it did."""
        scope = get_stateless_scope()
        if scope is None:
            return False
        if op is not None:
            current = scope.get_current_value(self)
            base = current if current is not None else self.detach()
            value = op(base, torch.as_tensor(value, device=self.device, dtype=self.dtype))
        scope.add_update((self, value))
        return True

    def assign(self, value):
        from kerasish.backend import layouts

        if self._stateless_update(value):
            return self

        if isinstance(value, torch.Tensor):
            value = value.detach()
        else:
            value = numpy_dtypes.as_tensor(np.asarray(value))
        with torch.no_grad():
            keras_shape = layouts.keras_shape(self)
            if tuple(value.shape) != keras_shape:
                value = value.reshape(keras_shape) if value.numel() == np.prod(keras_shape) else \
                    value.expand(keras_shape)
            self.copy_(layouts.local_value(self, layouts.to_torch(
                self._keras_layout, value.to(device=self.device, dtype=self.dtype))))
        return self

    def assign_add(self, value):
        if self._stateless_update(value, torch.add):
            return self
        with torch.no_grad():
            self.add_(torch.as_tensor(value, device=self.device, dtype=self.dtype)
                      if not isinstance(value, torch.Tensor) else value.to(self.dtype))
        return self

    def assign_sub(self, value):
        if self._stateless_update(value, torch.sub):
            return self
        with torch.no_grad():
            self.sub_(torch.as_tensor(value, device=self.device, dtype=self.dtype)
                      if not isinstance(value, torch.Tensor) else value.to(self.dtype))
        return self

    def __repr__(self):
        return (f"<Variable path={self.path}, shape={tuple(self._keras_view().shape)}, "
                f"dtype={dtypes.dtype_name(self.dtype)}, value={self.numpy()}>")
