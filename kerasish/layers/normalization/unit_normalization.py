"""`UnitNormalization`: scales each sample to unit L2 norm over `axis`."""

import torch

from kerasish.layers.layer import Layer


class UnitNormalization(Layer):
    """Divides the input by its L2 norm over `axis` (at least `1e-12`, as Keras does).

    Args:
        axis: int or list of ints. Defaults to `-1`.

    Example:

    ```python
    y = kerasish.layers.UnitNormalization()(np.array([[3.0, 4.0]], "float32"))  # [[0.6, 0.8]]
    ```
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(
                f"Invalid value for `axis` argument: expected an int or a list/tuple of ints. Received: axis={axis!r}"
            )
        self.supports_masking = True

    def call(self, inputs):
        dims = self.axis if isinstance(self.axis, list) else [self.axis]
        norm = torch.linalg.vector_norm(inputs, ord=2, dim=dims, keepdim=True)
        return inputs / norm.clamp_min(1e-12)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
