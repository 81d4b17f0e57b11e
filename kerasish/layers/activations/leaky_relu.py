"""`LeakyReLU`: `x` for `x >= 0`, `negative_slope * x` otherwise."""

import torch.nn.functional as F

from kerasish.compat.legacy_args import legacy_arguments
from kerasish.layers.layer import Layer


class LeakyReLU(Layer):
    """Leaky rectified linear unit.

    Args:
        negative_slope: float >= 0, the slope for negative inputs. Defaults to `0.3` (Keras's
            default). Keras 2's name `alpha` is accepted with a warning.

    Example:

    ```python
    y = kerasish.layers.LeakyReLU()(np.array([-1.0, 2.0], "float32"))  # [-0.3, 2.0]
    ```
    """

    @legacy_arguments({"alpha": "negative_slope"})
    def __init__(self, negative_slope=0.3, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(negative_slope, (int, float)) or negative_slope is None or negative_slope < 0:
            raise ValueError(
                "The negative_slope value of a Leaky ReLU layer cannot be None or negative. "
                f"Expected a float. Received: negative_slope={negative_slope!r}"
            )
        self.negative_slope = float(negative_slope)
        self.supports_masking = True

    def call(self, inputs):
        return F.leaky_relu(inputs, self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config
