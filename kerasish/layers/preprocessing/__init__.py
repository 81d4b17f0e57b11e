"""Keras 3's preprocessing layers, on numpy and torch (no TensorFlow).

Text and categorical layers live in this folder, image layers in `image/`, audio layers in `audio/`.
Each module's public classes are re-exported here and reach `kerasish.layers`.
"""

from kerasish.layers.preprocessing.image import *  # noqa: F401,F403
from kerasish.layers.preprocessing.audio import *  # noqa: F401,F403
from kerasish.layers.preprocessing.category_encoding import CategoryEncoding  # noqa: F401
from kerasish.layers.preprocessing.discretization import Discretization  # noqa: F401
from kerasish.layers.preprocessing.hashed_crossing import HashedCrossing  # noqa: F401
from kerasish.layers.preprocessing.hashing import Hashing  # noqa: F401
from kerasish.layers.preprocessing.integer_lookup import IntegerLookup  # noqa: F401
from kerasish.layers.preprocessing.normalization import Normalization  # noqa: F401
from kerasish.layers.preprocessing.pipeline import Pipeline  # noqa: F401
from kerasish.layers.preprocessing.string_lookup import StringLookup  # noqa: F401
from kerasish.layers.preprocessing.text_vectorization import TextVectorization  # noqa: F401
