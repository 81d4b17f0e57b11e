"""`Operation`: Keras 3's base of everything a functional graph records (ops and layers alike).

An operation computes eagerly on tensors (`call`) and, given `KerasTensor`s, records a `Node` of the
graph whose output KerasTensors carry shapes (with `None` dims) and dtypes (`symbolic_call`, which
uses `compute_output_spec`). By default the output spec comes from running `call` on `meta` tensors
(`kerasish.ops.symbolic.compute_output_spec`), so an operation needs no hand-written shape rule.
"""

import inspect

from kerasish.backend.keras_tensor import KerasTensor, any_symbolic
from kerasish.ops import graph
from kerasish.ops.node import Node
from kerasish.utils import naming

_JSON_TYPES = (str, int, float, bool, type(None))


def _is_plain(value):
    if isinstance(value, _JSON_TYPES):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


class Operation:
    """A computation that runs eagerly on tensors or symbolically on KerasTensors.

    Subclasses implement `call(*args, **kwargs)` on torch tensors; `compute_output_spec` defaults
    to running `call` on `meta` tensors. The constructor's arguments form the default config.

    Args:
        name: the operation's name (unique names are made from the class name by default).

    Example:

    ```python
    class Double(kerasish.Operation):
        def call(self, x):
            return x * 2

    x = kerasish.Input((3,))
    y = Double()(x)          # a KerasTensor of shape (None, 3)
    Double()(torch.ones(3))  # tensor([2., 2., 2.])
    ```
    """

    def __new__(cls, *args, **kwargs):
        instance = super().__new__(cls)
        # Keras records the constructor's arguments for the default `get_config`.
        if cls.get_config is Operation.get_config:
            try:
                bound = inspect.signature(cls.__init__).bind(None, *args, **kwargs)
            except TypeError:
                bound = None
            if bound is not None:
                config = dict(list(bound.arguments.items())[1:])
                for p in inspect.signature(cls.__init__).parameters.values():
                    if p.kind is p.VAR_KEYWORD:
                        config.update(config.pop(p.name, {}))
                instance._auto_config = config
        return instance

    def __init__(self, name=None):
        if name is None:
            name = naming.auto_name(self)
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"Argument `name` must be a string without '/'. Received: name={name!r}"
            )
        self.name = name
        self._inbound_nodes = []
        self._outbound_nodes = []

    def __call__(self, *args, **kwargs):
        if any_symbolic((args, kwargs)):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def symbolic_call(self, *args, **kwargs):
        """Records a node of the graph; returns the output KerasTensors."""
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, args, dict(kwargs), outputs)
        for i, t in enumerate(graph.flatten(outputs)):
            if isinstance(t, KerasTensor):
                t.name = self.name if i == 0 else f"{self.name}_{i}"
        return outputs

    def call(self, *args, **kwargs):
        raise NotImplementedError(
            f"Operation {type(self).__name__!r} must implement `call()`. Received: name={self.name!r}"
        )

    def compute_output_spec(self, *args, **kwargs):
        """The output KerasTensors (shape with `None` dims, dtype) for KerasTensor arguments."""
        from kerasish.ops.symbolic import compute_output_spec

        return compute_output_spec(self.call, args, kwargs)

    # ------------------------------------------------------------------ config
    def get_config(self):
        """`{"name": ...}` plus the constructor's arguments (when they are plain values)."""
        config = {"name": self.name}
        auto = getattr(self, "_auto_config", None)
        if auto:
            if not _is_plain(auto):
                raise NotImplementedError(
                    f"Operation {type(self).__name__!r} has constructor arguments that are not "
                    "plain Python values; override `get_config()` to serialize it. "
                    f"Received: arguments={auto!r}"
                )
            config.update({k: v for k, v in auto.items() if k != "name"})
        return config

    @classmethod
    def from_config(cls, config):
        try:
            return cls(**config)
        except TypeError as e:
            raise TypeError(
                f"Error when deserializing class {cls.__name__!r} using config={config}. "
                f"Exception encountered: {e}"
            ) from e

    # ------------------------------------------------------------------ graph view
    def _node_tensors(self, attr, what):
        if not self._inbound_nodes:
            raise AttributeError(
                f"Operation {self.name!r} has never been called and thus has no defined {what}."
            )
        if len(self._inbound_nodes) > 1:
            raise AttributeError(
                f"Operation {self.name!r} has multiple inbound nodes; the notion of its {what} "
                "is ill-defined."
            )
        value = getattr(self._inbound_nodes[0], attr)
        return value[0] if len(value) == 1 else value

    @property
    def input(self):
        """The symbolic input(s) of the operation's only call."""
        return self._node_tensors("input_tensors", "input")

    @property
    def output(self):
        """The symbolic output(s) of the operation's only call."""
        return self._node_tensors("output_tensors", "output")

    def __repr__(self):
        return f"<Operation name={self.name}>"
