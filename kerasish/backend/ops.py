"""The classic `keras.backend` functions, on torch tensors.

Keras 2 code uses these inside custom losses, metrics and Lambda layers (`K.mean(y_pred)`,
`K.clip(x, K.epsilon(), 1)`, ...). Each takes tensors, arrays or numbers and returns a torch tensor;
`axis` and `keepdims` follow Keras (and numpy) meaning.
"""

import numpy as np
import torch
import torch.nn.functional as F

from kerasish.backend import config, dtypes
from kerasish.backend.variables import Variable

__all__ = [
    "convert_to_tensor", "is_tensor", "is_keras_tensor", "mean", "sum", "max", "min", "prod",
    "square", "sqrt", "abs", "exp", "log", "sign", "clip", "cast", "round", "argmax", "argmin",
    "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "maximum", "minimum",
    "pow", "dot", "batch_dot", "transpose", "reshape", "concatenate", "stack", "expand_dims",
    "squeeze", "flatten", "batch_flatten", "shape", "int_shape", "ndim", "dtype", "ones", "zeros",
    "eye", "ones_like", "zeros_like", "constant", "variable", "get_value", "set_value",
    "batch_get_value", "batch_set_value", "random_normal", "random_uniform", "random_binomial",
    "truncated_normal", "relu", "elu", "sigmoid", "hard_sigmoid", "softmax", "softplus",
    "softsign", "tanh", "l2_normalize", "std", "var", "any", "all", "cumsum", "cumprod",
    "logsumexp", "switch", "stop_gradient", "repeat", "repeat_elements", "tile",
    "permute_dimensions", "gather", "one_hot", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "binary_crossentropy", "dropout", "in_train_phase",
    "in_test_phase", "learning_phase", "set_learning_phase", "clear_session", "arange", "count_params",
    "cos", "sin", "floor", "ceil", "map_fn", "foldl", "gradients", "function", "print_tensor",
    "name_scope", "manual_variable_initialization", "get_uid", "reset_uids", "zeros_like",
    "cast_to_floatx", "is_sparse", "to_dense", "spatial_2d_padding", "temporal_padding",
    "conv2d", "bias_add", "pool2d",
]


def _t(x):
    """Tensor view of x (numbers and arrays become tensors; floats default to floatx)."""
    if isinstance(x, torch.Tensor):
        return x
    return convert_to_tensor(x)


def convert_to_tensor(x, dtype=None, device=None):
    if isinstance(x, torch.Tensor):
        t = x
    else:
        arr = np.asarray(x)
        if arr.dtype == np.float64 and dtype is None:
            arr = arr.astype(config.floatx())
        t = torch.as_tensor(arr)
    if dtype is not None:
        t = t.to(dtypes.to_torch_dtype(dtype))
    if device is not None:
        t = t.to(device)
    return t


def is_tensor(x):
    return isinstance(x, torch.Tensor)


def is_keras_tensor(x):
    from kerasish.layers.keras_tensor import KerasTensor

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
    if isinstance(x, Variable):
        return x.numpy()
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


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


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    from kerasish.activations import relu as _relu

    return _relu(_t(x), negative_slope=alpha, max_value=max_value, threshold=threshold)


def elu(x, alpha=1.0):
    return F.elu(_t(x), alpha)


def sigmoid(x):
    return torch.sigmoid(_t(x))


def hard_sigmoid(x):
    from kerasish.activations import hard_sigmoid as _hs

    return _hs(_t(x))


def softmax(x, axis=-1):
    return torch.softmax(_t(x), dim=axis)


def softplus(x):
    return F.softplus(_t(x))


def softsign(x):
    return F.softsign(_t(x))


def tanh(x):
    return torch.tanh(_t(x))


def l2_normalize(x, axis=None):
    x = _t(x)
    square_sum = torch.sum(x * x, dim=_axis(axis), keepdim=True) if axis is not None \
        else torch.sum(x * x)
    return x * torch.rsqrt(torch.clamp(square_sum, min=1e-12))


def switch(condition, then_expression, else_expression):
    cond = _t(condition)
    then_v = then_expression() if callable(then_expression) else then_expression
    else_v = else_expression() if callable(else_expression) else else_expression
    if cond.ndim == 0:
        return then_v if bool(cond) else else_v
    then_v, else_v = _t(then_v), _t(else_v)
    while cond.ndim < then_v.ndim:
        cond = cond.unsqueeze(-1)
    return torch.where(cond.bool(), then_v, else_v)


