"""`Softmax`: softmax over `axis`, with masked positions excluded."""

import torch

from kerasish import activations
from kerasish.layers.layer import Layer


def _large_negative(dtype):
    # Large enough to vanish after exp, small enough not to overflow the dtype.
    return -3e4 if dtype == torch.float16 else -1e9


class Softmax(Layer):
    """Softmax activation over `axis` (or the product of several axes).

    Args:
        axis: int or list of ints. Defaults to `-1`.

    Call arguments:
        mask: boolean (or 0/1) tensor broadcastable to the inputs; masked positions get
            probability 0.

    Example:

    ```python
    y = kerasish.layers.Softmax()(np.array([[1.0, 2.0, 3.0]], "float32"))
    ```
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is not None:
            if mask.ndim > inputs.ndim:
                raise ValueError(
                    "The `mask` must be broadcastable to `inputs` and must not have more "
                    f"dimensions. Received: inputs.shape={tuple(inputs.shape)}, "
                    f"mask.shape={tuple(mask.shape)}"
                )
            mask = mask if mask.dtype == torch.bool else mask > 0.5
            inputs = torch.where(mask, inputs, torch.full((), _large_negative(inputs.dtype),
                                                          dtype=inputs.dtype, device=inputs.device))
        axis = self.axis[0] if isinstance(self.axis, list) and len(self.axis) == 1 else self.axis
        outputs = activations.softmax(inputs, axis=axis)
        if mask is not None:
            # A fully masked row would otherwise be uniform.
            outputs = torch.where(mask, outputs, torch.zeros((), dtype=outputs.dtype,
                                                             device=outputs.device))
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
