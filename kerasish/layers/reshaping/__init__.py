from kerasish.layers.reshaping.flatten import Flatten  # noqa: F401
from kerasish.layers.reshaping.reshape import Reshape  # noqa: F401
