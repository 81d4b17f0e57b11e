"""Keras 3's preprocessing layers, on numpy and torch (no TensorFlow).

Text and categorical layers live in this folder, image layers in `image/`, audio layers in `audio/`.
Each module's public classes are re-exported here and reach `kerasish.layers`.
"""

from kerasish.layers.preprocessing.image import *  # noqa: F401,F403
from kerasish.layers.preprocessing.audio import *  # noqa: F401,F403
