"""Keras module paths that no longer exist (or never had a kerasish twin), and where their names live.

A Keras 2 script imports `from keras.layers.convolutional import Conv2D` or
`from keras.engine.topology import Layer`; in kerasish every layer lives in `kerasish.layers`. This
table says, for each legacy path (relative to `keras.`), which kerasish modules supply its names.
A source is either a module name (all of its public names) or a dict `{name: "module:attribute"}`
of explicit renames, checked first. Paths not listed here map to `kerasish.<same path>`.
"""

_ENGINE_NAMES = {
    "Layer": "kerasish.layers:Layer",
    "InputSpec": "kerasish.layers:InputSpec",
    "Input": "kerasish.layers:Input",
    "InputLayer": "kerasish.layers:InputLayer",
    "Model": "kerasish.models:Model",
    "Sequential": "kerasish.models:Sequential",
    "Network": "kerasish.models:Model",
    "Container": "kerasish.models:Model",
    "Functional": "kerasish.models.functional:Functional",
    "KerasTensor": "kerasish.layers.keras_tensor:KerasTensor",
}

_LAYERS = ("kerasish.layers",)
_ENGINE = (_ENGINE_NAMES, "kerasish.layers", "kerasish.models")

LEGACY_MODULES = {
    # keras.layers.<family> (Keras 2 split layers into these modules)
    "layers.core": _LAYERS,
    "layers.convolutional": _LAYERS,
    "layers.convolutional_recurrent": _LAYERS,
    "layers.recurrent": _LAYERS,
    "layers.recurrent_v2": _LAYERS,
    "layers.cudnn_recurrent": _LAYERS,
    "layers.embeddings": _LAYERS,
    "layers.normalization": _LAYERS,
    "layers.normalization_v2": _LAYERS,
    "layers.pooling": _LAYERS,
    "layers.merge": _LAYERS,
    "layers.merging": _LAYERS,
    "layers.advanced_activations": _LAYERS,
    "layers.wrappers": _LAYERS,
    "layers.noise": _LAYERS,
    "layers.local": _LAYERS,
    "layers.dense_attention": _LAYERS,
    # keras.utils.<module>
    "utils.np_utils": ("kerasish.utils",),
    "utils.data_utils": ("kerasish.utils",),
    "utils.generic_utils": ("kerasish.utils",),
    "utils.vis_utils": ("kerasish.utils",),
    "utils.io_utils": ("kerasish.utils",),
    "utils.layer_utils": ("kerasish.utils",),
    "utils.conv_utils": ("kerasish.backend.conv_utils", "kerasish.utils"),
    # keras.engine (Keras 2's internals that scripts imported anyway)
    "engine": _ENGINE,
    "engine.topology": _ENGINE,
    "engine.base_layer": _ENGINE,
    "engine.training": _ENGINE,
    "engine.network": _ENGINE,
    "engine.functional": _ENGINE,
    "engine.sequential": _ENGINE,
    "engine.input_layer": _ENGINE,
    "engine.input_spec": _ENGINE,
    "engine.keras_tensor": _ENGINE,
    "engine.data_adapter": ("kerasish.trainers.data_adapters",),
    # Keras 1 / tf.keras module names
    "objectives": ("kerasish.losses",),
    "optimizer_v2": ("kerasish.optimizers.legacy",),
    "layers.experimental": _LAYERS,
    "layers.experimental.preprocessing": _LAYERS,
    "preprocessing.text": ("kerasish.preprocessing.text",),
    "preprocessing.sequence": ("kerasish.preprocessing.sequence",),
    "preprocessing.image": ("kerasish.preprocessing.image", "kerasish.utils.image_utils"),
}

# Python-level package prefixes whose submodules are Keras modules.
KERAS_PREFIXES = ("keras", "tensorflow.keras", "tensorflow.python.keras", "tf_keras")


def keras_suffix(fullname):
    """The Keras-relative part of a module name (`""` for the top level), or None."""
    for prefix in KERAS_PREFIXES:
        if fullname == prefix:
            return ""
        if fullname.startswith(prefix + "."):
            return fullname[len(prefix) + 1:]
    return None


def sources_for(suffix):
    """The sources for a Keras module path, or None when it maps to `kerasish.<suffix>` directly."""
    return LEGACY_MODULES.get(suffix)


def legacy_children(suffix):
    """Names of the legacy submodules directly under a Keras module path."""
    prefix = suffix + "." if suffix else ""
    out = set()
    for path in LEGACY_MODULES:
        if path.startswith(prefix):
            rest = path[len(prefix):]
            if rest and "." not in rest:
                out.add(rest)
    return out
