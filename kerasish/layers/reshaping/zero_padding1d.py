"""`ZeroPadding1D`: adds zeros at the ends of each spatial axis."""

import torch.nn.functional as F

from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer
from kerasish.layers.reshaping import spatial_utils


class ZeroPadding1D(Layer):
    """Zero-pads `(batch, steps, features)` inputs along the 1 spatial axes.

    Args:
        padding: int, 1 ints, or 1 `(before, after)` pairs. Defaults to `1`.

    Example:

    ```python
    y = kerasish.layers.ZeroPadding1D(1)(np.zeros((2, 6, 3), "float32"))  # shape (2, 8, 3)
    ```
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        self.padding = spatial_utils.pairs(padding, 1, "padding")
        self.data_format = "channels_last"
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        pads = [0, 0] * inputs.ndim
        for axis, (before, after) in zip(spatial_utils.spatial_axes(self.data_format, 1),
                                         self.padding):
            # F.pad lists pads from the last axis backwards.
            pos = 2 * (inputs.ndim - 1 - axis)
            pads[pos], pads[pos + 1] = before, after
        return F.pad(inputs, pads)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(spatial_utils.spatial_axes(self.data_format, 1),
                                         self.padding):
            if shape[axis] is not None:
                shape[axis] += before + after
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config["padding"] = self.padding[0]
        return config
