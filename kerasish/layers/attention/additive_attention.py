"""`AdditiveAttention`: Bahdanau-style attention, `scores = sum(scale * tanh(query + key))`."""

import torch

from kerasish.layers.attention.attention import Attention


class AdditiveAttention(Attention):
    """Additive attention layer, a.k.a. Bahdanau-style attention.

    Called on `[query, value]` or `[query, value, key]` as `Attention` is; the scores are
    `reduce_sum(scale * tanh(query + key), axis=-1)` of shape `(batch, Tq, Tv)`, with `scale` a
    learned vector of size `dim` (no scale when `use_scale=False`). The masks, causal mask,
    dropout and `return_attention_scores` behave as in `Attention`.

    Args:
        use_scale: whether to learn the `scale` vector (`glorot_uniform`). Defaults to `True`.
        dropout: float in [0, 1), the fraction of attention weights dropped in training.
            Defaults to `0.0`.
        seed: optional int seed of the dropout.

    Example:

    ```python
    q = np.random.rand(2, 4, 8).astype("float32")
    v = np.random.rand(2, 6, 8).astype("float32")
    out = kerasish.layers.AdditiveAttention()([q, v])  # (2, 4, 8)
    ```
    """

    def __init__(self, use_scale=True, dropout=0.0, seed=None, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, seed=seed, **kwargs)
        # The score is never a dot product: the explicit path always runs.
        self.score_mode = "additive"

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(input_shape[0][-1],),
                                         initializer="glorot_uniform")
        self.built = True

    def _calculate_scores(self, query, key):
        summed = torch.tanh(query.unsqueeze(-2) + key.unsqueeze(-3))
        if self.scale is not None:
            summed = self.scale * summed
        return summed.sum(dim=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
