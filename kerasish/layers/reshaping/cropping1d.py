"""`Cropping1D`: removes rows/columns from the ends of each spatial axis."""

from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer
from kerasish.layers.reshaping import spatial_utils


class Cropping1D(Layer):
    """Crops `(batch, steps, features)` inputs along the 1 spatial axes (a slice: no copy).

    Args:
        cropping: int, 1 ints, or 1 `(before, after)` pairs. Defaults to `(1, 1)`.

    Example:

    ```python
    y = kerasish.layers.Cropping1D((1, 2))(np.zeros((2, 6, 3), "float32"))  # shape (2, 3, 3)
    ```
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = spatial_utils.pairs(cropping, 1, "cropping")
        self.data_format = "channels_last"
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        index = [slice(None)] * inputs.ndim
        for axis, (before, after) in zip(spatial_utils.spatial_axes(self.data_format, 1),
                                         self.cropping):
            index[axis] = slice(before, inputs.shape[axis] - after)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(spatial_utils.spatial_axes(self.data_format, 1),
                                         self.cropping):
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
        config["cropping"] = self.cropping[0]
        return config
