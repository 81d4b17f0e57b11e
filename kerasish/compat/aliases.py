"""`import keras` (and `tensorflow.keras`, `tf_keras`) resolved to kerasish, by an import hook.

`install()` puts a `MetaPathFinder` first on `sys.meta_path`. For a module name under one of the Keras
prefixes it makes an `AliasModule`: a module whose attributes are looked up, on first use, in the
kerasish modules that supply that Keras path (`legacy_modules.py`). Looking names up lazily means a
script can import a legacy path even when a name in it is provided by a part of kerasish that is not
there. Using that name raises `MissingKerasAttributeError` (an `AttributeError`, so `hasattr` and
`getattr(module, name, default)` behave as Python's probes expect), and `from keras.x import Name`
raises `MissingKerasFeatureError` (an `ImportError`); both name what is missing.
"""

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
import warnings

from kerasish.compat import legacy_modules


class MissingKerasFeatureError(ImportError):
    """A Keras module, or a name imported with `from keras.x import Name`, that kerasish does not
    provide. The message names the kerasish module that lacks it (Python's own "cannot import
    name" would not)."""


class MissingKerasAttributeError(AttributeError):
    """A Keras name that kerasish does not provide, read as a module attribute (`keras.x.Name`).

    An `AttributeError`, as for any module: `hasattr` gives `False`, `getattr(module, name, default)`
    the default, and libraries probing a module (matplotlib and pandas look for `tf.is_tensor`)
    carry on.
    """


def missing_name_error(module, name):
    """The `MissingKerasFeatureError` for importing `<module>.<name>` (`from keras.x import Name` or
    `import keras.x.name`), or None when `module` is not a kerasish alias or stand-in or does have
    the name."""
    explain = getattr(type(module), "_explain_missing", None)
    message = explain(module, name) if explain is not None else None
    return None if message is None else MissingKerasFeatureError(message)


def _import_source(name):
    return importlib.import_module(name)


def _resolve_explicit(table, name):
    target = table.get(name)
    if target is None:
        return None, None
    module_name, attr = target.split(":")
    try:
        module = _import_source(module_name)
    except ImportError as e:
        return None, f"{module_name} cannot be imported ({e})"
    if not hasattr(module, attr):
        return None, f"{module_name} has no `{attr}`"
    return getattr(module, attr), None


class AliasModule(types.ModuleType):
    """A Keras module path whose names come from kerasish modules (looked up on first use)."""

    def __init__(self, name, sources, suffix):
        super().__init__(name)
        self.__path__ = []  # a package: submodule imports come back to the finder
        self.__kerasish_sources__ = tuple(sources)
        self.__kerasish_suffix__ = suffix

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            if name == "__all__":
                return self._public_names()
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        value, missing = self._lookup(name)
        if missing is None:
            setattr(self, name, value)
            return value
        raise MissingKerasAttributeError(self._missing_message(name, missing), name=name, obj=self)

    def _missing_message(self, name, missing):
        return (f"`{self.__name__}.{name}` is not provided by kerasish: {'; '.join(missing)}. "
                f"Only the parts of Keras that kerasish implements can be used.")

    def _explain_missing(self, name):
        value, missing = self._lookup(name)
        if missing is None:
            return None
        suffix = self.__kerasish_suffix__
        module = "kerasish." + (f"{suffix}.{name}" if suffix else name)
        return (f"No module or name `{self.__name__}.{name}` in kerasish: {'; '.join(missing)}, "
                f"and there is no module `{module}`. Only the parts of Keras that kerasish "
                f"implements can be used.")

    def _lookup(self, name):
        suffix = self.__kerasish_suffix__
        child = f"{suffix}.{name}" if suffix else name
        if name in legacy_modules.legacy_children(suffix):
            return importlib.import_module(f"{self.__name__}.{name}"), None
        missing = []
        for source in self.__kerasish_sources__:
            if isinstance(source, dict):
                value, why = _resolve_explicit(source, name)
                if why is None and value is not None:
                    return value, None
                if why:
                    missing.append(why)
                continue
            try:
                module = _import_source(source)
            except ImportError as e:
                missing.append(f"{source} cannot be imported ({e})")
                continue
            if hasattr(module, name):
                value = getattr(module, name)
                if isinstance(value, types.ModuleType):
                    # A kerasish submodule: hand out its Keras alias so nested legacy paths resolve.
                    return importlib.import_module(f"{self.__name__}.{name}"), None
                return value, None
            missing.append(f"{source} has no `{name}`")
        if legacy_modules.sources_for(child) is None and _kerasish_module_exists(child):
            return importlib.import_module(f"{self.__name__}.{name}"), None
        return None, missing

    def _public_names(self):
        names = set()
        for source in self.__kerasish_sources__:
            if isinstance(source, dict):
                names.update(source)
                continue
            try:
                module = _import_source(source)
            except ImportError:
                continue
            exported = getattr(module, "__all__", None)
            if exported is None:
                exported = [n for n, v in vars(module).items()
                            if not n.startswith("_") and not isinstance(v, types.ModuleType)]
            names.update(exported)
        return sorted(names)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._public_names())
                      | legacy_modules.legacy_children(self.__kerasish_suffix__))

    def __repr__(self):
        return f"<module {self.__name__!r} (kerasish alias)>"


