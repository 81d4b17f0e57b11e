"""`Embedding`: maps integer indices to dense vectors (rows of an `(input_dim, output_dim)` matrix)."""

import warnings

import torch
import torch.nn.functional as F

from kerasish import constraints, initializers, regularizers
from kerasish.compat.legacy_args import legacy_arguments
from kerasish.layers.core import lora
from kerasish.layers.layer import Layer


def _check_positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"`{name}` must be a positive integer. Received: {name}={value!r} "
            f"(of type {type(value).__name__})"
        )


class Embedding(Layer):
    """Turns non-negative integers (indices) into dense vectors of a fixed size.

    Args:
        input_dim: size of the vocabulary (largest index + 1).
        output_dim: dimension of the dense embedding.
        embeddings_initializer: defaults to `"uniform"` (`RandomUniform(-0.05, 0.05)`).
        embeddings_regularizer: optional regularizer of the embedding matrix.
        embeddings_constraint: optional constraint on the embedding matrix.
        mask_zero: whether index 0 is padding: the output then carries a mask (`inputs != 0`) that
            recurrent layers and losses honour. Defaults to `False`.
        input_length: Keras 2's fixed sequence length; on a first layer it gives the input shape
            `(input_length,)`.
        weights: optional initial embedding matrix (Keras 2).
        lora_rank: if set, LoRA of this rank is enabled when the layer is built: the embeddings
            are frozen and trainable factors `lora_embeddings_a` `(input_dim, rank)` and
            `lora_embeddings_b` `(rank, output_dim)` are added (see `enable_lora`).
        lora_alpha: the LoRA update is scaled by `lora_alpha / lora_rank`. Defaults to
            `lora_rank`.

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    emb = layers.Embedding(1000, 64, mask_zero=True)
    out = emb(np.array([[4, 7, 0, 0]]))  # (1, 4, 64); out._keras_mask == [[True, True, False, False]]
    ```
    """

    @legacy_arguments({"init": "embeddings_initializer", "W_regularizer": "embeddings_regularizer",
                       "W_constraint": "embeddings_constraint"})
    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, input_length=None, lora_rank=None, lora_alpha=None, **kwargs):
        _check_positive_int("input_dim", input_dim)
        _check_positive_int("output_dim", output_dim)
        if input_length is not None and not any(
                k in kwargs for k in ("input_shape", "batch_input_shape", "batch_shape")):
            kwargs["input_shape"] = (input_length,) if not isinstance(input_length, (list, tuple)) \
                else tuple(input_length)
        if kwargs.pop("dropout", 0):
            warnings.warn("Embedding's Keras 1 `dropout` argument is not supported; ignoring it.",
                          UserWarning, stacklevel=2)
        if weights is not None and not isinstance(weights, (list, tuple)):
            weights = [weights]
        super().__init__(weights=weights, **kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.input_length = input_length
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.autocast = False
        lora.init_settings(self, lora_rank, lora_alpha)

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          name="embeddings",
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)
        self.built = True
        if self.lora_rank:
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform",
                    b_initializer="zeros"):
        """Freezes the embeddings and adds trainable low-rank factors `lora_embeddings_a`
        `(input_dim, rank)` and `lora_embeddings_b` `(rank, output_dim)`: lookups read
        `embeddings + (lora_alpha / rank) * a @ b` (Keras 3's LoRA); saving writes that matrix."""
        lora.enable_lora(self, "embeddings", ("lora_embeddings_a", "lora_embeddings_b"), rank,
                         lora_alpha, a_initializer, b_initializer, self.embeddings_regularizer,
                         self.embeddings_constraint)

    def call(self, inputs):
        if inputs.is_floating_point() or inputs.dtype not in (torch.int32, torch.int64):
            inputs = inputs.to(torch.int64)
        table = lora.merged(self) if self.lora_enabled else self.embeddings
        return F.embedding(inputs, table)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return inputs != 0

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        config = super().get_config()
        config.update({
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
        })
        config.update(lora.config_entries(self))
        if self.input_length is not None:
            config["input_length"] = self.input_length
        return config

    def extra_repr(self):
        return f"name={self.name!r}, input_dim={self.input_dim}, output_dim={self.output_dim}"
