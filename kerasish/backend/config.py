"""Global Keras configuration (floatx, epsilon, image data format) and device choice.

Values start from Keras's defaults, may be overridden by `$KERAS_HOME/keras.json` the way Keras reads
it, and by the setters below. The device is CUDA when available, then MPS, then CPU; the
`KERASISH_DEVICE` environment variable overrides the choice.
"""

import contextlib
import json
import threading
import os

import torch

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_DEVICE = None

_VALID_FLOATX = ("float16", "bfloat16", "float32", "float64")
_VALID_DATA_FORMATS = ("channels_last", "channels_first")


def keras_home():
    """The Keras home folder: `$KERAS_HOME`, else `~/.keras` (as Keras resolves it)."""
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    base = os.path.expanduser("~")
    if not os.access(base, os.W_OK):
        base = "/tmp"
    return os.path.join(base, ".keras")


def _read_keras_json():
    global _FLOATX, _EPSILON, _IMAGE_DATA_FORMAT
    path = os.path.join(keras_home(), "keras.json")
    if not os.path.exists(path):
        return
    try:
        with open(path) as f:
            cfg = json.load(f)
    except (OSError, ValueError):
        return
    if cfg.get("floatx") in _VALID_FLOATX:
        _FLOATX = cfg["floatx"]
    if isinstance(cfg.get("epsilon"), (int, float)):
        _EPSILON = float(cfg["epsilon"])
    if cfg.get("image_data_format") in _VALID_DATA_FORMATS:
        _IMAGE_DATA_FORMAT = cfg["image_data_format"]


_read_keras_json()


def floatx():
    """The default float type name, as a string. Defaults to `"float32"`.

    Example:

    >>> kerasish.config.floatx()
    'float32'
    """
    return _FLOATX


def set_floatx(value):
    """Sets the default float type name (`"float16"`, `"bfloat16"`, `"float32"` or `"float64"`).

    Example:

    >>> kerasish.config.set_floatx("float64")
    >>> kerasish.layers.Dense(1)(np.ones((1, 2))).dtype
    torch.float64
    >>> kerasish.config.set_floatx("float32")
    """
    global _FLOATX
    value = str(value)
    if value not in _VALID_FLOATX:
        raise ValueError(
            f"Unknown `floatx` value: expected one of {_VALID_FLOATX}. Received: value={value}"
        )
    _FLOATX = value


def epsilon():
    """The fuzz factor used in numeric expressions. Defaults to `1e-7`.

    Example:

    >>> kerasish.config.epsilon()
    1e-07
    """
    return _EPSILON


