"""`ReLU`: rectified linear unit with an optional cap, leak and threshold."""

from kerasish import activations
from kerasish.layers.layer import Layer


def _non_negative(name, value):
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
        raise ValueError(
            f"{name} of a ReLU layer cannot be a negative value. Expected a float >= 0. "
            f"Received: {name}={value!r}"
        )
    return float(value)


class ReLU(Layer):
    """`f(x) = max_value` for `x >= max_value`, `x` for `threshold <= x < max_value`,
    `negative_slope * (x - threshold)` otherwise.

    Args:
        max_value: float >= 0, the largest output. Defaults to `None` (unbounded).
        negative_slope: float >= 0, the slope below the threshold. Defaults to `0.0`.
        threshold: float >= 0, the threshold under which the leak applies. Defaults to `0.0`.

    Example:

    ```python
    y = kerasish.layers.ReLU(max_value=6.0)(np.array([-1.0, 3.0, 9.0], "float32"))  # [0, 3, 6]
    ```
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value = _non_negative("max_value", max_value)
        self.negative_slope = _non_negative("negative_slope", negative_slope)
        self.threshold = _non_negative("threshold", threshold)
        self.supports_masking = True

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"max_value": self.max_value, "negative_slope": self.negative_slope,
                       "threshold": self.threshold})
        return config
