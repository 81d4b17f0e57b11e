"""Keras's serialized form of objects and models, in both directions.

Writing: objects become Keras 3's `{"module", "class_name", "config", "registered_name"}` dicts with
Keras's public module names (`keras.layers`, `keras.initializers`, ...), so real Keras 3 reads them;
layer dtypes are written as `DTypePolicy` dicts.

Reading: configs from Keras 3, tf.keras 2.x and Keras 2 (and the Keras 1 layer arguments Keras 2 still
read) are normalised by `from_keras_tree`: dtype-policy dicts, `__tuple__`/`__numpy__` wrappers and
`shared_object_id`s are resolved, Keras 2 spellings are translated; a Lambda's Python bytecode is
refused unless `safe_mode=False`. Classes are then found by name in the family registries.
"""

import base64
import contextlib
import json
import marshal
import threading
import types

import numpy as np
import torch

from kerasish.backend import config as backend_config
from kerasish.saving import object_registration

# kerasish package -> the Keras module Keras 3 writes for the same family (longest prefix first).
_KERAS_MODULES = (
    ("kerasish.optimizers.schedules", "keras.optimizers.schedules"),
    ("kerasish.optimizers", "keras.optimizers"),
    ("kerasish.layers", "keras.layers"),
    ("kerasish.initializers", "keras.initializers"),
    ("kerasish.regularizers", "keras.regularizers"),
    ("kerasish.constraints", "keras.constraints"),
    ("kerasish.losses", "keras.losses"),
    ("kerasish.metrics", "keras.metrics"),
    ("kerasish.activations", "keras.activations"),
    ("kerasish.mixed_precision", "keras"),
    ("kerasish.backend.dtype_policy", "keras"),
    ("kerasish.models.sequential", "keras"),
    ("kerasish.models.functional", "keras.src.models.functional"),
    ("kerasish.models", "keras"),
    ("kerasish.applications.inception_resnet_v2", "keras.src.applications.inception_resnet_v2"),  # CustomScaleLayer
    ("kerasish.applications.convnext", "keras.src.applications.convnext"),  # LayerScale, StochasticDepth
    ("kerasish.utils.feature_space", "keras.utils"),
)

# Keras 2 / tf.keras class names of models, and Keras 3's, -> the kerasish class (by name).
_MODEL_CLASS_NAMES = {"Sequential": "Sequential", "Functional": "Functional", "Model": "Functional"}

# Arguments other Keras versions write with a value meaning "unused" (Keras 3's newer additions,
# tf.keras 2's `time_major`); kerasish's classes do not take them, so that value is dropped on load.
_DROP_WHEN = {"input_axes": None, "output_axes": None, "quantization_config": None,
              "time_major": False}

# Arguments Keras writes with their default even when the feature they tune is off: the key is
# dropped when its switch (the sibling key) is falsy.
_INERT_UNLESS = {"renorm_momentum": "renorm", "renorm_clipping": "renorm"}

# Per thread (as Keras 3's `safe_mode_saving` global state): a `safe_mode=False` load in one
# thread must not let another thread's load run code from its file.
_SAFE_MODE = threading.local()


@contextlib.contextmanager
def safe_mode_scope(safe_mode=True):
    """Within the block (in this thread), deserialization refuses Python bytecode unless
    `safe_mode` is False."""
    previous = getattr(_SAFE_MODE, "value", True)
    _SAFE_MODE.value = bool(safe_mode)
    try:
        yield
    finally:
        _SAFE_MODE.value = previous


def in_safe_mode():
    # `kerasish.config.enable_unsafe_deserialization()` turns safe mode off everywhere, as in Keras.
    return getattr(_SAFE_MODE, "value", True) and not backend_config.is_unsafe_deserialization_enabled()


# ---------------------------------------------------------------------------------------- writing
def keras_module(cls):
    """Keras's public module for a kerasish class; a user class keeps its own module."""
    # A class Keras keeps in one of its private modules declares it (`_keras_module`).
    return cls.__dict__.get("_keras_module") or _keras_module_name(cls.__module__)


def _keras_module_name(module):
    for prefix, keras_name in _KERAS_MODULES:
        if module == prefix or module.startswith(prefix + "."):
            return keras_name
    return module


def _is_builtin(cls):
    return cls.__module__.startswith("kerasish.")


def _registered_name(cls):
    name = object_registration.get_registered_name(cls)
    if _is_builtin(cls):
        return "Functional" if cls.__name__ == "Functional" else None
    return name


def _policy_dict(name):
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": name},
            "registered_name": None}


