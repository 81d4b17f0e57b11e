"""`Masking`: marks time steps whose features all equal `mask_value` as padding."""

from kerasish.layers.layer import Layer


class Masking(Layer):
    """Masks timesteps where every feature equals `mask_value`.

    The output is the input with masked steps set to zero, carrying a `(batch, time)` mask that
    downstream layers (RNNs, `TimeDistributed`, losses) honour.

    Args:
        mask_value: the padding value. Defaults to `0.0`.

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    x = np.random.random((2, 4, 3)).astype("float32")
    x[:, 3] = 0.0
    out = layers.Masking()(x)  # out._keras_mask[:, 3] is False
    ```
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(mask_value, bool) or not isinstance(mask_value, (int, float)):
            raise TypeError(
                f"`mask_value` must be a number. Received: mask_value={mask_value!r}"
            )
        self.mask_value = mask_value
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return (inputs != self.mask_value).any(dim=-1)

    def call(self, inputs):
        keep = (inputs != self.mask_value).any(dim=-1, keepdim=True)
        return inputs * keep.to(inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
