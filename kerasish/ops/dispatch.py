"""How an op decides between computing now (torch tensors) and recording a graph node (KerasTensors).

Every public op is a plain eager function on torch tensors decorated with `keras_op`. The decorator
adds one cheap scan of the arguments: when a `KerasTensor` is among them (directly, or inside a
list/tuple/dict argument such as `concatenate([a, b])`), the call goes to the symbolic handler,
which records a node of the functional graph and infers the output's shape and dtype. Otherwise the
eager function runs as it is, so an op on torch tensors costs the torch call plus a few hundred
nanoseconds.

The symbolic handler lives on this floor too (`kerasish.ops.symbolic`), registered with
`set_symbolic_handler` so that this module imports nothing but the KerasTensor class.
"""

import functools

from kerasish.backend.keras_tensor import KerasTensor

_HANDLER = [None]  # the symbolic handler: handler(op_name, eager_fn, args, kwargs) -> outputs

_CONTAINERS = (list, tuple)


def set_symbolic_handler(handler):
    """Installs `handler(op_name, fn, args, kwargs)`, called when an op receives a KerasTensor."""
    _HANDLER[0] = handler


def _has_symbolic(value):
    if isinstance(value, KerasTensor):
        return True
    if isinstance(value, _CONTAINERS):
        for v in value:
            if isinstance(v, KerasTensor) or (isinstance(v, _CONTAINERS) and _has_symbolic(v)):
                return True
    elif isinstance(value, dict):
        return any(_has_symbolic(v) for v in value.values())
    return False


def any_symbolic(args, kwargs):
    for a in args:
        if _has_symbolic(a):
            return True
    if kwargs:
        for a in kwargs.values():
            if _has_symbolic(a):
                return True
    return False


def keras_op(fn=None, *, name=None):
    """Makes `fn` (eager, on torch tensors) a Keras op that also works on KerasTensors.

    `name` is the op's public name (defaults to the function's name); the symbolic handler uses it
    to find Keras's op class (`mean` -> `Mean`) for graphs and saved files.
    """
    if fn is None:
        return functools.partial(keras_op, name=name)
    op_name = name or fn.__name__

    @functools.wraps(fn)
    def op(*args, **kwargs):
        for a in args:
            if isinstance(a, KerasTensor) or (type(a) in _CONTAINERS or type(a) is dict) \
                    and _has_symbolic(a):
                return _symbolic(op_name, fn, args, kwargs)
        if kwargs and any_symbolic((), kwargs):
            return _symbolic(op_name, fn, args, kwargs)
        return fn(*args, **kwargs)

    op.__keras_op_name__ = op_name
    op.__eager__ = fn
    return op


def _symbolic(op_name, fn, args, kwargs):
    handler = _HANDLER[0]
    if handler is None:
        from kerasish.ops import op_nodes  # installs the handler on import

        handler = _HANDLER[0]
    if handler is None:
        raise NotImplementedError(
            f"`ops.{op_name}` on symbolic KerasTensors is not available yet. "
            f"Received: a KerasTensor argument to ops.{op_name}"
        )
    return handler(op_name, fn, args, kwargs)
