"""Ops called on KerasTensors become nodes of the functional graph, as Keras's op classes.

`ops.mean(x, axis=1)` on a KerasTensor builds a `Mean(axis=1)` operation (Keras's class name and
config, from the table `_signatures.py` generated from Keras's own functions) and records the node
`Mean(...)(x)`; a saved model names it as Keras does (`module: keras.src.ops.numpy`), so Keras
loads it, and a Keras file's op entries load here. The output's shape and dtype come from running
the op's eager function on meta tensors (`kerasish.ops.symbolic`).

Backend functions (`K.mean` in Keras 2 code) on KerasTensors become `FunctionOp` nodes: they replay
in the graph, but cannot be saved (as a Python function cannot).
"""

import functools
import inspect

from kerasish.backend.keras_tensor import any_symbolic
from kerasish.ops import dispatch
from kerasish.ops._signatures import OPS
from kerasish.ops.operation import Operation

KERAS_OPS_MODULE = "keras.src.ops."
# Ops whose output sizes can depend on the input values (a meta tensor has none).
VALUE_DEPENDENT = {"nonzero", "unique", "bincount", "repeat", "where", "argwhere", "histogram"}
_CLASSES = {}  # op name -> generated class
_BY_KERAS_CLASS = {}  # (family, class name) -> op name, filled from OPS on first use
_FAMILY_OF_CLASS = {}  # class name -> family, filled with _BY_KERAS_CLASS


class KerasOp(Operation):
    """One of Keras's op classes (`Mean`, `Add`, `Conv`, ...) wrapping kerasish's eager function.

    The config holds the constructor arguments of Keras's class; a call takes the class's `call`
    arguments (the tensors) and runs the public function with both.
    """

    op_name = None
    keras_family = None
    _init = ()  # (class param, function param)
    _call = ()  # function params of the call args ("*name": star argument)
    _call_kwargs = ()  # (call keyword, function param); (None, name) for a `**name` argument
    _fn = None

    def __init__(self, name=None, **config):
        super().__init__(name=name)
        known = {k for k, _ in self._init}
        unknown = sorted(set(config) - known)
        if unknown:
            raise TypeError(
                f"`{type(self).__name__}` (ops.{self.op_name}) got unexpected arguments {unknown}; "
                f"expected {sorted(known)}. Received: config={config!r}"
            )
        self._config = config

    def call(self, *args, **kwargs):
        if self.op_name == "get_item" and len(args) > 1 and isinstance(args[1], list):
            # A saved config holds the key as a JSON list; Keras's GetItem reads it as a tuple.
            args = (args[0], tuple(args[1])) + args[2:]
        values, star = {}, ()
        for i, param in enumerate(self._call):
            if param.startswith("*"):
                star = args[i:]
                break
            if i < len(args):
                values[param] = args[i]
            elif param in kwargs:
                values[param] = kwargs.pop(param)
        for keyword, fn_param in self._call_kwargs:
            if keyword is not None and keyword in kwargs:
                values[fn_param] = kwargs.pop(keyword)
        for cls_param, fn_param in self._init:
            if cls_param in self._config and isinstance(fn_param, str):
                values[fn_param] = self._config[cls_param]
        return _call_eager(self._fn, values, star, kwargs)

    def compute_output_spec(self, *args, **kwargs):
        from kerasish.ops.symbolic import compute_output_spec

        return compute_output_spec(self.call, args, kwargs, hints=list(self._config.values()),
                                   values_matter=self.op_name in VALUE_DEPENDENT)

    def get_config(self):
        return {"name": self.name, **self._config}

    def __repr__(self):
        return f"<Operation name={self.name}>"


def _call_eager(fn, values, star, extra):
    """`fn` with arguments by name; those before a `*args` parameter go by position."""
    sig = _signature(fn)
    pos, kw = [], dict(extra)
    has_star = any(p.kind is p.VAR_POSITIONAL for p in sig.parameters.values())
    for p in sig.parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            pos.extend(star)
            has_star = False
        elif p.kind is p.VAR_KEYWORD:
            continue
        elif p.name in values:
            if p.kind is p.POSITIONAL_ONLY or has_star:
                pos.append(values[p.name])
            else:
                kw[p.name] = values[p.name]
        elif has_star and p.default is p.empty:
            break
    return fn(*pos, **kw)


_SIGNATURES = {}


def _signature(fn):
    sig = _SIGNATURES.get(fn)
    if sig is None:
        sig = _SIGNATURES[fn] = inspect.signature(fn)
    return sig


def op_class(op_name, fn):
    """The Keras op class for `op_name` (made once), running `fn` eagerly."""
    cls = _CLASSES.get(op_name)
    if cls is None:
        entry = OPS.get(op_name)
        if entry is None:
            raise NotImplementedError(
                f"`ops.{op_name}` has no Keras op class to record in a graph. "
                f"Received: a KerasTensor argument to ops.{op_name}"
            )
        family, class_name, init, call, call_kwargs = entry
        cls = type(class_name, (KerasOp,), {
            "op_name": op_name, "keras_family": family, "_init": init, "_call": call,
            "_call_kwargs": call_kwargs,
            "_fn": staticmethod(fn), "__module__": __name__,
            "__doc__": f"Keras's `{class_name}` op (`ops.{op_name}`) as a graph node."})
        _CLASSES[op_name] = cls
    return cls


