"""`TensorOp`: arithmetic, indexing and backend functions on `KerasTensor`s, as layers in the graph.

`x + y`, `2 * x`, `x[:, 0]` or `-x` on symbolic tensors each add a `TensorOp` node, so the functional
model replays them. Operands that are not tensors (numbers, slices, arrays) travel in the node's
arguments, as in Keras, so the layer itself holds only the op's name.
"""

import operator

import torch

from kerasish.layers.layer import Layer
from kerasish.utils import naming

# op name -> function of the operands (the KerasTensor first).
_OPS = {
    "add": operator.add,
    "subtract": operator.sub,
    "multiply": operator.mul,
    "divide": operator.truediv,
    "power": operator.pow,
    "negative": operator.neg,
    "matmul": torch.matmul,
    "getitem": operator.getitem,
}

# Keras 3 op class names (as written in `.keras` configs) -> op names here.
_KERAS_CLASS_NAMES = {
    "Add": "add", "Subtract": "subtract", "Multiply": "multiply", "Divide": "divide",
    "TrueDivide": "divide", "Power": "power", "Negative": "negative", "Matmul": "matmul",
    "GetItem": "getitem",
}
_SUMMARY_TYPES = {v: k for k, v in _KERAS_CLASS_NAMES.items() if k != "TrueDivide"}


class TensorOp(Layer):
    """One tensor operation (`"add"`, `"getitem"`, ... or any callable) recorded in a functional graph.

    Args:
        op: the op's name (a key of the op table) or, for backend functions applied to symbolic
            tensors, a callable of the operands.
        reverse: apply the op with the first two operands swapped (`2 - x`).

    Example:

    ```python
    x = kerasish.Input((4,))
    y = 2 * x[:, :2] + 1          # three TensorOp layers
    model = kerasish.Model(x, y)
    ```
    """

    _is_tensor_op = True

    def __init__(self, op, reverse=False, **kwargs):
        if isinstance(op, str):
            if op not in _OPS:
                raise ValueError(f"Unknown tensor op. Expected one of {sorted(_OPS)}. Received: op={op!r}")
            self._fn = _OPS[op]
            kwargs.setdefault("name", naming.uniquify(op.replace("getitem", "get_item")))
        elif callable(op):
            self._fn = op
            kwargs.setdefault("name", naming.uniquify(getattr(op, "__name__", "op").strip("<>")))
        else:
            raise TypeError(f"`op` must be an op name or a callable. Received: op={op!r}")
        super().__init__(**kwargs)
        self.op = op
        self.reverse = bool(reverse)
        self._summary_type = _SUMMARY_TYPES.get(op, "TensorOp") if isinstance(op, str) else "TensorOp"
        self._infer_shapes_by_running = True
        self.built = True

    def call(self, *operands):
        if self.reverse:
            operands = (operands[1], operands[0]) + tuple(operands[2:])
        return self._fn(*operands)

    def get_config(self):
        if not isinstance(self.op, str):
            raise NotImplementedError(
                f"TensorOp {self.name!r} applies the Python function {self.op!r}, which cannot be "
                "serialized; wrap it in a `Lambda` layer instead."
            )
        return {"name": self.name, "op": self.op, "reverse": self.reverse}

    @classmethod
    def from_keras_op(cls, class_name, config):
        """The TensorOp for a Keras 3 op entry (`{"class_name": "Multiply", ...}`) in a config."""
        if class_name not in _KERAS_CLASS_NAMES:
            raise ValueError(
                f"Unsupported Keras op in a functional config. Supported: "
                f"{sorted(_KERAS_CLASS_NAMES)}. Received: class_name={class_name!r}"
            )
        return cls(_KERAS_CLASS_NAMES[class_name], name=config.get("name"))


def apply_symbolic_op(name, *operands, reverse=False):
    """Records `name(*operands)` (one operand at least a KerasTensor) as a `TensorOp` node.

    `name` may be an op name (`"add"`) or a callable; backend functions can route symbolic
    arguments here to become part of the graph.
    """
    return TensorOp(name, reverse=reverse)(*operands)
