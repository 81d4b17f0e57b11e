"""`ActivityRegularization`: adds an L1/L2 penalty on the layer's input to the training loss."""

from kerasish import regularizers
from kerasish.layers.layer import Layer


class ActivityRegularization(Layer):
    """Passes its input through unchanged and adds `l1 * sum(|x|) + l2 * sum(x**2)` (divided by the
    batch size, as Keras does) to the model's losses.

    Args:
        l1: L1 factor. Defaults to `0.0`.
        l2: L2 factor. Defaults to `0.0`.

    Example:

    ```python
    layer = kerasish.layers.ActivityRegularization(l2=0.01)
    y = layer(np.ones((2, 3), "float32"))  # layer.losses holds the penalty
    ```
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = float(l1)
        self.l2 = float(l2)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"l1": self.l1, "l2": self.l2})
        return config
