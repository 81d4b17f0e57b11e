"""`BaseUpSampling`: nearest-neighbour (or bilinear) upsampling of 2D/3D feature maps."""

import torch.nn.functional as F

from kerasish.backend import layouts
from kerasish.backend import conv_utils
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer
from kerasish.layers.reshaping import spatial_utils

# Keras interpolation name -> (torch mode, align_corners), as Keras's torch backend resizes.
_MODES = {"nearest": ("nearest", None), "bilinear": ("bilinear", False),
          "bicubic": ("bicubic", False)}


class BaseUpSampling(Layer):
    """Shared implementation of UpSampling2D/3D."""

    rank = None

    def __init__(self, size, data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.size = conv_utils.standardize_tuple(size, self.rank, "size")
        self.data_format = spatial_utils.standardize_format(data_format)
        if interpolation not in _MODES:
            raise ValueError(
                f"`interpolation` argument should be one of {sorted(_MODES)}. "
                f"Received: interpolation={interpolation!r}"
            )
        self.interpolation = interpolation
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        axes = spatial_utils.spatial_axes(self.data_format, self.rank)
        if self.interpolation == "nearest":
            out = inputs
            for axis, factor in zip(axes, self.size):
                out = out.repeat_interleave(factor, dim=axis)
            return out
        channels_last = self.data_format == "channels_last"
        x = layouts.to_channels_first(inputs) if channels_last else inputs
        mode, align = _MODES[self.interpolation]
        size = tuple(n * f for n, f in zip(x.shape[2:], self.size))
        out = F.interpolate(x, size=size, mode=mode, align_corners=align)
        return layouts.to_channels_last(out) if channels_last else out

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, factor in zip(spatial_utils.spatial_axes(self.data_format, self.rank),
                                self.size):
            if shape[axis] is not None:
                shape[axis] *= factor
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format})
        return config