def set_epsilon(value):
    """Sets the fuzz factor used in numeric expressions (`epsilon()`).

    Args:
        value: a float.

    Example:

    >>> kerasish.config.set_epsilon(1e-5)
    >>> kerasish.config.epsilon()
    1e-05
    >>> kerasish.config.set_epsilon(1e-7)
    """
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    """The default image data format: `"channels_last"` (default) or `"channels_first"`.

    Example:

    >>> kerasish.config.image_data_format()
    'channels_last'
    """
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Sets the default image data format of image layers.

    Args:
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        None.

    Raises:
        ValueError: for any other value.

    Example:

    >>> kerasish.config.set_image_data_format("channels_first")
    >>> kerasish.config.image_data_format()
    'channels_first'
    >>> kerasish.config.set_image_data_format("channels_last")
    """
    global _IMAGE_DATA_FORMAT
    data_format = str(data_format).lower()
    if data_format not in _VALID_DATA_FORMATS:
        raise ValueError(
            "The `data_format` argument must be one of "
            f"{_VALID_DATA_FORMATS}. Received: data_format={data_format}"
        )
    _IMAGE_DATA_FORMAT = data_format


def standardize_data_format(data_format):
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    # Keras 1 spelling: dim_ordering 'tf' / 'th'.
    data_format = {"tf": "channels_last", "th": "channels_first"}.get(data_format, data_format)
    if data_format not in _VALID_DATA_FORMATS:
        raise ValueError(
            "The `data_format` argument must be one of "
            f"{_VALID_DATA_FORMATS}. Received: data_format={data_format}"
        )
    return data_format


def backend():
    """The name of the backend: always `"torch"`.

    Example:

    >>> kerasish.config.backend()
    'torch'
    """
    return "torch"


def _auto_device():
    env = os.environ.get("KERASISH_DEVICE")
    if env:
        try:
            return torch.device(env)
        except RuntimeError as e:
            raise ValueError(
                f"KERASISH_DEVICE must name a torch device such as 'cpu' or 'cuda:0'. Received: {env!r}"
            ) from e
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def get_device():
    """The device new layers and data go to: CUDA, then MPS, then CPU, unless overridden (by
    `set_device`, `KERASISH_DEVICE`, or a `kerasish.device(...)` block in this thread)."""
    global _DEVICE
    scoped = getattr(_DEVICE_SCOPE, "device", None)
    if scoped is not None:
        return scoped
    if _DEVICE is None:
        _DEVICE = _auto_device()
    return _DEVICE


_DEVICE_SCOPE = threading.local()


def _parse_device(name):
    if isinstance(name, torch.device):
        return name
    if not isinstance(name, str):
        raise ValueError(f"`device_name` must be a string such as 'cpu' or 'gpu:0'. Received: "
                         f"device_name={name!r}")
    text = name.lower()
    if text.startswith("/device:"):
        text = text[len("/device:"):]
    kind, _, index = text.partition(":")
    kind = "cuda" if kind == "gpu" else kind
    try:
        return torch.device(f"{kind}:{index}" if index else kind)
    except RuntimeError:
        raise ValueError(f"Unknown device. Expected 'cpu', 'gpu', 'cuda', 'mps' with an optional "
                         f"':index'. Received: device_name={name!r}") from None


@contextlib.contextmanager
def device_scope(device_name):
    """Within the block (in this thread), new tensors and layers go to `device_name` (`"cpu"`,
    `"gpu:0"`, `"cuda:1"`, ...).

    Example:

    ```python
    with kerasish.device("cpu"):
        x = kerasish.ops.ones((2, 2))
    ```
    """
    device = _parse_device(device_name)
    previous = getattr(_DEVICE_SCOPE, "device", None)
    _DEVICE_SCOPE.device = device
    try:
        yield
    finally:
        _DEVICE_SCOPE.device = previous


def set_device(device):
    """Sets the default device (`"cpu"`, `"cuda"`, `"cuda:1"`, a `torch.device`, or None for auto)."""
    global _DEVICE
    _DEVICE = None if device is None else torch.device(device)


# Flash attention: None (the default, and what `enable_flash_attention` restores, as in Keras) lets
# `ops.dot_product_attention` use flash kernels where they apply; False forbids them; True (only
# through `dot_product_attention(flash_attention=True)`) insists on one.
_FLASH_ATTENTION = None


def enable_flash_attention():
    """Lets attention use flash-attention kernels where the inputs allow (the default).

    Example:

    >>> keras.config.disable_flash_attention()
    >>> keras.config.enable_flash_attention()
    >>> keras.config.is_flash_attention_enabled() is None  # the dispatcher chooses
    True
    """
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = None


def disable_flash_attention():
    """Forbids flash-attention kernels in `dot_product_attention`.

    Example:

    >>> keras.config.disable_flash_attention()
    >>> keras.config.is_flash_attention_enabled()
    False
    >>> keras.config.enable_flash_attention()  # back to the default
    """
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = False


def is_flash_attention_enabled():
    """True, False, or None when the choice is left to the kernel dispatcher (the default).

    Example:

    >>> keras.config.is_flash_attention_enabled() is None
    True
    """
    return _FLASH_ATTENTION


# ------------------------------------------------------------------ Keras 3's other switches
def _env_int(name):
    value = os.environ.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer. Received: {name}={value!r}") from None


_MAX_EPOCHS = _env_int("KERAS_MAX_EPOCHS")
_MAX_STEPS_PER_EPOCH = _env_int("KERAS_MAX_STEPS_PER_EPOCH")
_INTERACTIVE_LOGGING = True
_TRACEBACK_FILTERING = True
_UNSAFE_DESERIALIZATION = False


def _positive_or_none(name, value):
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise ValueError(f"`{name}` must be a positive integer or None. Received: {name}={value!r}")
    return value


def set_max_epochs(max_epochs):
    """Caps the epochs of every `fit` (for quick debugging runs; also `KERAS_MAX_EPOCHS`).

    Example:

    >>> keras.config.set_max_epochs(2)
    >>> keras.config.max_epochs()
    2
    >>> keras.config.set_max_epochs(None)  # no cap again
    """
    global _MAX_EPOCHS
    _MAX_EPOCHS = _positive_or_none("max_epochs", max_epochs)


def max_epochs():
    """The cap on `fit`'s epochs, or None.

    Example:

    >>> keras.config.max_epochs() is None  # unless set or `KERAS_MAX_EPOCHS`
    True
    """
    return _MAX_EPOCHS


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Caps the steps of each epoch of `fit`, and of `evaluate`/`predict` (also
    `KERAS_MAX_STEPS_PER_EPOCH`).

    Example:

    >>> keras.config.set_max_steps_per_epoch(10)
    >>> keras.config.max_steps_per_epoch()
    10
    >>> keras.config.set_max_steps_per_epoch(None)
    """
    global _MAX_STEPS_PER_EPOCH
    _MAX_STEPS_PER_EPOCH = _positive_or_none("max_steps_per_epoch", max_steps_per_epoch)


