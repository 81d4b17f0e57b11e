"""`BaseConvTranspose`: the N-D transposed convolution behind Conv1D/2D/3DTranspose.

The kernel is stored in torch's `(in, out, *k)` layout and speaks Keras's `(*k, out, in)`. Keras's
output size (`padding`, `output_padding`) is reached by a torch transposed convolution with the
symmetric part of the crop as `padding`, then slicing (or zero-padding) the asymmetric rest.
"""

import torch.nn.functional as F

from kerasish.layers.convolutional import conv_utils
from kerasish.layers.convolutional.base_conv import BaseConv
from kerasish.layers.input_spec import InputSpec

_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def _keras_pads(kernel, stride, dilation, padding, output_padding):
    """Keras's `(left, right)` padding of the stride-dilated input for one axis."""
    effective = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(effective, stride) - effective if output_padding is None else output_padding
        return effective - 1, effective - 1 + extra
    if output_padding is None:
        total = stride + effective - 2
    else:
        total = effective + effective % 2 - 2 + output_padding
    left = min(total // 2 + total % 2, effective - 1)
    return left, total - left


def transpose_output_length(length, kernel, stride, padding, output_padding, dilation):
    if length is None:
        return None
    effective = (kernel - 1) * dilation + 1
    left, right = _keras_pads(kernel, stride, dilation, padding, output_padding)
    return (length - 1) * stride + 1 + left + right - effective + 1


class BaseConvTranspose(BaseConv):
    """Shared implementation of the transposed convolutions (see `Conv2DTranspose`)."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, **kwargs):
        super().__init__(rank, filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)
        if output_padding is not None:
            output_padding = conv_utils.standardize_tuple(output_padding, rank, "output_padding",
                                                          allow_zero=True)
            for p, s in zip(output_padding, self.strides):
                if p >= s:
                    raise ValueError(
                        "Strides must be greater than output padding. "
                        f"Received: strides={self.strides}, output_padding={output_padding}"
                    )
        self.output_padding = output_padding
        self._crops_cache = {}

    def _output_padding(self, i):
        return None if self.output_padding is None else self.output_padding[i]

    def _output_spatial(self, spatial):
        return tuple(
            transpose_output_length(n, k, s, self.padding, self._output_padding(i), d)
            for i, (n, k, s, d) in enumerate(zip(spatial, self.kernel_size, self.strides,
                                                 self.dilation_rate)))

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (self.filters, channels),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint, layout="conv_transpose")
        self._build_bias(self.filters)
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={self._channel_axis(): channels})
        self.built = True

    def _crops(self):
        """Per axis, how much of torch's full transposed output to drop at each end."""
        crops = []
        for i, (k, s, d) in enumerate(zip(self.kernel_size, self.strides, self.dilation_rate)):
            left, right = _keras_pads(k, s, d, self.padding, self._output_padding(i))
            effective = (k - 1) * d + 1
            crops.append((effective - 1 - left, effective - 1 - right))
        return crops

    def call(self, inputs):
        x = self._to_torch(inputs)
        crops = self._crops_cache.get("crops")
        if crops is None:
            crops = self._crops_cache["crops"] = self._crops()
        sym = tuple(max(0, min(a, b)) for a, b in crops)
        rest = [(a - p, b - p) for (a, b), p in zip(crops, sym)]
        grows = any(a < 0 or b < 0 for a, b in rest)
        # Where Keras's output is longer than torch's, the added border still gets the bias.
        bias = None if grows else self.bias
        out = _CONV_T[self.rank](x, self.kernel, bias, self.strides, sym, 0, 1, self.dilation_rate)
        if any(a or b for a, b in rest):
            # F.pad with a negative amount slices that end off.
            out = F.pad(out, [-v for pair in reversed(rest) for v in pair])
        if grows and self.bias is not None:
            out = out + self.bias.reshape((-1,) + (1,) * self.rank)
        return self._from_torch(out)

    def get_config(self):
        config = super().get_config()
        config.pop("groups", None)
        config["output_padding"] = self.output_padding
        return config
