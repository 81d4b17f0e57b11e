"""One registry per object family (optimizers, losses, activations, ...).

A family declares its objects once (a dict built from its classes and functions) plus one explicit
alias table; `get(identifier)` then accepts a string, a config dict, a callable or an instance, and an
unknown name raises a `ValueError` listing the closest valid names.
"""

import difflib
import inspect

from kerasish.saving import object_registration

_CUSTOM_HINT = ("If it is your own class or function, pass it as `custom_objects={name: obj}` (to "
                "`load_model`, `model_from_json`, ...), use `kerasish.saving.custom_object_scope`, or "
                "decorate it with `@kerasish.saving.register_keras_serializable()`.")


class Registry:
    """Name -> object table for one family.

    Args:
        family: the family's name in messages, e.g. `"optimizer"`.
        objects: dict of canonical name -> class or function.
        aliases: dict of alias -> canonical name (e.g. `{"mse": "mean_squared_error"}`).
        base: the family's base class; instances of it are returned as they are.
        instantiate: whether a class found by name is instantiated with no arguments.
    """

    def __init__(self, family, objects=None, aliases=None, base=None, instantiate=True):
        self.family = family
        self.objects = dict(objects or {})
        self.aliases = dict(aliases or {})
        self.base = base
        self.instantiate = instantiate

    def register(self, obj, name=None, aliases=()):
        name = name or obj.__name__
        self.objects[name] = obj
        for alias in aliases:
            self.aliases[alias] = name
        return obj

    def names(self):
        return sorted(set(self.objects) | set(self.aliases))

    def lookup(self, name, custom_objects=None):
        """The class or function registered as `name` (no instantiation)."""
        found = object_registration.get_registered_object(name, custom_objects)
        if found is not None:
            return found
        key = self.aliases.get(name, name)
        if key in self.objects:
            return self.objects[key]
        lowered = self.aliases.get(name.lower(), name.lower())
        if lowered in self.objects:
            return self.objects[lowered]
        close = difflib.get_close_matches(name, self.names(), n=5, cutoff=0.5)
        hint = f" Did you mean one of: {', '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"Unknown {self.family} identifier: {name!r}.{hint} "
            f"Valid names include: {', '.join(self.names()[:40])}. {_CUSTOM_HINT} "
            f"Received: identifier={name!r}"
        )

    def _lookup_class(self, config, custom_objects):
        """The class a config names, found in registries only: its `module` is never imported."""
        class_name = config["class_name"]
        try:
            return self.lookup(class_name, custom_objects)
        except ValueError as e:
            raise ValueError(
                f"Could not locate the {self.family} class {class_name!r} (module "
                f"{config.get('module')!r}, registered name {config.get('registered_name')!r}): "
                f"kerasish builds only Keras's own classes and those it is given, and never imports "
                f"a module a file names. {e}"
            ) from None

    def get(self, identifier, custom_objects=None):
        if identifier is None:
            return None
        if self.base is not None and isinstance(identifier, self.base):
            return identifier
        if isinstance(identifier, str):
            obj = self.lookup(identifier, custom_objects)
            if inspect.isclass(obj) and self.instantiate:
                return obj()
            return obj
        if isinstance(identifier, dict):
            return self.deserialize(identifier, custom_objects)
        if callable(identifier):
            return identifier
        raise ValueError(
            f"Could not interpret {self.family} identifier: expected a name, a config dict, "
            f"a callable or a {self.family} instance. Received: identifier={identifier!r}"
        )

    def serialize(self, obj):
        if obj is None:
            return None
        if hasattr(obj, "get_config") and not inspect.isclass(obj):
            return {
                "module": type(obj).__module__,
                # A class Keras exports under another name declares it (not inherited).
                "class_name": type(obj).__dict__.get("_keras_class_name", type(obj).__name__),
                "config": obj.get_config(),
                "registered_name": object_registration.get_registered_name(type(obj)),
            }
        return getattr(obj, "__name__", str(obj))

    def deserialize(self, config, custom_objects=None):
        if isinstance(config, str):
            return self.get(config, custom_objects)
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(
                f"Could not deserialize {self.family}: expected a dict with 'class_name' and "
                f"'config' keys. Received: config={config!r}"
            )
        name = config.get("registered_name") or config["class_name"]
        try:
            obj = self.lookup(name, custom_objects)
        except ValueError:
            obj = self._lookup_class(config, custom_objects)
        inner = config.get("config") or {}
        if inspect.isclass(obj):
            if hasattr(obj, "from_config"):
                return obj.from_config(inner)
            return obj(**inner)
        return obj
