"""Image preprocessing and augmentation layers (Keras 3's `keras.layers.Random*`, `Resizing`, ...)."""

from kerasish.layers.preprocessing.image.base_image_layer import (  # noqa: F401
    BaseImagePreprocessingLayer,
)
from kerasish.layers.preprocessing.image.random_flip import RandomFlip  # noqa: F401
