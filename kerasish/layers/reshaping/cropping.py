"""`BaseCropping`: what Cropping1D/2D/3D share — removing `(before, after)` rows of each spatial
axis with a slice (no copy)."""

from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer
from kerasish.layers.reshaping import spatial_utils


class BaseCropping(Layer):
    """Crops the `rank` spatial axes. Subclasses set `rank`."""

    rank = None

    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.cropping = spatial_utils.pairs(cropping, self.rank, "cropping")
        self.data_format = "channels_last" if self.rank == 1 else spatial_utils.standardize_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _axes(self):
        return zip(spatial_utils.spatial_axes(self.data_format, self.rank), self.cropping)

    def call(self, inputs):
        index = [slice(None)] * inputs.ndim
        for axis, (before, after) in self._axes():
            index[axis] = slice(before, inputs.shape[axis] - after)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in self._axes():
            if shape[axis] is not None:
                if before + after >= shape[axis]:
                    raise ValueError(
                        "Values in `cropping` argument should be smaller than the corresponding "
                        f"spatial dimension of the input. Received: input_shape={tuple(input_shape)}, "
                        f"cropping={self.cropping}"
                    )
                shape[axis] -= before + after
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        if self.rank == 1:
            config["cropping"] = self.cropping[0]
        else:
            config["cropping"] = self.cropping
            config["data_format"] = self.data_format
        return config
