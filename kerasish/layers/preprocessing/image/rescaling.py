"""`Rescaling`: `inputs * scale + offset`, in the layer's compute dtype."""

import numpy as np
import torch

from kerasish.backend import config, dtypes
from kerasish.layers.layer import Layer


def _plain(value):
    """A config value: numpy arrays and tensors become lists."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _from_saved(value):
    # Keras writes a numpy scale as {"class_name": "__numpy__", "config": {"value", "dtype"}}.
    if isinstance(value, dict) and value.get("class_name") == "__numpy__":
        return np.asarray(value["config"]["value"], dtype=value["config"].get("dtype"))
    return value


def _check_number(name, value):
    try:
        array = np.asarray(_plain(value), dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(f"Argument `{name}` must be a number or an array of numbers. "
                         f"Received: {name}={value!r}") from None
    if array.ndim > 3:
        raise ValueError(f"Argument `{name}` must be a number or a per-channel array (rank <= 3). "
                         f"Received: {name} with shape {array.shape}")
    return array


def _same_shape(x, other):
    """Whether `x op other` has `x`'s shape (so `op` can write into `x`)."""
    return torch.broadcast_shapes(x.shape, other.shape) == x.shape


class Rescaling(Layer):
    """Rescales inputs: `output = inputs * scale + offset` (cast to the compute dtype).

    Args:
        scale: a number, or a per-channel array (broadcast over the last axis; over the channel
            axis when `image_data_format()` is "channels_first", as in Keras).
        offset: a number or an array, added after scaling. Defaults to 0.

    Example:

    ```python
    layer = kerasish.layers.Rescaling(1.0 / 127.5, offset=-1)   # [0, 255] -> [-1, 1]
    ```
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self._scale = _check_number("scale", scale)
        self._offset = _check_number("offset", offset)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def _constant(self, array, like):
        value = torch.as_tensor(array, dtype=like.dtype, device=like.device)
        if value.ndim > 0 and config.image_data_format() == "channels_first":
            value = value.reshape(tuple(value.shape) + (1,) * (3 - value.ndim))
        return value

    def call(self, inputs):
        dtype = dtypes.to_torch_dtype(self.compute_dtype)
        fresh = inputs.dtype != dtype
        x = inputs.to(dtype) if fresh else inputs
        scale = self._constant(self._scale, x)
        # Keras's `cast(inputs) * scale + offset`, in place where the tensor is new and keeps
        # its shape: one pass less over the batch per op, the same values. A zero offset adds
        # nothing (Keras's `+ 0` only turns -0.0 into 0.0).
        x = x.mul_(scale) if fresh and _same_shape(x, scale) else x * scale
        if self._offset.any():
            offset = torch.as_tensor(self._offset, dtype=x.dtype, device=x.device)
            x = x.add_(offset) if _same_shape(x, offset) else x + offset
        return x

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config_ = super().get_config()
        config_.update({"scale": _plain(self.scale), "offset": _plain(self.offset)})
        return config_

    @classmethod
    def from_config(cls, config_):
        config_ = dict(config_)
        for key in ("scale", "offset"):
            if key in config_:
                config_[key] = _from_saved(config_[key])
        return super().from_config(config_)
