"""`Permute`: permutes the non-batch axes of the input."""

from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class Permute(Layer):
    """Reorders the axes of each sample (a view: no copy).

    Args:
        dims: tuple of ints, a permutation of `1..ndim-1` (1-based: the batch axis is excluded).

    Example:

    ```python
    y = kerasish.layers.Permute((2, 1))(np.zeros((4, 10, 64), "float32"))  # shape (4, 64, 10)
    ```
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                f"`dims` must be consecutive and start from 1. Received: dims={dims!r}"
            )
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)
        self.supports_masking = True

    def call(self, inputs):
        return inputs.permute((0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        config = super().get_config()
        config["dims"] = self.dims
        return config