def to_keras_tree(value):
    """A config tree with kerasish modules renamed to Keras's and layer dtypes as policy dicts."""
    if isinstance(value, dict):
        out = {k: to_keras_tree(v) for k, v in value.items()}
        module = out.get("module")
        if "class_name" in out and isinstance(module, str) and module.startswith("kerasish"):
            out["module"] = _keras_module_name(module)
            registered = out.get("registered_name")
            if not (isinstance(registered, str) and ">" in registered):
                out["registered_name"] = "Functional" if out["class_name"] == "Functional" else None
        config = out.get("config")
        if isinstance(config, dict) and isinstance(config.get("dtype"), str) \
                and out.get("class_name") not in ("InputLayer", None) and "layers" not in config \
                and str(out.get("module", "")).startswith("keras.layers"):
            config["dtype"] = _policy_dict(config["dtype"])
        return out
    if isinstance(value, (list, tuple)):
        return [to_keras_tree(v) for v in value]
    return value


def serialize_keras_object(obj):
    """`obj` as Keras 3 serializes it (a dict for objects with `get_config`, a name for functions).

    Example:

    ```python
    serialize_keras_object(kerasish.layers.Dense(3))["module"]  # 'keras.layers'
    ```
    """
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(o) for o in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, types.FunctionType) or not hasattr(obj, "get_config"):
        name = object_registration.get_registered_name(obj)
        if _is_builtin_function(obj):
            return name
        return {"module": getattr(obj, "__module__", None), "class_name": "function",
                "config": name, "registered_name": name}
    cls = type(obj)
    # A class Keras exports under another name (GroupedQueryAttention as GroupQueryAttention)
    # declares it in its own `_keras_class_name` (not inherited by subclasses).
    class_name = cls.__dict__.get("_keras_class_name", cls.__name__)
    config = {"module": keras_module(cls), "class_name": class_name,
              "config": to_keras_tree(obj.get_config()), "registered_name": _registered_name(cls)}
    build_config = _build_config(obj)
    if build_config is not None:
        config["build_config"] = build_config
    return config


def _is_builtin_function(fn):
    return getattr(fn, "__module__", "").startswith("kerasish.") or fn in (None,)


def _build_config(layer):
    from kerasish.layers.layer import Layer

    if not isinstance(layer, Layer) or not layer.built:
        return None
    if callable(getattr(layer, "get_build_config", None)):
        return layer.get_build_config()  # a layer built from several shapes (`shapes_dict`)
    shape = getattr(layer, "_batch_input_shape", None)
    if shape is None:
        try:
            shape = layer.input_shape
        except (AttributeError, ValueError, IndexError):
            shape = None
    return {"input_shape": _plain(shape)} if shape is not None else None


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def model_to_dict(model):
    """The model's architecture in Keras 3's `config.json` form (without the compile config)."""
    config = serialize_keras_object(model)
    if config["class_name"] == "Sequential":
        config["config"] = _sequential_with_input_layer(config["config"])
    return config


def _sequential_with_input_layer(config):
    """Keras 3 writes a Sequential's input shape as a leading `InputLayer`, not on the first layer."""
    layers = list(config.get("layers", []))
    if not layers or layers[0].get("class_name") == "InputLayer":
        return config
    first = dict(layers[0])
    inner = dict(first.get("config", {}))
    shape = inner.pop("batch_input_shape", None) or config.get("build_input_shape")
    if shape is None:
        return config
    dtype = inner.get("dtype")
    dtype = dtype.get("config", {}).get("name") if isinstance(dtype, dict) else (dtype or "float32")
    first["config"] = inner
    input_layer = {"module": "keras.layers", "class_name": "InputLayer",
                   "config": {"batch_shape": list(shape), "dtype": dtype, "sparse": False,
                              "name": f"{inner.get('name', 'input')}_input"},
                   "registered_name": None}
    return {**config, "layers": [input_layer, first] + layers[1:]}