def max_steps_per_epoch():
    """The cap on steps per epoch, or None.

    Example:

    >>> keras.config.max_steps_per_epoch() is None  # unless set or `KERAS_MAX_STEPS_PER_EPOCH`
    True
    """
    return _MAX_STEPS_PER_EPOCH


def enable_interactive_logging():
    """Progress bars and summaries print to stdout (the default).

    Example:

    >>> kerasish.config.enable_interactive_logging()
    >>> kerasish.config.is_interactive_logging_enabled()
    True
    """
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = True


def disable_interactive_logging():
    """Progress and summaries go to Python's `logging` (logger "kerasish") instead of stdout.

    Example:

    >>> kerasish.config.disable_interactive_logging()
    >>> kerasish.config.is_interactive_logging_enabled()
    False
    >>> kerasish.config.enable_interactive_logging()
    """
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = False


def is_interactive_logging_enabled():
    """Whether progress and summaries print to stdout (`True`, default) or go to Python's
    `logging` (after `disable_interactive_logging()`).

    Returns:
        A bool.

    Example:

    >>> kerasish.config.is_interactive_logging_enabled()
    True
    """
    return _INTERACTIVE_LOGGING


def enable_traceback_filtering():
    """Errors raised inside kerasish show the user's frames, not kerasish's internals (default).

    Example:

    >>> kerasish.config.enable_traceback_filtering()
    >>> kerasish.config.is_traceback_filtering_enabled()
    True
    """
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = True


def disable_traceback_filtering():
    """Errors raised inside kerasish show every frame, kerasish's internals included (for
    debugging kerasish itself); `enable_traceback_filtering()` turns the filter back on.

    Example:

    >>> kerasish.config.disable_traceback_filtering()
    >>> kerasish.config.is_traceback_filtering_enabled()
    False
    >>> kerasish.config.enable_traceback_filtering()
    """
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = False


def is_traceback_filtering_enabled():
    """Whether errors raised inside kerasish hide its internal frames (default `True`).

    Returns:
        A bool.

    Example:

    >>> kerasish.config.is_traceback_filtering_enabled()
    True
    """
    return _TRACEBACK_FILTERING


def enable_unsafe_deserialization():
    """Turns safe mode off for every later load (Lambda bytecode is then deserialized): only for
    files you trust. It cannot be turned back on; `safe_mode=False` on one load is narrower.

    Example:

    ```python
    model = kerasish.Sequential([kerasish.Input((2,)), kerasish.layers.Lambda(lambda x: x * 2)])
    model.save("lambda_model.keras")
    # Narrower: only this load.
    restored = kerasish.saving.load_model("lambda_model.keras", safe_mode=False)
    kerasish.config.enable_unsafe_deserialization()  # every later load in this process
    restored = kerasish.saving.load_model("lambda_model.keras")
    assert restored.predict(np.ones((1, 2)), verbose=0).tolist() == [[2.0, 2.0]]
    ```
    """
    global _UNSAFE_DESERIALIZATION
    _UNSAFE_DESERIALIZATION = True


def is_unsafe_deserialization_enabled():
    return _UNSAFE_DESERIALIZATION
