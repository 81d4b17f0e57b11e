"""`ZeroPadding2D`: adds zeros at the ends of each spatial axis."""

import torch.nn.functional as F

from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer
from kerasish.layers.reshaping import spatial_utils


class ZeroPadding2D(Layer):
    """Zero-pads `(batch, rows, cols, channels)` inputs along the 2 spatial axes.

    Args:
        padding: int, 2 ints, or 2 `(before, after)` pairs. Defaults to `(1, 1)`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.

    Example:

    ```python
    y = kerasish.layers.ZeroPadding2D(1)(np.zeros((2, 6, 6, 3), "float32"))  # shape (2, 8, 8, 3)
    ```
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = spatial_utils.pairs(padding, 2, "padding")
        self.data_format = spatial_utils.standardize_format(data_format)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        pads = [0, 0] * inputs.ndim
        for axis, (before, after) in zip(spatial_utils.spatial_axes(self.data_format, 2),
                                         self.padding):
            # F.pad lists pads from the last axis backwards.
            pos = 2 * (inputs.ndim - 1 - axis)
            pads[pos], pads[pos + 1] = before, after
        return F.pad(inputs, pads)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(spatial_utils.spatial_axes(self.data_format, 2),
                                         self.padding):
            if shape[axis] is not None:
                shape[axis] += before + after
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config["padding"] = self.padding
        config["data_format"] = self.data_format
        return config
