"""`BaseConvTranspose`: the N-D transposed convolution behind Conv1D/2D/3DTranspose.

The kernel is stored in torch's `(in, out, *k)` layout and speaks Keras's `(*k, out, in)`. Keras's
output size (`padding`, `output_padding`) is reached by a torch transposed convolution with the
symmetric part of the crop as `padding`, then slicing (or zero-padding) the asymmetric rest.
"""

from kerasish.backend import conv_utils
from kerasish.layers.convolutional.base_conv import BaseConv
from kerasish.layers.input_spec import InputSpec

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
            conv_utils.transpose_output_length(n, k, s, self.padding, self._output_padding(i), d)
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
            crops.append(conv_utils.transpose_crop(k, s, d, self.padding, self._output_padding(i)))
        return crops

    def call(self, inputs):
        x = self._to_torch(inputs)
        crops = self._crops_cache.get("crops")
        if crops is None:
            crops = self._crops_cache["crops"] = self._crops()
        out = conv_utils.conv_transpose(x, self.kernel, self.bias, self.strides, self.dilation_rate,
                                        crops)
        return self._from_torch(out)

    def get_config(self):
        config = super().get_config()
        config.pop("groups", None)
        config["output_padding"] = self.output_padding
        return config
