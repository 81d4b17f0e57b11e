"""`KerasTensor`: a symbolic tensor (shape and dtype, no data) used by `Input` and the functional API.

Calling a layer on KerasTensors records a node in the layer graph instead of computing; the
functional `Model` replays the graph on real tensors.
"""

from kerasish.backend import dtypes

STRING_DTYPES = ("string", "str", str)


class KerasTensor:
    """A placeholder with a Keras shape (batch dim first, `None` for unknown) and a dtype.

    Example:

    >>> x = keras.KerasTensor((None, 3))
    >>> x.shape, x.dtype
    ((None, 3), 'float32')
    >>> keras.layers.Dense(4)(x).shape
    (None, 4)
    """

    def __init__(self, shape, dtype="float32", sparse=False, name=None, record_history=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        # "string": a model input of text for the preprocessing layers (no torch dtype; the
        # values stay numpy arrays of str until a lookup layer turns them into indices).
        self.dtype = "string" if dtype in STRING_DTYPES else dtypes.dtype_name(dtype)
        self.sparse = sparse
        self.name = name
        # (layer, node_index, tensor_index) of the call that made this tensor.
        self._keras_history = record_history

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def _keras_mask(self):
        """The symbolic mask of a masked output (Keras 3 sets one on KerasTensors): a bool
        KerasTensor over the leading `mask rank` axes. Only its shape and dtype are symbolic; it
        is not itself a node of the graph."""
        ndim = self.__dict__.get("_mask_ndim")
        if ndim is None:
            raise AttributeError("'KerasTensor' object has no attribute '_keras_mask'")
        return KerasTensor(self.shape[:ndim], dtype="bool")

    @_keras_mask.setter
    def _keras_mask(self, mask):
        self._mask_ndim = None if mask is None else len(mask.shape)

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

    # Operators on symbolic tensors record the nodes of Keras's ops (`x + y` is `ops.add`).
    def _op(name, reverse=False):
        def method(self, *others):
            from kerasish.ops.op_nodes import apply_operator

            operands = (others[0], self) if reverse else (self,) + others
            return apply_operator(name, *operands)

        method.__name__ = name
        return method

    __add__ = _op("add")
    __radd__ = _op("add", True)
    __sub__ = _op("subtract")
    __rsub__ = _op("subtract", True)
    __mul__ = _op("multiply")
    __rmul__ = _op("multiply", True)
    __truediv__ = _op("true_divide")
    __rtruediv__ = _op("true_divide", True)
    __floordiv__ = _op("floor_divide")
    __rfloordiv__ = _op("floor_divide", True)
    __mod__ = _op("mod")
    __rmod__ = _op("mod", True)
    __pow__ = _op("power")
    __rpow__ = _op("power", True)
    __matmul__ = _op("matmul")
    __rmatmul__ = _op("matmul", True)
    __neg__ = _op("negative")
    __abs__ = _op("absolute")
    __invert__ = _op("logical_not")
    __lt__ = _op("less")
    __le__ = _op("less_equal")
    __gt__ = _op("greater")
    __ge__ = _op("greater_equal")
    __and__ = _op("logical_and")
    __rand__ = _op("logical_and", True)
    __or__ = _op("logical_or")
    __ror__ = _op("logical_or", True)
    __xor__ = _op("logical_xor")
    __rxor__ = _op("logical_xor", True)
    __getitem__ = _op("get_item")
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
