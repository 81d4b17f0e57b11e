"""The classic `keras.backend` functions, on torch tensors.

Keras 2 code uses these inside custom losses, metrics and Lambda layers (`K.mean(y_pred)`,
`K.clip(x, K.epsilon(), 1)`, ...). Each takes tensors, arrays or numbers and returns a torch tensor;
`axis` and `keepdims` follow Keras (and numpy) meaning.
"""

import numpy as np
import torch

from kerasish.backend import config, dtypes, layouts
from kerasish.backend.symbolic import route_symbolic
from kerasish.backend.variables import Variable

__all__ = [
    "convert_to_tensor", "is_tensor", "is_keras_tensor", "mean", "sum", "max", "min", "prod",
    "square", "sqrt", "abs", "exp", "log", "sign", "clip", "cast", "round", "argmax", "argmin",
    "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "maximum", "minimum",
    "pow", "dot", "batch_dot", "transpose", "reshape", "concatenate", "stack", "expand_dims",
    "squeeze", "flatten", "batch_flatten", "shape", "int_shape", "ndim", "dtype", "ones", "zeros",
    "eye", "ones_like", "zeros_like", "constant", "variable", "get_value", "set_value",
    "batch_get_value", "batch_set_value", "random_normal", "random_uniform", "random_binomial",
    "truncated_normal", "std", "var", "any", "all", "cumsum", "cumprod", "logsumexp", "arange",
    "count_params", "cos", "sin", "floor", "ceil", "zeros_like", "cast_to_floatx",
]


def _t(x):
    """Tensor view of x (numbers and arrays become tensors; floats default to floatx)."""
    if isinstance(x, torch.Tensor):
        return x
    return convert_to_tensor(x)


_WIDE_UNSIGNED = (np.uint16, np.uint32, np.uint64)  # no torch dtype: become int64


def convert_to_tensor(x, dtype=None, device=None):
    """A tensor from a tensor, array, list or number, with Keras's dtype rules: float64 data
    becomes `floatx()` unless `dtype` says otherwise; arrays share memory where they can."""
    if isinstance(x, torch.Tensor):
        t = x
    else:
        arr = np.asarray(x)
        if arr.dtype == object:
            raise TypeError(
                "Expected numeric data (numpy arrays, torch tensors or nested lists of numbers). "
                "Received: an array of Python objects (dtype=object)."
            )
        if arr.dtype == np.float64 and dtype is None:
            arr = arr.astype(config.floatx())
        elif arr.dtype.type in _WIDE_UNSIGNED:
            arr = arr.astype(np.int64)
        t = torch.from_numpy(np.ascontiguousarray(arr))
    if dtype is not None:
        t = t.to(dtypes.to_torch_dtype(dtype))
    if device is not None:
        t = t.to(device)
    return t


def is_tensor(x):
    return isinstance(x, torch.Tensor)


def is_keras_tensor(x):
    from kerasish.backend.keras_tensor import KerasTensor

    return isinstance(x, KerasTensor)


def _axis(axis):
    if axis is None:
        return None
    if isinstance(axis, (list, tuple)):
        return tuple(axis)
    return axis


def _reduce(fn, x, axis, keepdims):
    x = _t(x)
    axis = _axis(axis)
    if axis is None:
        out = fn(x)
        return out.reshape([1] * x.ndim) if keepdims else out
    return fn(x, dim=axis, keepdim=keepdims)


def mean(x, axis=None, keepdims=False):
    x = _t(x)
    if not x.is_floating_point():
        x = x.to(dtypes.to_torch_dtype(None))
    return _reduce(torch.mean, x, axis, keepdims)


def sum(x, axis=None, keepdims=False):
    return _reduce(torch.sum, x, axis, keepdims)


