"""`RepeatVector`: repeats a `(batch, features)` input `n` times along a new axis 1."""

from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class RepeatVector(Layer):
    """Turns `(batch, features)` into `(batch, n, features)` (a broadcast view: no copy).

    Args:
        n: number of repetitions.

    Example:

    ```python
    y = kerasish.layers.RepeatVector(3)(np.zeros((2, 5), "float32"))  # shape (2, 3, 5)
    ```
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"Expected an integer value for `n`. Received: n={n!r}")
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return inputs.unsqueeze(1).expand(-1, self.n, -1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config
