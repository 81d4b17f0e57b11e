"""`kerasish.backend` — Keras's backend API on torch tensors (imported as `K` in Keras 2 code).

This package is the one place where Keras conventions meet torch's: configuration (floatx, epsilon,
image data format), device choice, dtype names, weight layouts, and the classic `keras.backend`
functions.
"""

from kerasish.backend.config import (  # noqa: F401
    backend,
    epsilon,
    floatx,
    get_device,
    image_data_format,
    keras_home,
    set_device,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    standardize_data_format,
)
from kerasish.backend.dtypes import (  # noqa: F401
    dtype_name, is_float_dtype, is_int_dtype, result_type, standardize_dtype, to_torch_dtype,
)
from kerasish.backend.variables import Variable  # noqa: F401
from kerasish.backend.ops import *  # noqa: F401,F403
from kerasish.backend.nn_ops import *  # noqa: F401,F403
