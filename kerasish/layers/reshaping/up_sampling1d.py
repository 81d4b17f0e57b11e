"""`UpSampling1D`: repeats each step `size` times."""

from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class UpSampling1D(Layer):
    """Repeats each temporal step of `(batch, steps, features)` inputs `size` times.

    Args:
        size: int, the upsampling factor. Defaults to `2`.

    Example:

    ```python
    y = kerasish.layers.UpSampling1D(2)(np.zeros((2, 3, 4), "float32"))  # shape (2, 6, 4)
    ```
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = int(size)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return inputs.repeat_interleave(self.size, dim=1)

    def compute_output_shape(self, input_shape):
        steps = None if input_shape[1] is None else input_shape[1] * self.size
        return (input_shape[0], steps, input_shape[2])

    def get_config(self):
        config = super().get_config()
        config["size"] = self.size
        return config
