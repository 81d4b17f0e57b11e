"""A stand-in `tensorflow` module for machines without TensorFlow: it offers only `tf.keras`
and the input pipeline Keras scripts build next to it.

Keras scripts often write `import tensorflow as tf` just to reach `tf.keras`. With kerasish's import
hook installed and TensorFlow absent, that import gives this stub: `tf.keras`, `tf.random.set_seed`
and `tf.data` (`Dataset`, `AUTOTUNE`, the cardinality constants: kerasish's own `Dataset`, whose
elements are torch tensors, so a `map` function must use Keras / torch ops, not `tf.*` ones)
work; anything else raises an error saying that only the Keras part of TensorFlow is provided: an
`AttributeError` for `tf.name` (so `hasattr(tf, "is_tensor")` is `False`, as libraries probing for
TensorFlow expect) and an `ImportError` for `from tensorflow import name`.
"""

import importlib
import importlib.abc
import types

from kerasish.compat.aliases import MissingKerasAttributeError


def _unavailable_message(qualname):
    return (
        f"`{qualname}` is not available: TensorFlow is not installed, and kerasish provides only the "
        "Keras part of TensorFlow (`tf.keras`, `tf.random.set_seed`, `tf.data`). Use the Keras API "
        "(e.g. `tf.keras.ops` / `keras.backend`) or plain torch for this."
    )


class _StubNamespace(types.ModuleType):
    """A TensorFlow module whose only attributes are the ones given; others raise a clear error."""

    def __init__(self, name, attrs):
        super().__init__(name)
        self.__path__ = []
        self.__kerasish_stub__ = True
        self._attrs = attrs

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        factory = self._attrs.get(name)
        if factory is None:
            raise MissingKerasAttributeError(_unavailable_message(f"{self.__name__}.{name}"),
                                             name=name, obj=self)
        value = factory()
        setattr(self, name, value)
        return value

    def _explain_missing(self, name):
        if name in self._attrs:
            return None
        return _unavailable_message(f"{self.__name__}.{name}")


def _set_seed(seed):
    from kerasish.utils import set_random_seed

    set_random_seed(seed)


def _random_module():
    return _StubNamespace("tensorflow.random", {"set_seed": lambda: _set_seed})


def _data_module():
    from kerasish.utils import dataset

    constants = {"AUTOTUNE": dataset.AUTOTUNE, "INFINITE_CARDINALITY": dataset.INFINITE,
                 "UNKNOWN_CARDINALITY": dataset.UNKNOWN}
    experimental = dict(constants, cardinality=lambda ds: ds.cardinality())
    attrs = {name: (lambda v=value: v) for name, value in constants.items()}
    attrs["Dataset"] = lambda: dataset.Dataset
    attrs["experimental"] = lambda: _StubNamespace(
        "tensorflow.data.experimental", {name: (lambda v=value: v) for name, value in experimental.items()})
    return _StubNamespace("tensorflow.data", attrs)


def _tensorflow_attrs():
    return {
        "keras": lambda: importlib.import_module("tensorflow.keras"),
        "random": _random_module,
        "data": _data_module,
        "python": lambda: importlib.import_module("tensorflow.python"),
    }


class StubLoader(importlib.abc.Loader):
    def create_module(self, spec):
        attrs = _tensorflow_attrs() if spec.name == "tensorflow" else {
            "keras": lambda: importlib.import_module("tensorflow.python.keras")}
        return _StubNamespace(spec.name, attrs)

    def exec_module(self, module):
        pass
