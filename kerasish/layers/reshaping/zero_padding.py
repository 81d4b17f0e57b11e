"""`BaseZeroPadding`: what ZeroPadding1D/2D/3D share — zeros added at both ends of each spatial
axis."""

import torch.nn.functional as F

from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer
from kerasish.layers.reshaping import spatial_utils


class BaseZeroPadding(Layer):
    """Zero-pads the `rank` spatial axes. Subclasses set `rank`."""

    rank = None

    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = spatial_utils.pairs(padding, self.rank, "padding")
        self.data_format = "channels_last" if self.rank == 1 else spatial_utils.standardize_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _axes(self):
        return zip(spatial_utils.spatial_axes(self.data_format, self.rank), self.padding)

    def call(self, inputs):
        pads = [0, 0] * inputs.ndim
        for axis, (before, after) in self._axes():
            # F.pad lists pads from the last axis backwards.
            pos = 2 * (inputs.ndim - 1 - axis)
            pads[pos], pads[pos + 1] = before, after
        return F.pad(inputs, pads)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in self._axes():
            if shape[axis] is not None:
                shape[axis] += before + after
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        if self.rank == 1:
            config["padding"] = self.padding[0]
        else:
            config["padding"] = self.padding
            config["data_format"] = self.data_format
        return config
