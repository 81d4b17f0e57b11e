"""`BaseAdaptivePooling`: average or max pooling to a fixed output size, whatever the input size.

The bins are torch's (and Keras's on the torch backend, which calls the same kernels): along an
axis of length `n` pooled to `m`, bin `i` covers `[floor(i * n / m), ceil((i + 1) * n / m))`, so
bins may overlap when `m` does not divide `n`.
"""

import torch.nn.functional as F

from kerasish.backend import config as backend_config
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer

_OPS = {
    ("average", 1): F.adaptive_avg_pool1d, ("average", 2): F.adaptive_avg_pool2d,
    ("average", 3): F.adaptive_avg_pool3d, ("max", 1): F.adaptive_max_pool1d,
    ("max", 2): F.adaptive_max_pool2d, ("max", 3): F.adaptive_max_pool3d,
}
_AXES = {1: "(length,)", 2: "(height, width)", 3: "(depth, height, width)"}


def standardize_output_size(output_size, rank):
    """`output_size` as a tuple of `rank` positive ints (an int is repeated)."""
    if isinstance(output_size, int) and not isinstance(output_size, bool):
        sizes = (output_size,) * rank
    elif isinstance(output_size, (tuple, list)) and len(output_size) == rank:
        sizes = tuple(output_size)
    else:
        raise TypeError(
            f"`output_size` must be an integer or a tuple of {rank} integers {_AXES[rank]}. "
            f"Received: output_size={output_size!r} of type {type(output_size).__name__}"
        )
    if not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in sizes):
        raise ValueError(
            f"`output_size` must hold positive integers. Received: output_size={output_size!r}"
        )
    return sizes


class BaseAdaptivePooling(Layer):
    """Shared implementation of `AdaptiveAveragePooling1D/2D/3D` and `AdaptiveMaxPooling1D/2D/3D`.

    Args:
        output_size: int or tuple of `rank` ints, the spatial size of the output.
        rank: number of spatial axes.
        pool_mode: `"average"` or `"max"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.
    """

    def __init__(self, output_size, rank, pool_mode, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.output_size = standardize_output_size(output_size, rank)
        self.data_format = backend_config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        self._op = _OPS[(pool_mode, rank)]

    def call(self, inputs):
        if inputs.ndim != self.rank + 2:
            # torch would read a rank-1-lower input as unbatched: refuse it as Keras does.
            raise ValueError(
                f"Input 0 of layer {self.name!r} is incompatible with the layer: expected "
                f"ndim={self.rank + 2}, found ndim={inputs.ndim}. "
                f"Received: inputs.shape={tuple(inputs.shape)}"
            )
        channels_last = self.data_format == "channels_last"
        # A channels-last tensor moved to (N, C, *spatial) is a view; torch's kernels read it.
        x = inputs.movedim(-1, 1) if channels_last else inputs
        out = self._op(x, self.output_size)
        return out.movedim(1, -1) if channels_last else out

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        config = super().get_config()
        config.update({"output_size": self.output_size, "data_format": self.data_format})
        return config