def stop_gradient(variables):
    if isinstance(variables, (list, tuple)):
        return [_t(v).detach() for v in variables]
    return _t(variables).detach()


def repeat(x, n):
    """(batch, dim) -> (batch, n, dim)."""
    x = _t(x)
    return x.unsqueeze(1).expand(x.shape[0], n, x.shape[1])


def repeat_elements(x, rep, axis):
    return torch.repeat_interleave(_t(x), rep, dim=axis)


def tile(x, n):
    return _t(x).repeat(*([n] if isinstance(n, int) else n))


def permute_dimensions(x, pattern):
    return _t(x).permute(*pattern)


def gather(reference, indices):
    return _t(reference)[_t(indices).long()]


def one_hot(indices, num_classes):
    return F.one_hot(_t(indices).long(), num_classes).to(dtypes.to_torch_dtype(None))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _t(target), _t(output)
    if from_logits:
        return -torch.sum(target * F.log_softmax(output, dim=axis), dim=axis)
    output = output / torch.sum(output, dim=axis, keepdim=True)
    eps = config.epsilon()
    output = torch.clamp(output, eps, 1.0 - eps)
    return -torch.sum(target * torch.log(output), dim=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _t(target), _t(output)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = target.squeeze(-1)
    target = target.long()
    if from_logits:
        log_prob = F.log_softmax(output, dim=axis)
    else:
        output = output / torch.sum(output, dim=axis, keepdim=True)
        eps = config.epsilon()
        log_prob = torch.log(torch.clamp(output, eps, 1.0 - eps))
    return -torch.gather(log_prob, axis, target.unsqueeze(axis)).squeeze(axis)


def binary_crossentropy(target, output, from_logits=False):
    target, output = _t(target), _t(output)
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target.to(output.dtype), reduction="none")
    eps = config.epsilon()
    output = torch.clamp(output, eps, 1.0 - eps)
    return -(target * torch.log(output) + (1.0 - target) * torch.log(1.0 - output))


def dropout(x, level, noise_shape=None, seed=None):
    x = _t(x)
    if noise_shape is None:
        return F.dropout(x, level, training=True)
    keep = (torch.rand(tuple(noise_shape), device=x.device) >= level).to(x.dtype)
    return x * keep / (1.0 - level)


_LEARNING_PHASE = None


def learning_phase():
    """0 (inference) or 1 (training) when set; otherwise the current call's training flag."""
    if _LEARNING_PHASE is not None:
        return _LEARNING_PHASE
    from kerasish.layers.layer import call_context

    return int(bool(call_context().training))


def set_learning_phase(value):
    global _LEARNING_PHASE
    if value not in (0, 1, None):
        raise ValueError(f"Expected learning phase to be 0 or 1. Received: value={value}")
    _LEARNING_PHASE = value


def in_train_phase(x, alt, training=None):
    if training is None:
        training = learning_phase()
    chosen = x if training else alt
    return chosen() if callable(chosen) else chosen


def in_test_phase(x, alt, training=None):
    return in_train_phase(alt, x, training=training)


def clear_session():
    """Resets Keras's global state: automatic layer names and the learning phase."""
    global _LEARNING_PHASE
    from kerasish.utils import naming

    naming.reset_uids()
    _LEARNING_PHASE = None


def get_uid(prefix=""):
    from kerasish.utils import naming

    name = naming.uniquify(prefix)
    return int(name.rsplit("_", 1)[1]) + 1 if "_" in name[len(prefix):] else 1


def reset_uids():
    from kerasish.utils import naming

    naming.reset_uids()


def map_fn(fn, elems, name=None, dtype=None):
    return torch.stack([fn(e) for e in _t(elems)])


def foldl(fn, elems, initializer=None, name=None):
    elems = _t(elems)
    acc = elems[0] if initializer is None else initializer
    for e in (elems[1:] if initializer is None else elems):
        acc = fn(acc, e)
    return acc


def gradients(loss, variables):
    return list(torch.autograd.grad(loss, variables, allow_unused=True, retain_graph=True))


