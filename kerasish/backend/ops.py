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
from kerasish.ops import core as _core, math as _math, numpy as _np

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
    """Whether `x` is a symbolic `KerasTensor` (what `Input` returns), not a real tensor.

    Args:
        x: any value.

    Returns:
        A bool.

    Example:

    >>> kerasish.utils.is_keras_tensor(kerasish.Input((3,)))
    True
    >>> kerasish.utils.is_keras_tensor(torch.zeros(3))
    False
    """
    from kerasish.backend.keras_tensor import KerasTensor

    return isinstance(x, KerasTensor)


def _axis(axis):
    if axis is None:
        return None
    if isinstance(axis, (list, tuple)):
        return tuple(axis)
    return axis


# Keras 2's `K` functions that Keras 3 also has as ops are those ops: one implementation, one set of
# edge semantics and dtype rules. What stays here is Keras 2's own argument handling (default axes,
# float64 data becoming floatx, `clip` with crossed bounds, `sqrt` of negatives).


def mean(x, axis=None, keepdims=False):
    return _np.mean(_t(x), _axis(axis), keepdims)


def sum(x, axis=None, keepdims=False):
    return _np.sum(_t(x), _axis(axis), keepdims)


def prod(x, axis=None, keepdims=False):
    return _np.prod(_t(x), _axis(axis), keepdims)


def max(x, axis=None, keepdims=False):
    return _np.max(_t(x), _axis(axis), keepdims)


def min(x, axis=None, keepdims=False):
    return _np.min(_t(x), _axis(axis), keepdims)


def var(x, axis=None, keepdims=False):
    return _np.var(_t(x), _axis(axis), keepdims)


def std(x, axis=None, keepdims=False):
    return _np.std(_t(x), _axis(axis), keepdims)


def any(x, axis=None, keepdims=False):
    return _np.any(_t(x), _axis(axis), keepdims)


def all(x, axis=None, keepdims=False):
    return _np.all(_t(x), _axis(axis), keepdims)


def logsumexp(x, axis=None, keepdims=False):
    return _math.logsumexp(_t(x), _axis(axis), keepdims)


def cumsum(x, axis=0):
    return _np.cumsum(_t(x), axis)


def cumprod(x, axis=0):
    return _np.cumprod(_t(x), axis)


def square(x):
    return _np.square(_t(x))


def sqrt(x):
    # Keras 2 takes the root of max(x, 0): negatives give 0, not nan.
    return _np.sqrt(_np.maximum(_t(x), 0))


def abs(x):
    return _np.abs(_t(x))


def exp(x):
    return _np.exp(_t(x))


def log(x):
    return _np.log(_t(x))


def sign(x):
    return _np.sign(_t(x))


def cos(x):
    return _np.cos(_t(x))


def sin(x):
    return _np.sin(_t(x))


def floor(x):
    return _np.floor(_t(x))


def ceil(x):
    return _np.ceil(_t(x))


def round(x):
    return _np.round(_t(x))  # half to even, as Keras


def clip(x, min_value, max_value):
    # Keras 2: a missing bound is unbounded, and a max below the min becomes the min.
    if min_value is None:
        min_value = -np.inf
    if max_value is None:
        max_value = np.inf
    if max_value < min_value:
        max_value = min_value
    return _np.clip(_t(x), min_value, max_value)


def cast(x, dtype):
    return _core.cast(_t(x), dtype)


def cast_to_floatx(x):
    return np.asarray(x, dtype=config.floatx())


def argmax(x, axis=-1):
    return _np.argmax(_t(x), axis)


def argmin(x, axis=-1):
    return _np.argmin(_t(x), axis)


def _binary(op):
    def fn(x, y):
        return op(_t(x), y if isinstance(y, (int, float)) else _t(y))

    fn.__name__ = op.__name__
    return fn


equal = _binary(_np.equal)
not_equal = _binary(_np.not_equal)
greater = _binary(_np.greater)
greater_equal = _binary(_np.greater_equal)
less = _binary(_np.less)
less_equal = _binary(_np.less_equal)


def maximum(x, y):
    x = _t(x)
    return _np.maximum(x, _t(y).to(x.dtype))  # Keras 2 takes x's dtype (tf.maximum needs one)


def minimum(x, y):
    x = _t(x)
    return _np.minimum(x, _t(y).to(x.dtype))


def pow(x, a):
    return _np.power(_t(x), a)


def dot(x, y):
    """Keras 2 `K.dot`: for N-D tensors, contracts x's last axis with y's second-to-last (numpy's
    `dot`; `ops.dot` broadcasts batch axes instead, as `matmul`, once both sides are 3-D or more)."""
    x, y = _t(x), _t(y)
    if y.ndim <= 2 or x.ndim < 2:
        return _np.dot(x, y)
    return _np.tensordot(x, _np.moveaxis(y, -2, 0), axes=([x.ndim - 1], [0]))


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
    return _np.transpose(_t(x))


def reshape(x, shape):
    return _np.reshape(_t(x), tuple(-1 if s is None else int(s) for s in shape))


def concatenate(tensors, axis=-1):
    return _np.concatenate([_t(t) for t in tensors], axis)


def stack(x, axis=0):
    return _np.stack([_t(t) for t in x], axis)


def expand_dims(x, axis=-1):
    return _np.expand_dims(_t(x), axis)


def squeeze(x, axis):
    return _np.squeeze(_t(x), axis)


def flatten(x):
    return _np.reshape(_t(x), (-1,))


def batch_flatten(x):
    x = _t(x)
    return _np.reshape(x, (x.shape[0], -1))


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
    return _np.ones(tuple(shape), dtype=dtype or config.floatx())


def zeros(shape, dtype=None, name=None):
    return _np.zeros(tuple(shape), dtype=dtype or config.floatx())


def eye(size, dtype=None, name=None):
    return _np.eye(size, dtype=dtype or config.floatx())


def ones_like(x, dtype=None, name=None):
    return _np.ones_like(_t(x), dtype=dtype)


def zeros_like(x, dtype=None, name=None):
    return _np.zeros_like(_t(x), dtype=dtype)


def arange(start, stop=None, step=1, dtype="int32"):
    return _np.arange(start, stop, step, dtype=dtype)


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
