"""`kerasish.config`: Keras 3's global settings (`keras.config`).

Settings a user makes on purpose (floatx, epsilon, image data format, the dtype policy, debugging
caps) are process-wide, as in Keras.

Example:

```python
import kerasish

kerasish.config.set_floatx("float32")
kerasish.config.set_max_epochs(1)      # every fit() now runs one epoch at most
```
"""

from kerasish.backend.config import (  # noqa: F401
    backend, disable_flash_attention, disable_interactive_logging, disable_traceback_filtering,
    enable_flash_attention, enable_interactive_logging, enable_traceback_filtering,
    enable_unsafe_deserialization, epsilon, floatx, image_data_format, is_flash_attention_enabled,
    is_interactive_logging_enabled, is_traceback_filtering_enabled, max_epochs,
    max_steps_per_epoch, set_epsilon, set_floatx, set_image_data_format, set_max_epochs,
    set_max_steps_per_epoch,
)
from kerasish.backend import dtype_policy as _mixed_precision

__all__ = [
    "backend", "disable_flash_attention", "disable_interactive_logging",
    "disable_traceback_filtering", "dtype_policy", "enable_flash_attention",
    "enable_interactive_logging", "enable_traceback_filtering", "enable_unsafe_deserialization",
    "epsilon", "floatx", "image_data_format", "is_flash_attention_enabled",
    "is_interactive_logging_enabled", "is_nnx_enabled", "is_traceback_filtering_enabled",
    "max_epochs", "max_steps_per_epoch", "set_backend", "set_dtype_policy", "set_epsilon",
    "set_floatx", "set_image_data_format", "set_max_epochs", "set_max_steps_per_epoch",
]


def dtype_policy():
    """The global dtype policy (`DTypePolicy("float32")` unless set).

    Example:

    >>> keras.config.dtype_policy().name
    'float32'
    """
    return _mixed_precision.global_policy()


def set_dtype_policy(policy):
    """Sets the global dtype policy: `"float32"`, `"mixed_float16"`, `"mixed_bfloat16"`, ... or a
    `DTypePolicy`.

    Example:

    >>> keras.config.set_dtype_policy("mixed_bfloat16")
    >>> policy = keras.config.dtype_policy()
    >>> policy.compute_dtype, policy.variable_dtype
    ('bfloat16', 'float32')
    >>> keras.mixed_precision.set_global_policy(None)  # back to the default (from floatx)
    """
    if not isinstance(policy, (str, _mixed_precision.DTypePolicy)):
        raise ValueError(
            "Invalid `policy` argument. Expected the string name of a policy (such as "
            f"'mixed_float16') or a `DTypePolicy` instance. Received: policy={policy!r}"
        )
    _mixed_precision.set_global_policy(policy)


def is_nnx_enabled():
    """Flax NNX integration is JAX-only: always False here.

    Example:

    >>> keras.config.is_nnx_enabled()
    False
    """
    return False


def set_backend(backend):
    """kerasish runs on PyTorch only: `"torch"` is accepted (a no-op); anything else is refused.

    Example:

    >>> keras.config.set_backend("torch")
    >>> keras.config.set_backend("jax")
    Traceback (most recent call last):
        ...
    ValueError: kerasish runs Keras code on PyTorch only; ...
    """
    if backend != "torch":
        raise ValueError(
            "kerasish runs Keras code on PyTorch only; it cannot switch to another backend. "
            f"Use real Keras for that. Received: backend={backend!r}"
        )
