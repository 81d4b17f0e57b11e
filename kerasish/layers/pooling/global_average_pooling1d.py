"""`GlobalAveragePooling1D`: the mean over the steps axis, skipping masked steps."""

from kerasish.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Global average pooling for sequences `(batch, steps, features)` (channels-last by default).

    With a mask (e.g. from `Embedding(mask_zero=True)`), the mean is taken over the unmasked steps
    only, as Keras does.

    Args:
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.
        keepdims: keep the steps axis with size 1. Defaults to `False`.

    Example:

    ```python
    y = kerasish.layers.GlobalAveragePooling1D()(np.ones((2, 6, 3), "float32"))  # shape (2, 3)
    ```
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, "average", data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        steps_axis = 1 if self.data_format == "channels_last" else 2
        weights = mask.to(dtype=inputs.dtype).unsqueeze(2 if steps_axis == 1 else 1)
        total = (inputs * weights).sum(dim=steps_axis, keepdim=self.keepdims)
        return total / weights.sum(dim=steps_axis, keepdim=self.keepdims)
