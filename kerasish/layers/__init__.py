"""`kerasish.layers`: every layer, by class and by name (`layers.deserialize`, `layers.get`).

Each family lives in its own folder; this module re-exports them and builds the layer registry.
"""

import inspect as _inspect

from kerasish.layers.input_spec import InputSpec  # noqa: F401
from kerasish.layers.layer import Layer  # noqa: F401
from kerasish.layers.core import *  # noqa: F401,F403
from kerasish.layers.reshaping import *  # noqa: F401,F403
from kerasish.layers.merging import *  # noqa: F401,F403
from kerasish.layers.convolutional import *  # noqa: F401,F403
from kerasish.layers.pooling import *  # noqa: F401,F403
from kerasish.layers.normalization import *  # noqa: F401,F403
from kerasish.layers.regularization import *  # noqa: F401,F403
from kerasish.layers.activations import *  # noqa: F401,F403
from kerasish.layers.recurrent import *  # noqa: F401,F403
from kerasish.layers.attention import *  # noqa: F401,F403
from kerasish.layers.preprocessing import *  # noqa: F401,F403
from kerasish.saving.registry import Registry as _Registry

# Keras 1/2 class names that are the same layer under another name.
_ALIASES = {}
# Layers Keras defines above its layers package (ConvNeXt's `LayerScale`, ...): the module defining
# one registers it here, since this floor cannot import upward, so files naming it load.
_FROM_ABOVE = {}


def _register_layer_from_above(cls):
    """Makes a Keras built-in layer defined outside `kerasish.layers` deserializable by class name
    (a hook for the modules above this floor, such as `kerasish.applications`; not public API)."""
    _FROM_ABOVE[cls.__name__] = cls
    return cls


def _build_registry():
    table = {name: obj for name, obj in globals().items()
             if _inspect.isclass(obj) and issubclass(obj, Layer)}
    table.update(_FROM_ABOVE)
    return _Registry("layer", table, _ALIASES, base=Layer, instantiate=False)


def get(identifier):
    """The layer class for a name (`"Dense"`), or a layer from a config dict.

    Args:
        identifier: a layer class name (or Keras alias), a `{"class_name", "config"}` dict, or a
            layer.

    Returns:
        A layer class for a name; a `Layer` instance for a dict or a layer.

    Raises:
        ValueError: for an unknown name, listing the closest valid ones.

    Example:

    >>> kerasish.layers.get("Dense")
    <class 'kerasish.layers.core.dense.Dense'>
    >>> kerasish.layers.get({"class_name": "Dense", "config": {"units": 3}}).units
    3
    """
    return _build_registry().get(identifier)


def serialize(layer):
    """The config dict of a layer (`deserialize` rebuilds it).

    Args:
        layer: a `Layer` instance.

    Returns:
        A dict with `"module"`, `"class_name"`, `"config"` and `"registered_name"`.

    Example:

    >>> config = kerasish.layers.serialize(kerasish.layers.Dense(3, name="d"))
    >>> inner = config["config"]  # (one subscript per line: the docs site reads `[a][b]` as a link)
    >>> config["class_name"], inner["units"]
    ('Dense', 3)
    """
    return _build_registry().serialize(layer)


def deserialize(config, custom_objects=None):
    """A layer from `{"class_name": ..., "config": ...}`.

    Example:

    >>> layer = kerasish.layers.deserialize({"class_name": "Dense", "config": {"units": 2, "name": "d"}})
    >>> layer.name, layer.units
    ('d', 2)
    """
    return _build_registry().deserialize(config, custom_objects)
