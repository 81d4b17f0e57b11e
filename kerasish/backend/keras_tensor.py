"""`KerasTensor`: a symbolic tensor (shape and dtype, no data) used by `Input` and the functional API.

Calling a layer on KerasTensors records a node in the layer graph instead of computing; the
functional `Model` replays the graph on real tensors.
"""

from kerasish.backend import dtypes


class KerasTensor:
    """A placeholder with a Keras shape (batch dim first, `None` for unknown) and a dtype."""

    def __init__(self, shape, dtype="float32", sparse=False, name=None, record_history=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = dtypes.dtype_name(dtype)
        self.sparse = sparse
        self.name = name
        # (layer, node_index, tensor_index) of the call that made this tensor.
        self._keras_history = record_history

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __len__(self):
        raise TypeError("A symbolic KerasTensor has no length; use `.shape`.")

    def __iter__(self):
        raise TypeError(
            "A symbolic KerasTensor cannot be iterated. If you are using it in plain Python control "
            "flow, wrap the computation in a Layer or a Lambda."
        )

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a Python bool.")

    # Arithmetic on symbolic tensors builds Lambda-like op layers (the functional API supplies them).
    def _op(name, reverse=False):
        def method(self, *others):
            from kerasish.layers.core.op_layer import apply_symbolic_op

            return apply_symbolic_op(name, self, *others, reverse=reverse)

        return method

    __add__ = _op("add")
    __radd__ = _op("add", True)
    __sub__ = _op("subtract")
    __rsub__ = _op("subtract", True)
    __mul__ = _op("multiply")
    __rmul__ = _op("multiply", True)
    __truediv__ = _op("divide")
    __rtruediv__ = _op("divide", True)
    __pow__ = _op("power")
    __neg__ = _op("negative")
    __matmul__ = _op("matmul")
    __getitem__ = _op("getitem")
    del _op


def any_symbolic(args):
    """Whether a nested structure of call arguments contains a KerasTensor."""
    if isinstance(args, KerasTensor):
        return True
    if isinstance(args, (list, tuple)):
        return any(any_symbolic(a) for a in args)
    if isinstance(args, dict):
        return any(any_symbolic(a) for a in args.values())
    return False
