"""`Reshape`: reshapes each sample to `target_shape` (one entry may be -1)."""

import numpy as np

from kerasish.layers.layer import Layer


class Reshape(Layer):
    """Reshapes the input to `(batch,) + target_shape`.

    Args:
        target_shape: tuple of ints, without the batch axis; at most one `-1`.

    Example:

    >>> kerasish.layers.Reshape((3, -1))(np.zeros((2, 12), "float32")).shape
    torch.Size([2, 3, 4])
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(int(d) for d in target_shape)
        if sum(d == -1 for d in target_shape) > 1:
            raise ValueError(f"There must be at most one unknown dimension (-1) in target_shape. Received: target_shape={target_shape}")
        self.target_shape = target_shape

    def call(self, inputs):
        return inputs.reshape((inputs.shape[0],) + self.target_shape)

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        if -1 not in self.target_shape:
            if None not in rest and int(np.prod(rest)) != int(np.prod(self.target_shape)):
                raise ValueError(
                    "The total size of the input and the target shape must be equal. "
                    f"Received: input_shape={tuple(input_shape)}, target_shape={self.target_shape}"
                )
            return (input_shape[0],) + self.target_shape
        if None in rest:
            return (input_shape[0],) + tuple(None if d == -1 else d for d in self.target_shape)
        known = int(np.prod([d for d in self.target_shape if d != -1]))
        total = int(np.prod(rest))
        if known == 0 or total % known:
            raise ValueError(
                f"Cannot reshape input of shape {tuple(input_shape)} to target shape {self.target_shape}."
            )
        return (input_shape[0],) + tuple(total // known if d == -1 else d for d in self.target_shape)

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config