def _kerasish_module_exists(suffix):
    name = "kerasish" + (f".{suffix}" if suffix else "")
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, sources, suffix):
        self.sources = sources
        self.suffix = suffix

    def create_module(self, spec):
        return AliasModule(spec.name, self.sources, self.suffix)

    def exec_module(self, module):
        pass


class _PatchTensorFlowLoader(importlib.abc.Loader):
    """Loads the real TensorFlow, then points its `keras` attribute at kerasish."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        module.keras = importlib.import_module("tensorflow.keras")


class KerasAliasFinder(importlib.abc.MetaPathFinder):
    """Finds `keras.*` (and `tensorflow.keras.*`, `tf_keras.*`) modules in kerasish."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "tensorflow" or fullname == "tensorflow.python":
            return self._tensorflow_spec(fullname)
        suffix = legacy_modules.keras_suffix(fullname)
        if suffix is None:
            self._refuse_stub_child(fullname)
            return None
        sources = legacy_modules.sources_for(suffix)
        if sources is None:
            if not _kerasish_module_exists(suffix):
                parent_name, _, child = fullname.rpartition(".")
                error = missing_name_error(sys.modules.get(parent_name), child)
                if error is not None:
                    # `from keras.x import Name`: Python imports `keras.x.Name` after `hasattr`
                    # said no; say which kerasish module lacks the name.
                    raise error
                raise MissingKerasFeatureError(
                    f"No module named {fullname!r}: kerasish has no `kerasish.{suffix}` module, so the "
                    f"Keras module `keras.{suffix}` is not available."
                )
            sources = ("kerasish" + (f".{suffix}" if suffix else ""),)
        return importlib.util.spec_from_loader(fullname, _AliasLoader(sources, suffix), is_package=True)

    @staticmethod
    def _refuse_stub_child(fullname):
        """`tensorflow.data` and the like under the TensorFlow stand-in: a clear error rather than
        Python's "No module named" (real TensorFlow's submodules are found as usual)."""
        parent_name, _, child = fullname.rpartition(".")
        parent = sys.modules.get(parent_name)
        if getattr(parent, "__kerasish_stub__", False):
            error = missing_name_error(parent, child)
            if error is not None:
                raise error

    def _tensorflow_spec(self, fullname):
        real = importlib.machinery.PathFinder.find_spec(fullname)
        if real is not None:
            if fullname == "tensorflow":
                real.loader = _PatchTensorFlowLoader(real.loader)
                return real
            return None
        from kerasish.compat import tensorflow_stub

        return importlib.util.spec_from_loader(fullname, tensorflow_stub.StubLoader(), is_package=True)


_FINDER = KerasAliasFinder()


def _alias_names():
    return [n for n in sys.modules if legacy_modules.keras_suffix(n) is not None]


def install():
    """Makes `import keras`, `from tensorflow import keras` and Keras 2 module paths resolve to kerasish.

    For notebooks and programs that cannot be started with `python -m kerasish`. Call it before the
    first `import keras`; a real Keras imported earlier is replaced (with a warning).

    Example:

    ```python
    import kerasish.compat
    kerasish.compat.install()
    from keras.models import Sequential  # kerasish.models.Sequential
    ```
    """
    if _FINDER in sys.meta_path:
        return
    stale = [n for n in _alias_names() if not isinstance(sys.modules[n], AliasModule)]
    if stale:
        warnings.warn(
            "Keras was imported before `kerasish.compat.install()`; the already imported modules are "
            f"replaced by kerasish. Received: {sorted(stale)[:5]}",
            stacklevel=2,
        )
        for name in stale:
            del sys.modules[name]
    sys.meta_path.insert(0, _FINDER)
    from kerasish.utils import summary_utils

    summary_utils.set_summary_style("keras2")  # Keras 2 scripts expect Keras 2's summary table
    tf = sys.modules.get("tensorflow")
    if tf is not None and not getattr(tf, "__kerasish_stub__", False):
        tf.keras = importlib.import_module("tensorflow.keras")


def uninstall():
    """Undoes `install()`: removes the import hook and the alias modules it created."""
    from kerasish.utils import summary_utils

    summary_utils.set_summary_style("keras3")
    while _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in _alias_names():
        if isinstance(sys.modules[name], AliasModule):
            del sys.modules[name]
    tf = sys.modules.get("tensorflow")
    if tf is not None and getattr(tf, "__kerasish_stub__", False):
        for name in [n for n in sys.modules if n == "tensorflow" or n.startswith("tensorflow.")]:
            del sys.modules[name]


def is_installed():
    """Whether `install()` is in effect."""
    return _FINDER in sys.meta_path
