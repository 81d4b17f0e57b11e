"""Backend functions applied to symbolic `KerasTensor`s become nodes of the functional graph.

Keras 2 code computes losses from model tensors with `K` (a VAE's
`K.mean(K.square(z_mean))` passed to `add_loss`); routing such calls to a graph op lets the same
code build the graph here.
"""

import functools

from kerasish.backend.keras_tensor import KerasTensor


def _has_symbolic(values):
    for v in values:
        if isinstance(v, KerasTensor):
            return True
        if isinstance(v, (list, tuple)) and any(isinstance(e, KerasTensor) for e in v):
            return True
    return False


def symbolic_aware(fn):
    """`fn(*args, **kwargs)` as usual on tensors; a graph op when an argument is symbolic."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _has_symbolic(args) or (kwargs and _has_symbolic(kwargs.values())):
            from kerasish.ops.op_nodes import apply_function

            def op(*operands):
                return fn(*operands, **kwargs)

            op.__name__ = fn.__name__
            return apply_function(op, *args)
        return fn(*args, **kwargs)

    wrapper.__wrapped_backend_fn__ = fn
    return wrapper


def route_symbolic(namespace, names, exclude):
    """Wraps the functions `names` of a module namespace with `symbolic_aware` (but `exclude`)."""
    for name in names:
        fn = namespace.get(name)
        if name not in exclude and callable(fn) and not isinstance(fn, type):
            namespace[name] = symbolic_aware(fn)