def symbolic_op_call(op_name, fn, args, kwargs):
    """The symbolic handler of `keras_op`: builds the op and records its node."""
    entry = OPS.get(op_name)
    if entry is None:
        raise NotImplementedError(
            f"`ops.{op_name}` cannot be recorded in a functional graph (Keras has no op class for "
            f"it). Received: a KerasTensor argument to ops.{op_name}"
        )
    _, _, init, call, call_kwargs = entry
    bound = _signature(fn).bind(*args, **kwargs)
    bound.apply_defaults()
    values = dict(bound.arguments)
    config = {}
    for cls_param, fn_param in init:
        if isinstance(fn_param, str) and fn_param in values:
            config[cls_param] = values[fn_param]
        elif isinstance(fn_param, tuple) and fn_param[0] == "=":
            config[cls_param] = fn_param[1]
    if op_name == "multi_hot" and config.get("num_classes") is None:
        config["num_classes"] = values.get("kwargs", {}).get("num_tokens")  # Keras 2's name
    node_args = []
    for param in call:
        if param.startswith("*"):
            node_args.extend(values.get(param[1:], ()))
        else:
            node_args.append(values.get(param))
    node_kwargs = {}
    for keyword, param in call_kwargs:
        if keyword is None:  # Keras passes `**kwargs` on
            node_kwargs.update(values.get(param) or {})
        elif param in values:
            node_kwargs[keyword] = values[param]
    if any_symbolic(config):
        # Keras keeps these tensors in the op's config, where a graph cannot feed them: replay
        # the call as a function of all its arguments instead (it cannot be saved).
        return FunctionOp(functools.partial(_call_eager, fn), name=_fn_name(fn))(
            {k: v for k, v in values.items()}, (), {})
    op = op_class(op_name, fn)(**config)
    return op.symbolic_call(*node_args, **node_kwargs)


def _fill_keras_classes():
    if not _BY_KERAS_CLASS:
        for name, entry in OPS.items():
            _BY_KERAS_CLASS.setdefault((entry[0], entry[1]), name)
            _FAMILY_OF_CLASS.setdefault(entry[1], entry[0])


def keras_op_family(class_name):
    """The family (`numpy`, `nn`, ...) of Keras's op class `class_name`; None if it is none.

    A legacy `.h5` file stores an op entry as `class_name` and `config` only (no `module`), and
    Keras's op class names are unique across its families.
    """
    _fill_keras_classes()
    return _FAMILY_OF_CLASS.get(class_name)


def keras_op_from_config(family, class_name, config):
    """The op for a Keras op entry (`module: keras.src.ops.numpy`, `class_name: Mean`)."""
    _fill_keras_classes()
    op_name = _BY_KERAS_CLASS.get((family, class_name))
    fn = eager_function(op_name) if op_name else None
    if fn is None:
        raise ValueError(
            f"Unsupported Keras op in a functional config: `keras.src.ops.{family}.{class_name}` "
            f"is not implemented in kerasish.ops. Received: class_name={class_name!r}"
        )
    cls = op_class(op_name, fn)
    config = {k: v for k, v in config.items() if k not in ("trainable", "dtype")}
    return cls(**config)


# ---------------------------------------------------------------------- KerasTensor operators
# Keras op name -> Python operator, for ops a family module does not define yet.
_OPERATORS = {
    "add": "add", "subtract": "sub", "multiply": "mul", "true_divide": "truediv",
    "divide": "truediv", "floor_divide": "floordiv", "mod": "mod", "power": "pow",
    "negative": "neg", "absolute": "abs", "matmul": "matmul", "get_item": "getitem",
    "less": "lt", "less_equal": "le", "greater": "gt", "greater_equal": "ge",
    "logical_and": "and_", "logical_or": "or_", "logical_xor": "xor", "logical_not": "invert",
}


def _operator(op_name):
    import operator

    return getattr(operator, _OPERATORS[op_name])


def eager_function(op_name):
    """`ops.<op_name>`'s eager function; Python's operator on tensors for the arithmetic ops that
    `kerasish.ops` does not define (yet); None otherwise."""
    import kerasish.ops as ops_module

    public = getattr(ops_module, op_name, None)
    if public is not None:
        return getattr(public, "__eager__", public)
    if op_name not in _OPERATORS:
        return None
    if op_name not in _FALLBACKS:
        _FALLBACKS[op_name] = _named(_operator(op_name), op_name)
    return _FALLBACKS[op_name]


def apply_operator(op_name, *operands):
    """`x + y`, `x[...]`, `-x` ... on KerasTensors: the node of `ops.<op_name>`."""
    return symbolic_op_call(op_name, eager_function(op_name), operands, {})


_FALLBACKS = {}


def _named(fn, op_name):
    params = [inspect.Parameter(p, inspect.Parameter.POSITIONAL_ONLY)
              for p in (OPS[op_name][3] if len(OPS[op_name][3]) else ("x",))]

    def eager(*args):
        return fn(*args)

    eager.__signature__ = inspect.Signature(params)
    eager.__name__ = op_name
    return eager


# ---------------------------------------------------------------------- backend functions
class FunctionOp(Operation):
    """A Python function of tensors recorded in a graph (`K.mean(model_output)` in Keras 2 code).

    Args:
        fn: the function, called with the node's arguments.
    """

    def __init__(self, fn, name=None):
        super().__init__(name=name or _fn_name(fn))
        self.fn = fn

    def call(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def get_config(self):
        raise NotImplementedError(
            f"The graph op {self.name!r} applies the Python function {self.fn!r}, which cannot be "
            "serialized; use `kerasish.ops` functions or wrap it in a `Lambda` layer instead."
        )


def _fn_name(fn):
    from kerasish.utils import naming

    return naming.uniquify(getattr(fn, "__name__", "op").strip("<>"))


def apply_function(fn, *args):
    """Records `fn(*args)` (some args KerasTensors) as a `FunctionOp` node."""
    return FunctionOp(fn)(*args)


def _install():
    dispatch.set_symbolic_handler(symbolic_op_call)


_install()
