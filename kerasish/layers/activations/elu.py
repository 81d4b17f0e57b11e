"""`ELU`: exponential linear unit."""

import torch.nn.functional as F

from kerasish.layers.layer import Layer


class ELU(Layer):
    """`x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.

    Args:
        alpha: scale of the negative part. Defaults to `1.0`.

    Example:

    ```python
    y = kerasish.layers.ELU()(np.array([-1.0, 2.0], "float32"))  # [-0.632, 2.0]
    ```
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)
        self.supports_masking = True

    def call(self, inputs):
        return F.elu(inputs, self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["alpha"] = self.alpha
        return config
