"""`kerasish.ops.numpy`: Keras's numpy-style ops (`keras.ops.numpy`)."""

from kerasish.ops.np_arrays import *  # noqa: F401,F403
from kerasish.ops.np_math import *  # noqa: F401,F403
from kerasish.ops import np_arrays as _arrays, np_math as _math

__all__ = sorted(set(_arrays.__all__) | set(_math.__all__))
