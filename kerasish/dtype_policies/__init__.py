"""`kerasish.dtype_policies` (Keras 3's module): the mixed-precision policies by Keras's names.

`DTypePolicy("mixed_bfloat16")` is the same object `kerasish.mixed_precision` uses (autocast
regions, float32 weights). Quantized policies (`"int8_from_float32"`, `QuantizedDTypePolicy`,
`Int4DTypePolicy`, `GPTQDTypePolicy`, `AWQDTypePolicy`, `QuantizedFloat8DTypePolicy`) belong to
`keras.quantizers`, which kerasish does not implement: `get` refuses their names with a clear
error, and the classes are absent.
"""

from kerasish.backend import dtypes as _dtypes
from kerasish.backend.dtype_policy import DTypePolicy, dtype_policy as _global_policy
from kerasish.backend.dtype_policy_map import DTypePolicyMap

FloatDTypePolicy = DTypePolicy

QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")
_CLASSES = {"DTypePolicy": DTypePolicy, "FloatDTypePolicy": DTypePolicy,
            "DTypePolicyMap": DTypePolicyMap}

__all__ = ["DTypePolicy", "DTypePolicyMap", "FloatDTypePolicy", "deserialize", "get", "serialize"]


def _refuse_quantized(what):
    raise ValueError(
        "Quantized dtype policies need `keras.quantizers`, which kerasish does not implement "
        f"(quantization has its own issue). Received: {what}")


def serialize(dtype_policy):
    """A policy as Keras's config dict (`{"module": "keras", "class_name": "DTypePolicy", ...}`).

    Example:

    >>> keras.dtype_policies.serialize(keras.DTypePolicy("mixed_float16"))["config"]
    {'name': 'mixed_float16'}
    """
    if not isinstance(dtype_policy, DTypePolicy):
        raise TypeError(f"Expected a DTypePolicy. Received: dtype_policy={dtype_policy!r}")
    if isinstance(dtype_policy, DTypePolicyMap):
        return {"module": "keras.dtype_policies", "class_name": "DTypePolicyMap",
                "config": dtype_policy.get_config(), "registered_name": None}
    return {"module": "keras", "class_name": "DTypePolicy", "config": dtype_policy.get_config(),
            "registered_name": None}


def deserialize(config, custom_objects=None):
    """The inverse of `serialize` (Keras's files and configs too).

    Example:

    >>> config = keras.dtype_policies.serialize(keras.DTypePolicy("mixed_float16"))
    >>> keras.dtype_policies.deserialize(config).compute_dtype
    'float16'
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Expected a dtype policy config dict. Received: config={config!r}")
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name)
    if cls is None:
        if "DTypePolicy" in name:
            _refuse_quantized(f"class_name={name!r}")
        raise ValueError(f"Unknown dtype policy class. Received: class_name={name!r}")
    inner = config.get("config", {})
    return cls.from_config(inner) if hasattr(cls, "from_config") else cls(**inner)


def get(identifier):
    """A `DTypePolicy` from a name (`"mixed_float16"`), a dtype, a config dict or a policy.

    `None` gives the global policy.

    Example:

    ```python
    kerasish.dtype_policies.get("mixed_bfloat16").compute_dtype  # "bfloat16"
    ```
    """
    if identifier is None:
        return _global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier.startswith(QUANTIZATION_MODES):
            _refuse_quantized(f"identifier={identifier!r}")
        return DTypePolicy(identifier)
    try:
        return DTypePolicy(_dtypes.dtype_name(identifier))
    except (TypeError, ValueError):
        raise ValueError("Cannot interpret `dtype` argument. Expected a string or an instance of "
                         f"DTypePolicy. Received: dtype={identifier!r}") from None
