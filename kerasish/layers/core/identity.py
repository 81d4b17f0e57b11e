"""`Identity`: returns its inputs unchanged (a placeholder where no operation is wanted)."""

from kerasish.layers.layer import Layer


class Identity(Layer):
    """Identity layer: `call` returns `inputs` as they are (any structure), masks included.

    Example:

    ```python
    x = np.ones((2, 3), "float32")
    y = kerasish.layers.Identity()(x)  # the same values, as a tensor
    ```
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