def prod(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None:
        out = torch.prod(x)
        return out.reshape([1] * x.ndim) if keepdims else out
    for a in sorted(np.atleast_1d(axis).tolist(), reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims)
    return x


def max(x, axis=None, keepdims=False):
    return _reduce(torch.amax, x, axis, keepdims)


def min(x, axis=None, keepdims=False):
    return _reduce(torch.amin, x, axis, keepdims)


def var(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None:
        out = torch.var(x, unbiased=False)
        return out.reshape([1] * x.ndim) if keepdims else out
    return torch.var(x, dim=_axis(axis), unbiased=False, keepdim=keepdims)


def std(x, axis=None, keepdims=False):
    return torch.sqrt(var(x, axis, keepdims))


def any(x, axis=None, keepdims=False):
    x = _t(x).bool()
    return x.any() if axis is None else torch.any(x, dim=axis, keepdim=keepdims)


def all(x, axis=None, keepdims=False):
    x = _t(x).bool()
    return x.all() if axis is None else torch.all(x, dim=axis, keepdim=keepdims)


def logsumexp(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None:
        return torch.logsumexp(x.reshape(-1), dim=0)
    return torch.logsumexp(x, dim=_axis(axis), keepdim=keepdims)


def cumsum(x, axis=0):
    return torch.cumsum(_t(x), dim=axis)


def cumprod(x, axis=0):
    return torch.cumprod(_t(x), dim=axis)


def square(x):
    return torch.square(_t(x))


def sqrt(x):
    # Keras 2 clips negatives to 0 before the root.
    return torch.sqrt(torch.clamp(_t(x), min=0.0))


def abs(x):
    return torch.abs(_t(x))


def exp(x):
    return torch.exp(_t(x))


def log(x):
    return torch.log(_t(x))


def sign(x):
    return torch.sign(_t(x))


def cos(x):
    return torch.cos(_t(x))


def sin(x):
    return torch.sin(_t(x))


def floor(x):
    return torch.floor(_t(x))


def ceil(x):
    return torch.ceil(_t(x))


def round(x):
    return torch.round(_t(x))  # half to even, as Keras


def clip(x, min_value, max_value):
    if max_value is not None and min_value is not None and max_value < min_value:
        max_value = min_value
    return torch.clamp(_t(x), min=min_value, max=max_value)


def cast(x, dtype):
    return _t(x).to(dtypes.to_torch_dtype(dtype))


def cast_to_floatx(x):
    return np.asarray(x, dtype=config.floatx())


def argmax(x, axis=-1):
    return torch.argmax(_t(x), dim=axis)


def argmin(x, axis=-1):
    return torch.argmin(_t(x), dim=axis)


def _binary(fn):
    def op(x, y):
        x, y = _t(x), y if isinstance(y, (int, float)) else _t(y)
        return fn(x, y)

    op.__name__ = fn.__name__
    return op


equal = _binary(torch.eq)
not_equal = _binary(torch.ne)
greater = _binary(torch.gt)
greater_equal = _binary(torch.ge)
less = _binary(torch.lt)
less_equal = _binary(torch.le)


def maximum(x, y):
    return torch.maximum(_t(x), _t(y).to(_t(x).dtype))


def minimum(x, y):
    return torch.minimum(_t(x), _t(y).to(_t(x).dtype))


def pow(x, a):
    return torch.pow(_t(x), a)


def dot(x, y):
    """Keras 2 `K.dot`: for N-D tensors, contracts x's last axis with y's second-to-last."""
    x, y = _t(x), _t(y)
    if x.ndim <= 2 and y.ndim <= 2:
        return torch.matmul(x, y)
    if y.ndim == 2:
        return torch.matmul(x, y)
    y_perm = y.movedim(-2, 0)  # (k, ..., n)
    out = torch.tensordot(x, y_perm, dims=([x.ndim - 1], [0]))
    return out


def batch_dot(x, y, axes=None):
    """Keras 2 `K.batch_dot`: per-sample dot product over the given axes."""
    x, y = _t(x), _t(y)
    if isinstance(axes, int):
        axes = (axes, axes)
    if axes is None:
        axes = (x.ndim - 1, y.ndim - 2 if y.ndim > 2 else y.ndim - 1)
    ax, ay = [a % t.ndim for a, t in zip(axes, (x, y))]
    if ax == 0 or ay == 0:
        raise ValueError(f"Cannot perform batch_dot over axis 0 (the batch axis). Received: axes={axes}")
    x_expanded = x.ndim == 2
    y_expanded = y.ndim == 2
    if x_expanded:
        x = x.unsqueeze(-1) if ax == 1 else x
        ax = 1
    if y_expanded:
        y = y.unsqueeze(-1)
        ay = 1
    xm = x.movedim(ax, -1)
    ym = y.movedim(ay, 1)
    x_rest, y_rest = xm.shape[1:-1], ym.shape[2:]
    out = torch.bmm(xm.reshape(xm.shape[0], -1, xm.shape[-1]), ym.reshape(ym.shape[0], ym.shape[1], -1))
    out = out.reshape((x.shape[0],) + tuple(x_rest) + tuple(y_rest))
    if out.ndim == 1:
        out = out.unsqueeze(-1)
    if x_expanded and y_expanded:
        out = out.reshape(x.shape[0], 1)
    return out


def transpose(x):
    x = _t(x)
    return x.permute(*reversed(range(x.ndim)))


def reshape(x, shape):
    return torch.reshape(_t(x), tuple(-1 if s is None else int(s) for s in shape))


def concatenate(tensors, axis=-1):
    return torch.cat([_t(t) for t in tensors], dim=axis)


def stack(x, axis=0):
    return torch.stack([_t(t) for t in x], dim=axis)


def expand_dims(x, axis=-1):
    return torch.unsqueeze(_t(x), axis)


def squeeze(x, axis):
    return torch.squeeze(_t(x), axis)


def flatten(x):
    return torch.reshape(_t(x), (-1,))


def batch_flatten(x):
    x = _t(x)
    return torch.reshape(x, (x.shape[0], -1))


def shape(x):
    """The dynamic shape, as an int64 tensor (Keras 2 returned a tensor too)."""
    return torch.tensor(_t(x).shape, dtype=torch.int64)


def int_shape(x):
    if hasattr(x, "shape") and not isinstance(x, torch.Tensor) and isinstance(x.shape, tuple):
        return tuple(x.shape)
    return tuple(int(s) for s in _t(x).shape)


def ndim(x):
    return len(int_shape(x))


def dtype(x):
    return dtypes.dtype_name(x.dtype if hasattr(x, "dtype") else _t(x).dtype)


def count_params(x):
    return int(np.prod(int_shape(x)))


def ones(shape, dtype=None, name=None):
    return torch.ones(tuple(shape), dtype=dtypes.to_torch_dtype(dtype))


def zeros(shape, dtype=None, name=None):
    return torch.zeros(tuple(shape), dtype=dtypes.to_torch_dtype(dtype))


def eye(size, dtype=None, name=None):
    return torch.eye(size, dtype=dtypes.to_torch_dtype(dtype))


def ones_like(x, dtype=None, name=None):
    x = _t(x)
    return torch.ones_like(x, dtype=dtypes.to_torch_dtype(dtype) if dtype else None)


def zeros_like(x, dtype=None, name=None):
    x = _t(x)
    return torch.zeros_like(x, dtype=dtypes.to_torch_dtype(dtype) if dtype else None)


def arange(start, stop=None, step=1, dtype="int32"):
    return torch.arange(start, stop, step, dtype=dtypes.to_torch_dtype(dtype)) if stop is not None \
        else torch.arange(start, dtype=dtypes.to_torch_dtype(dtype))


def constant(value, dtype=None, shape=None, name=None):
    t = torch.as_tensor(np.asarray(value, dtype=np.dtype(dtype or config.floatx())))
    if shape is not None:
        t = t.expand(tuple(shape)).clone() if t.ndim == 0 else t.reshape(tuple(shape))
    return t


def variable(value, dtype=None, name=None, constraint=None):
    """A Keras 2 variable: a `Variable` that `set_value` / `get_value` read and assign."""
    return Variable(convert_to_tensor(value, dtype=dtype or config.floatx()).clone(), name=name)


def get_value(x):
    """`x`'s value as a numpy array: a copy for a variable or tensor (later updates leave it alone)."""
    if isinstance(x, Variable):
        return x.numpy()
    if isinstance(x, torch.Tensor):
        return layouts.to_numpy_copy(x)
    return np.asarray(x)  # not a tensor: nothing live to copy (Keras returns it as given)


def batch_get_value(tensors):
    return [get_value(x) for x in tensors]


def set_value(x, value):
    if isinstance(x, Variable):
        x.assign(value)
        return
    if not isinstance(x, torch.Tensor):
        raise TypeError(
            f"`set_value` expects a variable or tensor to assign to. Received: x of type {type(x).__name__}"
        )
    with torch.no_grad():
        x.copy_(torch.as_tensor(np.asarray(value)).reshape(x.shape))


def batch_set_value(tuples):
    for x, value in tuples:
        set_value(x, value)


def _generator(seed):
    if seed is None:
        return None
    g = torch.Generator()
    g.manual_seed(int(seed))
    return g


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    t = torch.empty(tuple(shape), dtype=dtypes.to_torch_dtype(dtype))
    return t.normal_(mean, stddev, generator=_generator(seed))


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    t = torch.empty(tuple(shape), dtype=dtypes.to_torch_dtype(dtype))
    return t.uniform_(minval, maxval, generator=_generator(seed))


def random_binomial(shape, p=0.0, dtype=None, seed=None):
    u = random_uniform(shape, dtype=dtype, seed=seed)
    return (u < p).to(dtypes.to_torch_dtype(dtype))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    t = torch.empty(tuple(shape), dtype=dtypes.to_torch_dtype(dtype))
    torch.nn.init.trunc_normal_(t, mean, stddev, mean - 2 * stddev, mean + 2 * stddev,
                                generator=_generator(seed))
    return t


# Functions of tensors also accept symbolic KerasTensors (they become graph ops).
_NOT_TENSOR_FUNCTIONS = {
    "convert_to_tensor", "is_tensor", "is_keras_tensor", "int_shape", "ndim", "dtype", "ones",
    "zeros", "eye", "constant", "variable", "get_value", "set_value", "batch_get_value",
    "batch_set_value", "random_normal", "random_uniform", "random_binomial", "truncated_normal",
    "learning_phase", "set_learning_phase", "clear_session", "arange", "count_params", "map_fn",
    "foldl", "gradients", "function", "print_tensor", "name_scope", "manual_variable_initialization",
    "get_uid", "reset_uids", "cast_to_floatx", "is_sparse", "in_train_phase", "in_test_phase",
}
route_symbolic(globals(), __all__, _NOT_TENSOR_FUNCTIONS)
