"""Compatibility with older Keras: argument names, module paths and import aliasing.

`install()` makes `import keras`, `from tensorflow import keras` and Keras 2 module paths
(`keras.layers.convolutional`, `keras.utils.np_utils`, `keras.engine.topology`, ...) resolve to
kerasish; `python -m kerasish script.py` does it for a whole script.
"""

from kerasish.compat.aliases import (  # noqa: F401
    AliasModule, MissingKerasAttributeError, MissingKerasFeatureError, install, is_installed,
    uninstall,
)
