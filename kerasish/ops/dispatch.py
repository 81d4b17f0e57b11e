"""How an op decides between computing now (torch tensors) and recording a graph node (KerasTensors).

Every public op is a plain eager function on torch tensors decorated with `keras_op`. The decorator
adds one cheap scan of the arguments: when a `KerasTensor` is among them (directly, or inside a
list/tuple/dict argument such as `concatenate([a, b])`, positional or keyword), the call goes to the
symbolic handler, which records a node of the functional graph and infers the output's shape and
dtype. Otherwise the eager function runs as it is.

The scan is built for the common call, where every argument is a plain torch tensor, a Python
number, None, a string or a dtype: one `type(a) in _PLAIN` set lookup per argument, and only an
argument of another type (a tuple, a list, a dict, a numpy array, a subclass, ...) is looked into.
For an eager function with plain parameters only (most ops), the wrapper is generated once with
the same parameters, so a call also skips packing `*args`/`**kwargs`: about 0.1 us in all, which
keeps most ops near bare torch. The three microsecond ops that models call most (`reshape`,
`transpose`, `take`) go one step further with `fast_path`: a public entry that hands the all-torch
call straight to torch and everything else to the dispatched op, so it pays no wrapper frame.

The symbolic handler lives on this floor too (`kerasish.ops.symbolic`), registered with
`set_symbolic_handler` so that this module imports nothing but the KerasTensor class.
"""

import functools
import inspect

import torch

from kerasish.backend.keras_tensor import KerasTensor

_HANDLER = [None]  # the symbolic handler: handler(op_name, eager_fn, args, kwargs) -> outputs

_CONTAINERS = (list, tuple)

# Exact types that can never be or hold a KerasTensor (exact, so a subclass takes the full scan).
_PLAIN = frozenset((
    torch.Tensor, torch.nn.Parameter, int, float, bool, complex, str, type(None), torch.dtype,
    torch.device, type(Ellipsis), slice,
))


def set_symbolic_handler(handler):
    """Installs `handler(op_name, fn, args, kwargs)`, called when an op receives a KerasTensor."""
    _HANDLER[0] = handler


def _has_symbolic(value):
    """Whether `value` (an argument whose type is not in `_PLAIN`) is or holds a KerasTensor."""
    kind = type(value)
    if kind is tuple or kind is list:  # shapes, axes, lists of tensors: the usual containers
        for v in value:
            if type(v) not in _PLAIN and _has_symbolic(v):
                return True
        return False
    if isinstance(value, KerasTensor):
        return True
    if isinstance(value, _CONTAINERS):
        return any(type(v) not in _PLAIN and _has_symbolic(v) for v in value)
    if isinstance(value, dict):
        return any(type(v) not in _PLAIN and _has_symbolic(v) for v in value.values())
    return False


def any_symbolic(args, kwargs):
    """Whether a KerasTensor is among `args` / `kwargs` values (looking inside lists, tuples and
    dicts)."""
    for a in args:
        if type(a) not in _PLAIN and _has_symbolic(a):
            return True
    if kwargs:
        for a in kwargs.values():
            if type(a) not in _PLAIN and _has_symbolic(a):
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

    op = _fixed_arity_op(op_name, fn) or _generic_op(op_name, fn)
    functools.update_wrapper(op, fn)
    op.__keras_op_name__ = op_name
    op.__eager__ = fn
    return op


def fast_path(op):
    """Decorator: `fast` becomes the public entry of the dispatched `op`.

    `fast` takes the same arguments as `op`; it computes the common call (plain torch tensors and
    arguments torch accepts as they are) itself and calls `op` for every other call. A KerasTensor
    is never a torch tensor, so any call carrying one fails `fast`'s own type test or makes torch
    raise `TypeError`, and `fast` must then call `op`, which dispatches it. The entry carries
    `op`'s name, documentation and eager function, so the registry, the symbolic handler and the
    API reference see one op.
    """

    def decorate(fast):
        name, qualname = fast.__name__, fast.__qualname__
        functools.update_wrapper(fast, op)
        fast.__name__, fast.__qualname__ = name, qualname
        return fast

    return decorate


def _generic_op(op_name, fn):
    plain = _PLAIN  # a local: one lookup fewer per argument

    def op(*args, **kwargs):
        for a in args:
            if type(a) not in plain and _has_symbolic(a):
                return _symbolic(op_name, fn, args, kwargs)
        if kwargs:
            for a in kwargs.values():
                if type(a) not in plain and _has_symbolic(a):
                    return _symbolic(op_name, fn, args, kwargs)
        return fn(*args, **kwargs)

    return op


def _fixed_arity_op(op_name, fn):
    """For `fn(a, b=1, ...)` (plain parameters only): a wrapper with the same parameters, generated
    once, that calls `fn` positionally. This skips packing `*args`/`**kwargs` per call (about
    0.15 us, as much as the whole check). The symbolic handler binds the arguments to `fn`'s
    signature with defaults applied, so it receives all of them, positionally."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    if not 0 < len(params) <= 8 or any(
            p.kind is not p.POSITIONAL_OR_KEYWORD or not p.name.isidentifier()
            or p.name.startswith("_ko_") for p in params):
        return None
    names = [p.name for p in params]
    scope = {"_ko_fn": fn, "_ko_plain": _PLAIN, "_ko_has": _has_symbolic,
             "_ko_symbolic": _symbolic, "_ko_name": op_name}
    header = []
    for i, p in enumerate(params):
        if p.default is p.empty:
            header.append(p.name)
        else:
            scope[f"_ko_d{i}"] = p.default
            header.append(f"{p.name}=_ko_d{i}")
    call = ", ".join(names)
    fast = " and ".join(f"type({n}) in _ko_plain" for n in names)
    slow = " or ".join(f"type({n}) not in _ko_plain and _ko_has({n})" for n in names)
    source = (
        f"def _ko_op({', '.join(header)}):\n"
        f"    if {fast}:\n"
        f"        return _ko_fn({call})\n"
        f"    if {slow}:\n"
        f"        return _ko_symbolic(_ko_name, _ko_fn, ({call},), {{}})\n"
        f"    return _ko_fn({call})\n"
    )
    exec(source, scope)  # noqa: S102  (source built from validated parameter names only)
    return scope["_ko_op"]


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