def json_default(value):
    """`json.dumps(default=...)` for the values configs hold: numpy, tuples, torch dtypes."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, torch.dtype):
        return str(value).replace("torch.", "")
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "get_config"):
        return serialize_keras_object(value)
    if callable(value) and hasattr(value, "__name__"):
        return value.__name__
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable. Received: {value!r}")


def compile_config(model):
    """Keras 3's `compile_config`: the arguments that re-create the model's `compile()`."""
    from kerasish import optimizers

    opt = model.optimizer
    opt_config = None
    if isinstance(opt, optimizers.Optimizer):
        opt_config = serialize_keras_object(opt)
        opt_config["registered_name"] = None
    loss = model.loss
    metrics = getattr(model.compiled_metrics, "_metrics_spec", None)
    weighted = getattr(model.compiled_metrics, "_weighted_spec", None)
    loss_weights = getattr(model.compiled_loss, "_loss_weights_spec", None)
    return {
        "optimizer": opt_config,
        "loss": serialize_keras_object(loss),
        "loss_weights": loss_weights,
        "metrics": serialize_keras_object(metrics),
        "weighted_metrics": serialize_keras_object(weighted),
        "run_eagerly": bool(getattr(model, "_run_eagerly", False)),
        "steps_per_execution": getattr(model, "steps_per_execution", 1),
        "jit_compile": bool(getattr(model, "_jit_compile", False)),
    }


# ---------------------------------------------------------------------------------------- reading
def _decode_lambda(config):
    if in_safe_mode():
        raise ValueError(
            "Requested the deserialization of a Lambda layer whose function is Python bytecode, which "
            "can run arbitrary code. Pass `safe_mode=False` to `load_model` only if you trust the "
            "file's source. Received: a '__lambda__' function config"
        )
    code = marshal.loads(base64.b64decode(config["code"].encode("ascii")))  # trusted by the caller
    defaults = tuple(config["defaults"]) if config.get("defaults") else None
    return types.FunctionType(code, globals(), code.co_name, defaults)


def _from_wrapper(value):
    kind = value.get("class_name")
    inner = value.get("config")
    if kind == "__tuple__":
        return tuple(from_keras_tree(v) for v in inner["value"])
    if kind in ("__numpy__", "__tensor__"):
        return np.asarray(inner["value"], dtype=inner.get("dtype"))
    if kind == "__bytes__":
        return inner["value"].encode("latin-1")
    if kind == "__lambda__":
        return _decode_lambda(inner)
    if kind == "function" and isinstance(inner, str):
        return inner  # looked up by name later, in the custom objects or the family registry
    return None


_WRAPPERS = ("__tuple__", "__numpy__", "__tensor__", "__bytes__", "__lambda__", "function")


def from_keras_tree(value):
    """A config tree from any Keras version normalised for kerasish's `from_config`."""
    if isinstance(value, dict):
        if value.get("class_name") in _WRAPPERS and "config" in value:
            decoded = _from_wrapper(value)
            if decoded is not None:
                return decoded
        if value.get("class_name") in ("DTypePolicy", "FloatDTypePolicy", "Policy") \
                and isinstance(value.get("config"), dict):
            return value["config"].get("name", "float32")
        if value.get("function_type") == "lambda" and isinstance(value.get("function"), (list, str)):
            _refuse_keras2_lambda(value)
        return {k: from_keras_tree(v) for k, v in value.items()
                if k != "shared_object_id" and not (k in _DROP_WHEN and v is _DROP_WHEN[k])
                and not (k in _INERT_UNLESS and not value.get(_INERT_UNLESS[k]))}
    if isinstance(value, list):
        return [from_keras_tree(v) for v in value]
    return value


def _refuse_keras2_lambda(config):
    if in_safe_mode():
        raise ValueError(
            f"Layer {config.get('name')!r} is a Lambda whose function is stored as Python bytecode "
            "(Keras 2 format), which can run arbitrary code. Pass `safe_mode=False` only if you trust "
            f"the file. Received: function_type={config.get('function_type')!r}"
        )


def _model_classes():
    from kerasish.models import Sequential

    classes = {"Sequential": Sequential}
    try:
        from kerasish.models.functional import Functional
    except ImportError:  # the functional API is optional for Sequential-only files
        Functional = None
    if Functional is not None:
        classes.update({"Functional": Functional, "Model": Functional})
    return classes


@contextlib.contextmanager
def _deserialization_scope(custom_objects, safe_mode):
    objects = dict(_model_classes())
    objects.update(custom_objects or {})
    with object_registration.CustomObjectScope(objects), safe_mode_scope(safe_mode):
        yield


def deserialize_keras_object(config, custom_objects=None, safe_mode=True):
    """A layer or model from a serialized dict (Keras 3, tf.keras 2 or Keras 2 form).

    Example:

    >>> config = kerasish.utils.serialize_keras_object(kerasish.layers.Dense(2, name="d"))
    >>> kerasish.utils.deserialize_keras_object(config).units
    2
    """
    from kerasish import layers

    if config is None or isinstance(config, (str, int, float, bool)):
        # Keras passes plain values through (a string id stays a string for `get` to resolve).
        if isinstance(config, str) and custom_objects and config in custom_objects:
            return custom_objects[config]
        return config
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(c, custom_objects, safe_mode) for c in config]
    family = _family_deserializer(config)
    if family is not None:
        with _deserialization_scope(custom_objects, safe_mode):
            return family(config)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "Expected a config dict with 'class_name' and 'config' keys (Keras's serialized form). "
            f"Received: config={str(config)[:200]}"
        )
    with _deserialization_scope(custom_objects, safe_mode):
        config = from_keras_tree(config)
        name = config["class_name"]
        registered = config.get("registered_name")
        classes = _model_classes()
        if name in _MODEL_CLASS_NAMES and (not registered or registered in classes) \
                and _MODEL_CLASS_NAMES[name] in classes:
            cls = classes[_MODEL_CLASS_NAMES[name]]
            obj = cls.from_config(config.get("config") or {}, custom_objects=custom_objects)
        elif (name, config.get("module")) in _UTILITY_CLASSES and registered in (None, name):
            import importlib

            cls = getattr(importlib.import_module(_UTILITY_CLASSES[name, config["module"]]), name)
            obj = cls.from_config(config.get("config") or {})
        else:
            obj = layers.deserialize(config, custom_objects=custom_objects)
    _apply_build_config(obj, config.get("build_config"))
    return obj


