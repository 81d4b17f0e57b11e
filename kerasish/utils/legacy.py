"""`kerasish.utils.legacy` (= `kerasish.legacy.saving`): Keras 2's object serialization,
`{"class_name": ..., "config": ...}` without Keras 3's `module` / `registered_name` keys."""

import inspect

from kerasish.saving import object_registration


def serialize_keras_object(instance):
    """Keras 2's form of an object: `{"class_name", "config"}` for objects with `get_config`,
    the name for a function, `None` for `None`.

    Example:

    ```python
    kerasish.utils.legacy.serialize_keras_object(kerasish.layers.Dense(2))["class_name"]  # "Dense"
    ```
    """
    if instance is None:
        return None
    if hasattr(instance, "get_config"):
        name = object_registration.get_registered_name(type(instance))
        return {"class_name": name, "config": instance.get_config()}
    if hasattr(instance, "__name__"):
        return object_registration.get_registered_name(instance)
    raise ValueError(f"Cannot serialize {instance!r}: it has no `get_config()` and no name. "
                     f"Received: instance={instance!r}")


def _lookup(name, module_objects, custom_objects):
    for table in (custom_objects or {}, object_registration.get_custom_objects(), module_objects or {}):
        if name in table:
            return table[name]
    return object_registration.get_registered_object(name)


def deserialize_keras_object(identifier, module_objects=None, custom_objects=None,
                             printable_module_name="object"):
    """The inverse of `serialize_keras_object`: classes and functions are looked up in
    `custom_objects`, the registered custom objects, then `module_objects`; without
    `module_objects`, kerasish's own classes are searched (`saving.deserialize_keras_object`).
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        if "class_name" not in identifier or "config" not in identifier:
            raise ValueError(f"Improper config format for {printable_module_name}: expected "
                             f"'class_name' and 'config' keys. Received: identifier={identifier!r}")
        cls = _lookup(identifier["class_name"], module_objects, custom_objects)
        if cls is None:
            if module_objects is None:
                from kerasish.saving import serialization

                return serialization.deserialize_keras_object(identifier, custom_objects)
            raise ValueError(f"Unknown {printable_module_name}: '{identifier['class_name']}'. Pass it "
                             "in `custom_objects` or register it with `register_keras_serializable`. "
                             f"Received: class_name={identifier['class_name']!r}")
        config = identifier["config"]
        if hasattr(cls, "from_config"):
            params = inspect.signature(cls.from_config).parameters
            if "custom_objects" in params:
                return cls.from_config(config, custom_objects=custom_objects)
            return cls.from_config(config)
        return cls(**config)
    if isinstance(identifier, str):
        obj = _lookup(identifier, module_objects, custom_objects)
        if obj is None:
            raise ValueError(f"Unknown {printable_module_name}: '{identifier}'. Received: "
                             f"identifier={identifier!r}")
        return obj
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret serialized {printable_module_name}. "
                     f"Received: identifier={identifier!r}")
