"""Custom-object registration: `register_keras_serializable`, `custom_object_scope`."""

import inspect
import threading

_GLOBAL_CUSTOM_OBJECTS = {}
_GLOBAL_CUSTOM_NAMES = {}
# `custom_object_scope`s are per thread (Keras 3 keeps them in thread-local global state); objects
# registered with `register_keras_serializable` or `get_custom_objects()` are global.
_SCOPES = threading.local()


def _scope_stack():
    try:
        return _SCOPES.stack
    except AttributeError:
        stack = _SCOPES.stack = []
        return stack


class CustomObjectScope:
    """Makes custom objects visible to `get()`/deserialization within a `with` block (in the
    thread that enters it).

    Example:

    ```python
    with kerasish.saving.custom_object_scope({"my_loss": my_loss}):
        model = kerasish.models.load_model("model.keras")
    ```
    """

    def __init__(self, custom_objects=None):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        _scope_stack().append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _scope_stack().pop()


custom_object_scope = CustomObjectScope


def get_custom_objects():
    """The global dict of custom objects (name -> object); it may be edited directly.

    Example:

    >>> objects = kerasish.utils.get_custom_objects()
    >>> objects["my_abs"] = abs
    >>> kerasish.utils.get_registered_object("my_abs") is abs
    True
    >>> del objects["my_abs"]
    """
    return _GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(package="Custom", name=None):
    """Class/function decorator that registers an object under `"package>name"`.

    Example:

    >>> @kerasish.utils.register_keras_serializable(package="docs")
    ... class Scale(kerasish.layers.Layer):
    ...     pass
    >>> kerasish.utils.get_registered_object("docs>Scale") is Scale
    True
    """

    def decorator(obj):
        registered = name or obj.__name__
        key = f"{package}>{registered}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(
                "Cannot register a class that does not have a get_config() method. "
                f"Received: obj={obj}"
            )
        _GLOBAL_CUSTOM_OBJECTS[key] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = key
        return obj

    return decorator


def get_registered_name(obj):
    """The name under which an object is serialized: its `register_keras_serializable` key
    (`"package>name"`), else its `__name__`.

    Args:
        obj: a class or function.

    Returns:
        A string.

    Example:

    >>> @kerasish.saving.register_keras_serializable(package="demo")
    ... def halve(x):
    ...     return x / 2
    >>> kerasish.saving.get_registered_name(halve)
    'demo>halve'
    >>> kerasish.saving.get_registered_name(kerasish.layers.Dense)
    'Dense'
    """
    if obj in _GLOBAL_CUSTOM_NAMES:
        return _GLOBAL_CUSTOM_NAMES[obj]
    return getattr(obj, "__name__", type(obj).__name__)


def get_registered_object(name, custom_objects=None, module_objects=None):
    """Finds `name` in scoped, given, global registered, then module objects (None if absent).

    Example:

    >>> kerasish.utils.get_registered_object("MyLayer", custom_objects={"MyLayer": int})
    <class 'int'>
    """
    for table in reversed(_scope_stack()):
        if name in table:
            return table[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in _GLOBAL_CUSTOM_OBJECTS:
        return _GLOBAL_CUSTOM_OBJECTS[name]
    # A registered object is also found by its bare name.
    for key, obj in _GLOBAL_CUSTOM_OBJECTS.items():
        if key.split(">")[-1] == name:
            return obj
    if module_objects and name in module_objects:
        return module_objects[name]
    return None
