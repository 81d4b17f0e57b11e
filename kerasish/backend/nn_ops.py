"""The `keras.backend` neural-network functions (activations, crossentropies, convolution, dropout)
and Keras 2's session-era utilities (learning phase, `function`, `gradients`), on torch tensors."""

import torch
import torch.nn.functional as F

from kerasish.backend import config, conv_utils, dtypes
from kerasish.backend.ops import _NOT_TENSOR_FUNCTIONS, _axis, _t, get_value
from kerasish.backend import random_ops
from kerasish.backend.symbolic import route_symbolic
from kerasish.ops import core as _core, nn as _nn, numpy as _np

__all__ = [
    "relu", "elu", "sigmoid", "hard_sigmoid", "softmax", "softplus", "softsign", "tanh",
    "l2_normalize", "switch", "stop_gradient", "repeat", "repeat_elements", "tile",
    "permute_dimensions", "gather", "one_hot", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "binary_crossentropy", "dropout", "in_train_phase",
    "in_test_phase", "learning_phase", "set_learning_phase", "clear_session", "map_fn", "foldl",
    "gradients", "function", "print_tensor", "name_scope", "manual_variable_initialization",
    "get_uid", "reset_uids", "is_sparse", "to_dense", "spatial_2d_padding", "temporal_padding",
    "conv2d", "bias_add", "pool2d",
]