# Keras's savable utilities that are not layers of `keras.layers`: (class name, module) -> ours.
_UTILITY_CLASSES = {("FeatureSpace", "keras.utils"): "kerasish.utils.feature_space",
                    ("TFDIdentity", "keras.src.layers.preprocessing.feature_space"):
                        "kerasish.utils.feature_space"}

_FAMILIES = ("schedules", "losses", "metrics", "optimizers", "initializers", "regularizers",
             "constraints", "activations")
_POLICIES = ("DTypePolicy", "FloatDTypePolicy", "Policy")


def _family_deserializer(config):
    """The `deserialize` of the family a serialized non-layer object belongs to (Keras names it
    in `module`: `keras.losses`, `keras.src.backend.torch.optimizers.torch_adam`, ...), else None
    (layers and models keep the path below)."""
    if not isinstance(config, dict) or "class_name" not in config:
        return None
    module = str(config.get("module") or "")
    name = config["class_name"]
    if name in _POLICIES and module in ("keras", "kerasish", "keras.mixed_precision", ""):
        from kerasish.mixed_precision import DTypePolicy

        return lambda c: DTypePolicy(**(c.get("config") or {}))
    if name == "function" and isinstance(config.get("config"), str):
        return _function_by_name
    parts = module.replace("keras.src.", "").split(".")
    if parts[0] not in ("keras", "kerasish", "backend") and not module.startswith("keras.src"):
        return None
    for family in _FAMILIES:
        if family in parts:
            import importlib

            path = "kerasish.optimizers.schedules" if family == "schedules" else f"kerasish.{family}"
            return importlib.import_module(path).deserialize
    return None


def _function_by_name(config):
    """A serialized function (`{"class_name": "function", "config": "relu"}`): a custom object,
    else Keras's own activation, loss or metric of that name."""
    import importlib

    name = config["config"]
    for key in (config.get("registered_name"), name):
        found = object_registration.get_registered_object(key) if key else None
        if found is not None:
            return found
    for family in ("activations", "losses", "metrics"):
        fn = getattr(importlib.import_module(f"kerasish.{family}"), name, None)
        if callable(fn) and not isinstance(fn, type):
            return fn
    raise ValueError(f"Could not locate the function {name!r}: it is neither a custom object nor one of "
                     f"Keras's activations, losses or metrics. Received: config={config}")


def _apply_build_config(obj, build_config):
    if not build_config or getattr(obj, "built", True):
        return
    if "input_shape" not in build_config and "shapes_dict" not in build_config and \
            callable(getattr(obj, "build_from_config", None)):
        obj.build_from_config(build_config)  # its own form (FeatureSpace: one per feature)
        return
    shape = build_config.get("input_shape")
    if shape is not None:
        obj.build(_as_shape(shape))
    elif isinstance(build_config.get("shapes_dict"), dict):
        # Keras's `build(**shapes_dict)` for layers built from several shapes (attention).
        obj.build(**{k: _as_shape(v) for k, v in build_config["shapes_dict"].items()})


def _as_shape(shape):
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return [_as_shape(s) for s in shape]
    return tuple(shape)


def model_from_config(config, custom_objects=None):
    """A model (or layer) from its config dict: `{"class_name": ..., "config": ...}`.

    Example:

    ```python
    clone = kerasish.models.model_from_config(json.loads(model.to_json()))
    ```
    """
    if isinstance(config, list):
        raise TypeError(
            "`model_from_config` expects a dictionary, not a list. Maybe you meant to use "
            f"`Sequential.from_config(config)`? Received: config={str(config)[:100]}"
        )
    return deserialize_keras_object(config, custom_objects=custom_objects)


def model_from_json(json_string, custom_objects=None):
    """A model from `model.to_json()` output (Keras 3, tf.keras 2 or Keras 2 JSON).

    Example:

    ```python
    clone = kerasish.models.model_from_json(model.to_json())
    ```
    """
    try:
        config = json.loads(json_string)
    except (TypeError, json.JSONDecodeError) as e:
        raise ValueError(f"`model_from_json` expects a JSON string. Received: {str(json_string)[:100]!r}") \
            from e
    return model_from_config(config, custom_objects=custom_objects)
