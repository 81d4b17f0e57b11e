"""`BaseConv`: the N-D convolution behind Conv1D/2D/3D.

Tensors are channels-last at the layer's edges (Keras) and a channels-first *view* inside (torch's
kernels); the kernel is stored in torch's `(out, in/groups, *k)` layout and speaks Keras's
`(*k, in/groups, out)` through `get_weights`/`set_weights` (see `kerasish.backend.layouts`).
"""

import torch.nn.functional as F

from kerasish import activations, constraints, initializers, regularizers
from kerasish.backend import config as backend_config
from kerasish.backend import layouts
from kerasish.backend import conv_utils
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}

# Keras 1 keyword names shared by every convolution.
CONV_RENAMES = {
    "nb_filter": "filters", "border_mode": "padding", "subsample": "strides",
    "subsample_length": "strides", "filter_length": "kernel_size", "init": "kernel_initializer",
    "W_regularizer": "kernel_regularizer", "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint", "b_constraint": "bias_constraint", "bias": "use_bias",
    "dim_ordering": "data_format", "atrous_rate": "dilation_rate",
}


def legacy_conv_preprocess(rank):
    """Keras 1's `Conv2D(nb_filter, nb_row, nb_col)` (and the 1D/3D forms) -> `kernel_size`."""
    names = {1: (), 2: ("nb_row", "nb_col"), 3: ("kernel_dim1", "kernel_dim2", "kernel_dim3")}[rank]

    def preprocess(args, kwargs):
        converted = []
        if rank > 1 and len(args) == rank + 1 and all(isinstance(a, int) for a in args):
            args, kwargs = args[:1], dict(kwargs, kernel_size=tuple(args[1:]))
            converted.append(f"{args[0]}, {kwargs['kernel_size']}")
        elif names and all(n in kwargs for n in names):
            kwargs = dict(kwargs)
            kwargs["kernel_size"] = tuple(kwargs.pop(n) for n in names)
            converted.append(f"kernel_size={kwargs['kernel_size']}")
        return args, kwargs, converted

    return preprocess


class BaseConv(Layer):
    """Shared implementation of the N-D convolution layers (see `Conv2D` for the arguments)."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        if filters is not None and (not isinstance(filters, int) or filters <= 0):
            raise ValueError(
                f"Invalid value for argument `filters`. Expected a strictly positive integer. "
                f"Received: filters={filters!r}"
            )
        self.filters = filters
        self.groups = int(groups)
        if self.groups <= 0:
            raise ValueError(f"The number of groups must be a positive integer. Received: groups={groups}")
        if filters is not None and filters % self.groups:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={groups}, filters={filters}"
            )
        self.kernel_size = conv_utils.standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.standardize_tuple(strides, rank, "strides")
        self.dilation_rate = conv_utils.standardize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self.padding = conv_utils.standardize_padding(padding, allow_causal=rank == 1)
        self.data_format = backend_config.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        self.bias = None

    # ----------------------------------------------------------------- shapes
    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def _input_channels(self, input_shape):
        channels = input_shape[self._channel_axis()]
        if channels is None:
            raise ValueError(
                f"The channel dimension of the inputs to {type(self).__name__} should be defined. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        return int(channels)

    def _spatial(self, input_shape):
        return input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]

    def _output_channels(self, input_shape):
        return self.filters

    def _output_spatial(self, spatial):
        return tuple(conv_utils.output_length(n, k, s, self.padding, d) for n, k, s, d in
                     zip(spatial, self.kernel_size, self.strides, self.dilation_rate))

    def compute_output_shape(self, input_shape):
        spatial = self._output_spatial(self._spatial(input_shape))
        channels = self._output_channels(input_shape)
        if self.data_format == "channels_last":
            return (input_shape[0],) + spatial + (channels,)
        return (input_shape[0], channels) + spatial

    # ----------------------------------------------------------------- weights
    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        if channels % self.groups:
            raise ValueError(
                "The number of input channels must be evenly divisible by the number of groups. "
                f"Received: groups={self.groups}, input_shape={tuple(input_shape)}"
            )
        self.kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (channels // self.groups, self.filters),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint, layout="conv")
        self._build_bias(self.filters)
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={self._channel_axis(): channels})
        self.built = True

    def _build_bias(self, size):
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(size,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    # ----------------------------------------------------------------- compute
    def _to_torch(self, inputs):
        return layouts.to_channels_first(inputs) if self.data_format == "channels_last" else inputs

    def _from_torch(self, outputs):
        out = layouts.to_channels_last(outputs) if self.data_format == "channels_last" else outputs
        return out if self.activation is activations.linear else self.activation(out)

    def _convolve(self, x, kernel, bias, groups):
        x, pad = conv_utils.resolve_padding(x, self.kernel_size, self.strides, self.dilation_rate,
                                            self.padding)
        return _CONV[self.rank](x, kernel, bias, self.strides, pad, self.dilation_rate, groups)

    def call(self, inputs):
        x = self._to_torch(inputs)
        return self._from_torch(self._convolve(x, self.kernel, self.bias, self.groups))

    def get_config(self):
        config = super().get_config()
        config.update({
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        })
        return config

    def extra_repr(self):
        return (f"name={self.name!r}, filters={self.filters}, kernel_size={self.kernel_size}, "
                f"strides={self.strides}, padding={self.padding!r}")
