"""`ReversibleEmbedding`: an `Embedding` that can also project hidden states back to the vocabulary."""

import torch

from kerasish.backend import dtypes
from kerasish.layers.core.embedding import Embedding
from kerasish.layers.layer_utils import _set_mask


class ReversibleEmbedding(Embedding):
    """An embedding layer that can project backwards to the input dimension (language models).

    Called with `reverse=True` on hidden states `(..., output_dim)`, it returns logits
    `(..., input_dim)`: `hidden @ embeddings^T` when `tie_weights=True` (the default), else
    `hidden @ reverse_embeddings` with a separate trainable `(output_dim, input_dim)` matrix. There
    is no bias.

    Args:
        input_dim: size of the vocabulary (largest index + 1).
        output_dim: dimension of the dense embedding.
        tie_weights: whether the reverse projection reuses the embedding matrix. Defaults to `True`.
        embeddings_initializer, embeddings_regularizer, embeddings_constraint, mask_zero: as in
            `Embedding`.
        reverse_dtype: dtype of the reverse projection (inputs and kernel are cast to it).
            Defaults to the layer's compute dtype.
        logit_soft_cap: if set, reverse logits become `tanh(logits / cap) * cap`.

    Call arguments:
        inputs: token ids, or hidden states when `reverse=True`.
        reverse: project from `output_dim` to `input_dim`. Defaults to `False`.

    Example:

    ```python
    emb = kerasish.layers.ReversibleEmbedding(100, 32)
    hidden = emb(np.random.randint(100, size=(16, 50)))  # (16, 50, 32)
    logits = emb(hidden, reverse=True)                   # (16, 50, 100)
    ```
    """

    # The output shape depends on `reverse`: found by running on meta tensors.
    _infer_shapes_by_running = True

    def __init__(self, input_dim, output_dim, tie_weights=True, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 reverse_dtype=None, logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer,
                         embeddings_constraint=embeddings_constraint, mask_zero=mask_zero,
                         **kwargs)
        if logit_soft_cap is not None and (isinstance(logit_soft_cap, bool) or not isinstance(
                logit_soft_cap, (int, float)) or logit_soft_cap <= 0):
            raise ValueError(
                "`logit_soft_cap` must be a positive number or None. "
                f"Received: logit_soft_cap={logit_soft_cap!r}"
            )
        self._reverse_torch_dtype = None
        if reverse_dtype is not None:
            try:
                self._reverse_torch_dtype = dtypes.to_torch_dtype(reverse_dtype)
            except (TypeError, ValueError, KeyError):
                raise ValueError(
                    f"Invalid `reverse_dtype`. Received: reverse_dtype={reverse_dtype!r}"
                ) from None
        self.tie_weights = bool(tie_weights)
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap
        self.reverse_embeddings = None

    def build(self, input_shape=None):
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim), initializer=self.embeddings_initializer,
                name="reverse_embeddings")
        self.built = True

    def call(self, inputs, reverse=False):
        if not reverse:
            result = super().call(inputs)
            if self.mask_zero:
                _set_mask(result, inputs != 0)
            return result
        if inputs.shape[-1] != self.output_dim:
            raise ValueError(
                f"A reverse call of ReversibleEmbedding needs inputs whose last dimension is "
                f"output_dim={self.output_dim}. Received: inputs.shape={tuple(inputs.shape)}"
            )
        kernel = self.embeddings.t() if self.tie_weights else self.reverse_embeddings
        if self._reverse_torch_dtype is not None:
            inputs = inputs.to(self._reverse_torch_dtype)
            kernel = kernel.to(self._reverse_torch_dtype)
        elif not inputs.is_floating_point():
            inputs = inputs.to(kernel.dtype)
        logits = torch.matmul(inputs, kernel.to(inputs.dtype))
        if self.logit_soft_cap is not None:
            logits = torch.tanh(logits / self.logit_soft_cap) * self.logit_soft_cap
        return logits

    def compute_mask(self, inputs, mask=None):
        # The mask is set in `call` (a reverse call has none), as Keras does.
        return None

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return tuple(input_shape[:-1]) + (self.input_dim,)
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        config = super().get_config()
        config.update({"tie_weights": self.tie_weights, "reverse_dtype": self.reverse_dtype,
                       "logit_soft_cap": self.logit_soft_cap})
        return config