def relu_with_options(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Keras's relu with a leak below `threshold` and a cap at `max_value` (activations use it).

    Example:

    >>> x = ops.convert_to_tensor([-2.0, 0.5, 3.0])
    >>> keras.activations.relu_with_options(x, negative_slope=0.1, max_value=2.0)
    tensor([-0.2000,  0.5000,  2.0000])
    """
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return torch.relu(x)
    if threshold != 0.0:
        neg = torch.where(x < threshold, negative_slope * (x - threshold), torch.zeros_like(x))
        pos = torch.where(x >= threshold, x, torch.zeros_like(x))
    else:
        neg = negative_slope * torch.clamp(x, max=0.0)
        pos = torch.clamp(x, min=0.0)
    if max_value is not None:
        pos = torch.clamp(pos, max=max_value)
    return pos + neg if negative_slope != 0.0 else pos


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    return relu_with_options(_t(x), negative_slope=alpha, max_value=max_value, threshold=threshold)


def elu(x, alpha=1.0):
    return _nn.elu(_t(x), alpha)


def sigmoid(x):
    return _nn.sigmoid(_t(x))


def hard_sigmoid(x):
    # Keras 3's hard sigmoid, relu6(x + 3) / 6, as `activations.hard_sigmoid`.
    return _nn.hard_sigmoid(_t(x))


def softmax(x, axis=-1):
    return _nn.softmax(_t(x), axis)


def softplus(x):
    return _nn.softplus(_t(x))


def softsign(x):
    return _nn.softsign(_t(x))


def tanh(x):
    return _np.tanh(_t(x))


def l2_normalize(x, axis=None):
    # Keras 2 floors the sum of squares at 1e-12, that is the norm at 1e-6.
    return _nn.normalize(_t(x), _axis(axis), order=2, epsilon=1e-6)


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
        return [_core.stop_gradient(_t(v)) for v in variables]
    return _core.stop_gradient(_t(variables))


def repeat(x, n):
    """(batch, dim) -> (batch, n, dim)."""
    x = _t(x)
    return x.unsqueeze(1).expand(x.shape[0], n, x.shape[1])


def repeat_elements(x, rep, axis):
    return _np.repeat(_t(x), rep, axis)


def tile(x, n):
    return _np.tile(_t(x), n)


def permute_dimensions(x, pattern):
    return _np.transpose(_t(x), tuple(pattern))


def gather(reference, indices):
    return _np.take(_t(reference), _t(indices), axis=0)


def one_hot(indices, num_classes):
    return _nn.one_hot(_t(indices), num_classes)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    return _nn.categorical_crossentropy(_t(target), _t(output), from_logits, axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _t(target), _t(output)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = target.squeeze(-1)  # Keras 2 takes (batch, 1) labels too
    return _nn.sparse_categorical_crossentropy(target, output, from_logits, axis)


def binary_crossentropy(target, output, from_logits=False):
    return _nn.binary_crossentropy(_t(target), _t(output), from_logits)


def dropout(x, level, noise_shape=None, seed=None):
    return random_ops.dropout(_t(x), level, noise_shape)


_LEARNING_PHASE = None


def learning_phase():
    """0 (inference) or 1 (training) when set; otherwise the current call's training flag."""
    if _LEARNING_PHASE is not None:
        return _LEARNING_PHASE
    return int(bool(_TRAINING_FLAG[0]()))


# The current call's training flag; the layers floor installs its reader (`set_training_flag_reader`).
_TRAINING_FLAG = [lambda: None]


def set_training_flag_reader(reader):
    """Installs `reader()` -> the training flag of the layer call in progress (or None)."""
    _TRAINING_FLAG[0] = reader


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
    """Resets Keras's global state: automatic layer names and the learning phase.

    Example:

    >>> kerasish.utils.clear_session()
    >>> kerasish.layers.Dense(1).name  # automatic names start again
    'dense'
    """
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


def _check_updates(updates):
    """Keras 2's `updates`: `(variable, new_value)` pairs whose value is a symbolic expression of
    the function's inputs or a zero-argument callable (evaluated at each call). A plain tensor is
    refused: computed once, it would freeze what Keras 2 recomputes at every call."""
    from kerasish.backend.keras_tensor import KerasTensor

    pairs = []
    for u in updates or []:
        if not (isinstance(u, (list, tuple)) and len(u) == 2 and hasattr(u[0], "assign")):
            raise TypeError(
                "K.function `updates` must be a list of `(variable, new_value)` pairs. "
                f"Received: updates entry {u!r}"
            )
        if not (isinstance(u[1], KerasTensor) or callable(u[1])):
            raise TypeError(
                "A K.function update value must be a symbolic expression of the inputs or a "
                "zero-argument callable (e.g. `lambda: v + 1`), which are evaluated at every call; "
                f"a tensor would keep the value it has now. Received: update value {u[1]!r}"
            )
        pairs.append(tuple(u))
    return pairs


def _apply_updates(pairs, values):
    for (var, _), value in zip(pairs, values):
        var.assign(value() if callable(value) else value)


def function(inputs, outputs, updates=None, **kwargs):
    """Keras 2 `K.function`: works when outputs are computed by a callable of the inputs, or are
    symbolic outputs of a functional model. `updates` (`(variable, new_value)` pairs, the value a
    symbolic expression of the inputs or a tensor) are assigned after each call, as Keras 2 does."""
    pairs = _check_updates(updates)
    if callable(outputs):
        if pairs:
            raise ValueError("K.function with a callable `outputs` cannot take `updates`: update "
                             f"the variables inside the callable. Received: updates={updates!r}")

        def run(values):
            with torch.no_grad():
                out = outputs(*[_t(v) for v in values])
            return [get_value(o) for o in (out if isinstance(out, (list, tuple)) else [out])]

        return run
    from kerasish.backend.keras_tensor import KerasTensor

    if isinstance(outputs, KerasTensor) or (
        isinstance(outputs, (list, tuple)) and outputs and isinstance(outputs[0], KerasTensor)
    ):
        from kerasish.ops.function import Function

        outs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        symbolic = [v for _, v in pairs if isinstance(v, KerasTensor)]
        graph = Function(inputs, outs + symbolic)

        def run(values):
            with torch.no_grad():
                out = graph(*[_t(v) for v in values])
                out = list(out) if isinstance(out, (list, tuple)) else [out]
                results, computed = out[:len(outs)], iter(out[len(outs):])
                new = [next(computed) if isinstance(v, KerasTensor) else v for _, v in pairs]
                _apply_updates(pairs, new)
            return [get_value(o) for o in results]

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
    return _np.pad(_t(x), ((0, 0), tuple(padding), (0, 0)))


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    data_format = config.standardize_data_format(data_format)
    rows, cols = tuple(padding[0]), tuple(padding[1])
    if data_format == "channels_last":
        return _np.pad(_t(x), ((0, 0), rows, cols, (0, 0)))
    return _np.pad(_t(x), ((0, 0), (0, 0), rows, cols))


def bias_add(x, bias, data_format=None):
    x, bias = _t(x), _t(bias)
    data_format = config.standardize_data_format(data_format)
    if data_format == "channels_first" and x.ndim > 2:
        return x + bias.reshape((1, -1) + (1,) * (x.ndim - 2))
    return x + bias


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    """Keras-layout 2D convolution: kernel (kh, kw, in, out), x NHWC unless channels_first."""
    return _nn.conv(_t(x), _t(kernel), strides, padding, data_format, dilation_rate)


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    """Keras 2's 2D pooling: `pool_mode` "max" or "avg"; 'same' averages real inputs only."""
    if pool_mode not in ("max", "avg"):
        raise ValueError(f"`pool_mode` must be 'max' or 'avg'. Received: pool_mode={pool_mode!r}")
    if pool_mode == "max":
        return _nn.max_pool(_t(x), pool_size, strides, padding, data_format)
    # Not `ops.average_pool`: for 'same' padding with an uneven window (2x3), Keras 3's torch op
    # counts padding along one axis, while Keras 2 (TensorFlow) averages the real inputs only.
    data_format = config.standardize_data_format(data_format)
    pool = conv_utils.standardize_tuple(pool_size, 2, "pool_size")
    strides = conv_utils.standardize_tuple(strides, 2, "strides")
    padding = conv_utils.standardize_padding(padding)
    x = _t(x)
    if data_format == "channels_last":
        x = x.permute(0, 3, 1, 2)
    out = conv_utils.average_pool(x, pool, strides, padding, 2)
    return out.permute(0, 2, 3, 1) if data_format == "channels_last" else out


route_symbolic(globals(), __all__, _NOT_TENSOR_FUNCTIONS)
