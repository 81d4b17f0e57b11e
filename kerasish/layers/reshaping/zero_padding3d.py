"""`ZeroPadding3D`: adds zeros at the ends of each spatial axis."""

import torch.nn.functional as F

from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer
from kerasish.layers.reshaping import spatial_utils


class ZeroPadding3D(Layer):
    """Zero-pads `(batch, d1, d2, d3, channels)` inputs along the 3 spatial axes.

    Args:
        padding: int, 3 ints, or 3 `(before, after)` pairs. Defaults to `(1, 1, 1)`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.

    Example:

    ```python
    y = kerasish.layers.ZeroPadding3D(1)(np.zeros((2, 4, 4, 4, 3), "float32"))  # shape (2, 6, 6, 6, 3)
    ```
    """

    def __init__(self, padding=(1, 1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = spatial_utils.pairs(padding, 3, "padding")
        self.data_format = spatial_utils.standardize_format(data_format)
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs):
        pads = [0, 0] * inputs.ndim
        for axis, (before, after) in zip(spatial_utils.spatial_axes(self.data_format, 3),
                                         self.padding):
            # F.pad lists pads from the last axis backwards.
            pos = 2 * (inputs.ndim - 1 - axis)
            pads[pos], pads[pos + 1] = before, after
        return F.pad(inputs, pads)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(spatial_utils.spatial_axes(self.data_format, 3),
                                         self.padding):
            if shape[axis] is not None:
                shape[axis] += before + after
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config["padding"] = self.padding
        config["data_format"] = self.data_format
        return config
