"""`CategoryEncoding`: integer features to one-hot, multi-hot or count vectors (Keras 3's layer)."""

import torch

from kerasish.layers.preprocessing.data_layer import PreprocessingLayer, refuse_sparse, to_numpy
from kerasish.layers.preprocessing.encoding import encode_categorical


class CategoryEncoding(PreprocessingLayer):
    """Encodes integer features in `[0, num_tokens)`.

    Args:
        num_tokens: the number of categories; inputs must lie in `[0, num_tokens)`.
        output_mode: `"one_hot"` (one vector per value; a last axis of size 1 is replaced),
            `"multi_hot"` (one vector per sample, 1 where a value occurs) or `"count"` (how often
            it occurs, weighted by the call's `count_weights`). Defaults to `"multi_hot"`.
        sparse: refused (kerasish returns dense tensors).

    Inputs have rank 0, 1 or 2 (the last axis is the sample). Outputs are `float32` tensors.

    Example:

    ```python
    layer = kerasish.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    layer(np.array([[0, 1], [0, 0], [1, 2], [3, 1]]))
    ```
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError("Unknown value for `output_mode` of CategoryEncoding: expected one of "
                             f"('count', 'one_hot', 'multi_hot'). Received: output_mode={output_mode!r}")
        if num_tokens is None:
            raise ValueError("num_tokens must be set to use this layer. If the number of tokens "
                             "is not known beforehand, use the IntegerLookup layer instead. "
                             "Received: num_tokens=None")
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        refuse_sparse(sparse, "CategoryEncoding")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs, count_weights=None):
        if not isinstance(inputs, torch.Tensor):
            inputs = torch.as_tensor(to_numpy(inputs))
        if inputs.dtype.is_floating_point or inputs.dtype == torch.bool:
            inputs = inputs.long()
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError("`count_weights` is not used when `output_mode` is not "
                                 f"`'count'`. Received `count_weights={count_weights}`.")
            count_weights = torch.as_tensor(to_numpy(count_weights), dtype=torch.float32)
        if inputs.numel() and (int(inputs.min()) < 0 or int(inputs.max()) >= self.num_tokens):
            raise ValueError(
                f"Input values must be in the range 0 <= values < num_tokens with "
                f"num_tokens={self.num_tokens}. Received: inputs with values in "
                f"[{int(inputs.min())}, {int(inputs.max())}]")
        return encode_categorical(inputs, self.output_mode, self.num_tokens,
                                  self.compute_dtype, count_weights)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if not input_shape:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and (input_shape[-1] != 1 or len(input_shape) == 1):
            return input_shape + (self.num_tokens,)
        return input_shape[:-1] + (self.num_tokens,)

    def get_config(self):
        config = super().get_config()
        config.update({"num_tokens": self.num_tokens, "output_mode": self.output_mode})
        return config
