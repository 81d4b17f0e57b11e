"""`Lambda`: wraps an arbitrary function of tensors as a layer.

Its config stores a Python `lambda` as Keras does: marshalled bytecode (base64) plus defaults and
closure. Such bytecode runs only when loading with `safe_mode=False`; a named function is stored by
name and found among the registered custom objects.
"""

import codecs
import inspect
import marshal
import types

from kerasish.layers.layer import Layer
from kerasish.saving import object_registration


def _is_lambda(fn):
    return isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>"


def _dump_function(fn):
    if _is_lambda(fn):
        code = codecs.encode(marshal.dumps(fn.__code__), "base64").decode("ascii")
        closure = tuple(c.cell_contents for c in fn.__closure__) if fn.__closure__ else None
        return {"class_name": "__lambda__",
                "config": {"code": code, "defaults": fn.__defaults__, "closure": closure}}
    if callable(fn):
        return {"module": getattr(fn, "__module__", None), "class_name": "function",
                "config": fn.__name__,
                "registered_name": object_registration.get_registered_name(fn)}
    raise ValueError(f"Expected a function to serialize. Received: {fn!r} of type {type(fn).__name__}")


# Names a loaded lambda's code may use; the package root adds itself (`keras`, `kerasish`) and
# the reader of the current safe mode (both live above this floor), see kerasish/__init__.py.
_NAMESPACE = {}
_SAFE_MODE = [lambda: True]


def configure_loading(namespace, safe_mode_reader):
    """Installs the globals of loaded lambdas and the reader of the current safe mode."""
    _NAMESPACE.update(namespace)
    _SAFE_MODE[0] = safe_mode_reader


def _lambda_globals():
    import numpy
    import torch

    from kerasish import backend

    return {"K": backend, "backend": backend, "np": numpy, "numpy": numpy, "torch": torch,
            **_NAMESPACE, "__builtins__": __builtins__}


def _load_function(spec, custom_objects, safe_mode):
    if callable(spec):
        return spec
    if isinstance(spec, dict) and spec.get("class_name") == "__lambda__":
        if safe_mode:
            raise ValueError(
                "Loading this Lambda layer would run Python bytecode stored in the file, which "
                "could execute arbitrary code. If you trust the file, load it with "
                "`safe_mode=False`. Received: a `__lambda__` function config with safe_mode=True"
            )
        cfg = spec["config"]
        code = marshal.loads(codecs.decode(cfg["code"].encode("ascii"), "base64"))
        closure = cfg.get("closure")
        cells = tuple(types.CellType(v) for v in closure) if closure else None
        defaults = tuple(cfg["defaults"]) if cfg.get("defaults") else None
        return types.FunctionType(code, _lambda_globals(), code.co_name, defaults, cells)
    name = spec.get("registered_name") or spec.get("config") if isinstance(spec, dict) else spec
    found = object_registration.get_registered_object(name, custom_objects)
    if found is None and isinstance(spec, dict):
        found = object_registration.get_registered_object(spec.get("config"), custom_objects)
    if found is None:
        raise ValueError(
            f"Could not find the function {name!r} used by a Lambda layer. Pass it in "
            f"`custom_objects` or register it with `register_keras_serializable`. Received: {spec!r}"
        )
    return found


class Lambda(Layer):
    """Applies `function(inputs, **arguments)` as a layer.

    Args:
        function: a function of the input tensor (or list of tensors). It may take `mask` and
            `training` keyword arguments.
        output_shape: the output shape without the batch dimension, or a function of the input
            shape; inferred by running the function when not given.
        mask: a mask to return, or a function `(inputs, mask) -> mask`.
        arguments: extra keyword arguments for `function`.

    Example:

    ```python
    distance = Lambda(lambda t: K.sqrt(K.sum(K.square(t[0] - t[1]), axis=1, keepdims=True)))
    d = distance([encoded_a, encoded_b])
    ```
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        if not callable(function):
            raise TypeError(f"`function` must be callable. Received: function={function!r}")
        super().__init__(**kwargs)
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        if isinstance(output_shape, list) and all(isinstance(d, (int, type(None))) for d in output_shape):
            output_shape = tuple(output_shape)
        self._output_shape = output_shape
        try:
            params = inspect.signature(function).parameters
        except (TypeError, ValueError):
            params = {}
        self._fn_takes_mask = "mask" in params
        self._fn_takes_training = "training" in params
        self._infer_shapes_by_running = output_shape is None
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments) if self.arguments else {}
        if self._fn_takes_mask:
            kwargs["mask"] = mask
        if self._fn_takes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return self._infer_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        first = input_shape[0] if input_shape and isinstance(input_shape[0], (tuple, list)) else input_shape
        batch = first[0] if first else None
        if self._output_shape and isinstance(self._output_shape[0], (tuple, list)):
            return [(batch,) + tuple(s) for s in self._output_shape]
        return (batch,) + tuple(self._output_shape)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self):
        config = {"function": _dump_function(self.function)}
        if self._output_shape is not None:
            config["output_shape"] = (_dump_function(self._output_shape) if callable(self._output_shape)
                                      else self._output_shape)
        if self.mask is not None:
            config["mask"] = _dump_function(self.mask) if callable(self.mask) else self.mask
        config["arguments"] = self.arguments
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        if safe_mode is None:
            safe_mode = _SAFE_MODE[0]()
        config = dict(config)
        config["function"] = _load_function(config["function"], custom_objects, safe_mode is not False)
        for key in ("output_shape", "mask"):
            value = config.get(key)
            if isinstance(value, dict):
                config[key] = _load_function(value, custom_objects, safe_mode is not False)
            elif isinstance(value, list) and key == "output_shape":
                config[key] = tuple(value) if all(isinstance(d, (int, type(None))) for d in value) else value
        return super().from_config(config)