def function(inputs, outputs, updates=None, **kwargs):
    """Keras 2 `K.function`: works when outputs are computed by a callable of the inputs."""
    if callable(outputs):
        def run(values):
            with torch.no_grad():
                out = outputs(*[_t(v) for v in values])
            return [get_value(o) for o in (out if isinstance(out, (list, tuple)) else [out])]

        return run
    from kerasish.layers.keras_tensor import KerasTensor

    if isinstance(outputs, KerasTensor) or (
        isinstance(outputs, (list, tuple)) and outputs and isinstance(outputs[0], KerasTensor)
    ):
        from kerasish.models.functional import Functional

        sub = Functional(inputs, outputs)

        def run(values):
            out = sub.predict_on_batch(values if len(values) > 1 else values[0])
            return list(out) if isinstance(out, (list, tuple)) else [out]

        return run
    raise TypeError(
        "K.function expects symbolic outputs of a functional model or a callable. "
        f"Received: outputs of type {type(outputs).__name__}"
    )


def print_tensor(x, message=""):
    print(message, x)
    return x


class name_scope:
    def __init__(self, name, **kwargs):
        self.name = name

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def manual_variable_initialization(value):
    return None


def is_sparse(tensor):
    return isinstance(tensor, torch.Tensor) and tensor.is_sparse


def to_dense(tensor):
    return tensor.to_dense() if is_sparse(tensor) else tensor


def temporal_padding(x, padding=(1, 1)):
    return F.pad(_t(x), (0, 0, padding[0], padding[1]))


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    data_format = config.standardize_data_format(data_format)
    (t, b), (left, r) = padding
    if data_format == "channels_last":
        return F.pad(_t(x), (0, 0, left, r, t, b))
    return F.pad(_t(x), (left, r, t, b))


def bias_add(x, bias, data_format=None):
    x, bias = _t(x), _t(bias)
    data_format = config.standardize_data_format(data_format)
    if data_format == "channels_first" and x.ndim > 2:
        return x + bias.reshape((1, -1) + (1,) * (x.ndim - 2))
    return x + bias


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    """Keras-layout 2D convolution: kernel (kh, kw, in, out), x NHWC unless channels_first."""
    data_format = config.standardize_data_format(data_format)
    x, kernel = _t(x), _t(kernel)
    if data_format == "channels_last":
        x = x.permute(0, 3, 1, 2)
    w = kernel.permute(3, 2, 0, 1)
    if padding == "same":
        out = F.conv2d(x, w, stride=strides, dilation=dilation_rate, padding="same") \
            if tuple(strides) == (1, 1) else _same_pad_conv(x, w, strides, dilation_rate)
    else:
        out = F.conv2d(x, w, stride=strides, dilation=dilation_rate)
    return out.permute(0, 2, 3, 1) if data_format == "channels_last" else out


def _same_pad_conv(x, w, strides, dilation):
    pads = []
    for i in range(2):
        size, k, s, d = x.shape[2 + i], w.shape[2 + i], strides[i], dilation[i]
        eff = (k - 1) * d + 1
        out = -(-size // s)
        total = max((out - 1) * s + eff - size, 0)
        pads.append((total // 2, total - total // 2))
    x = F.pad(x, (pads[1][0], pads[1][1], pads[0][0], pads[0][1]))
    return F.conv2d(x, w, stride=strides, dilation=dilation)


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    data_format = config.standardize_data_format(data_format)
    x = _t(x)
    if data_format == "channels_last":
        x = x.permute(0, 3, 1, 2)
    fn = F.max_pool2d if pool_mode == "max" else F.avg_pool2d
    out = fn(x, pool_size, strides)
    return out.permute(0, 2, 3, 1) if data_format == "channels_last" else out


# Functions of tensors also accept symbolic KerasTensors (they become graph ops).
_NOT_TENSOR_FUNCTIONS = {
    "convert_to_tensor", "is_tensor", "is_keras_tensor", "int_shape", "ndim", "dtype", "ones",
    "zeros", "eye", "constant", "variable", "get_value", "set_value", "batch_get_value",
    "batch_set_value", "random_normal", "random_uniform", "random_binomial", "truncated_normal",
    "learning_phase", "set_learning_phase", "clear_session", "arange", "count_params", "map_fn",
    "foldl", "gradients", "function", "print_tensor", "name_scope", "manual_variable_initialization",
    "get_uid", "reset_uids", "cast_to_floatx", "is_sparse", "in_train_phase", "in_test_phase",
}


def _route_symbolic():
    from kerasish.backend.symbolic import symbolic_aware

    module = globals()
    for name in __all__:
        if name not in _NOT_TENSOR_FUNCTIONS and callable(module.get(name)) \
                and not isinstance(module[name], type):
            module[name] = symbolic_aware(module[name])


_route_symbolic()
