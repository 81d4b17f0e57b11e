"""`Attention`: dot-product (Luong-style) attention over `[query, value(, key)]`.

The `"dot"` score with no scores requested runs on torch's `scaled_dot_product_attention` (SDPA):
Keras's scores are `query @ key^T` (times the learned `scale`), which is SDPA with `scale=1` on a
query multiplied by `scale`; Keras's padding bias (`scores - 1e9` where a value is masked) is SDPA's
additive float mask, so even a fully masked row gives Keras's numbers. The `"concat"` score, and
calls that return the scores, take the explicit path.
"""

import torch
import torch.nn.functional as F

from kerasish.backend import random_ops
from kerasish.layers.layer import Layer

_SCORE_MODES = ("dot", "concat")


def _shape(x):
    return tuple(getattr(x, "shape", ()))


def _padding_bias(scores_mask, dtype):
    """Keras's additive stand-in for a masked score: `-1e9` (`-65504` in float16)."""
    big = 65504.0 if dtype == torch.float16 else 1.0e9
    zero = torch.zeros((), dtype=dtype, device=scores_mask.device)
    return torch.where(scores_mask, zero, torch.full((), -big, dtype=dtype,
                                                     device=scores_mask.device))


def _as_mask(mask, device):
    if mask is None or torch.is_tensor(mask):
        return mask
    return torch.as_tensor(mask, device=device)


def _causal_mask(tq, tv, device):
    # Keras's `row_index >= col_index` on a (1, Tq, Tv) grid: lower triangular, top-left aligned.
    return torch.ones((1, tq, tv), dtype=torch.bool, device=device).tril()


class Attention(Layer):
    """Dot-product attention layer, a.k.a. Luong-style attention.

    Called on `[query, value]` or `[query, value, key]` (`key` defaults to `value`), with `query`
    of shape `(batch, Tq, dim)` and `value`/`key` of shape `(batch, Tv, dim)`:
    `scores = query @ key^T` (`"dot"`) or `sum(tanh(query + key))` (`"concat"`), a softmax over
    `Tv`, then the weighted sum of `value`, of shape `(batch, Tq, dim)`.

    Args:
        use_scale: if `True`, a learned scalar `scale` multiplies the scores. Defaults to `False`.
        score_mode: `"dot"` or `"concat"`. Defaults to `"dot"`.
        dropout: float in [0, 1), the fraction of attention weights dropped in training.
            Defaults to `0.0`.
        seed: optional int seed of the dropout.

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]`.
        mask: `[query_mask, value_mask]`, boolean `(batch, Tq)` and `(batch, Tv)`: the output is zero
            where the query mask is False, masked values get no weight. Masks of `Embedding(
            mask_zero=True)` outputs are picked up on their own.
        return_attention_scores: also return the weights after masking and softmax,
            `(batch, Tq, Tv)`. Defaults to `False`.
        training: whether dropout applies.
        use_causal_mask: position `i` attends only to positions `j <= i`. Defaults to `False`.

    Example:

    ```python
    q = np.random.rand(2, 4, 8).astype("float32")
    v = np.random.rand(2, 6, 8).astype("float32")
    out = kerasish.layers.Attention()([q, v])  # (2, 4, 8)
    ```
    """

    # Output shapes depend on `return_attention_scores`: found by running on meta tensors.
    _infer_shapes_by_running = True

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in _SCORE_MODES:
            raise ValueError(
                "Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
                f"Received: score_mode={score_mode}"
            )
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) \
                or not 0 <= dropout < 1:
            raise ValueError(
                f"Argument `dropout` must be a float in [0, 1). Received: dropout={dropout!r}"
            )
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed!r}")
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.dropout = float(dropout)
        self.seed = seed
        self._generator = None
        if seed is not None:
            self._generator = torch.Generator()
            self._generator.manual_seed(int(seed))
        self.supports_masking = True
        self.scale = None
        self.concat_score_weight = None

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(),
                                                       initializer="ones")
        self.built = True

    # ----------------------------------------------------------------- scores
    def _calculate_scores(self, query, key):
        """Scores `(batch, Tq, Tv)` of `query` against `key` (Keras's `_calculate_scores`)."""
        if self.score_mode == "dot":
            scores = torch.matmul(query, key.transpose(-2, -1))
            return scores if self.scale is None else scores * self.scale
        summed = query.unsqueeze(-2) + key.unsqueeze(-3)
        if self.scale is not None:
            summed = self.scale * summed
        return self.concat_score_weight * torch.tanh(summed).sum(dim=-1)

    def _apply_scores(self, scores, value, scores_mask, training):
        if scores_mask is not None:
            scores = scores + _padding_bias(scores_mask, scores.dtype)
        weights = torch.softmax(scores, dim=-1)
        if training and self.dropout > 0:
            weights = random_ops.dropout(weights, self.dropout, None, self._generator)
        return torch.matmul(weights, value), weights

    def _fused(self, query, key, value, scores_mask, causal_only, training):
        """The `"dot"` output through SDPA (no scores requested)."""
        if self.scale is not None:
            query = query * self.scale.to(query.dtype)
        bias = None if scores_mask is None else _padding_bias(scores_mask, query.dtype)
        dropout_p = self.dropout if training else 0.0
        return F.scaled_dot_product_attention(query, key, value, attn_mask=bias,
                                              dropout_p=dropout_p, is_causal=causal_only,
                                              scale=1.0)

    # ----------------------------------------------------------------- call
    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        self._check_call_shapes(query, value, key)
        q_mask = _as_mask(mask[0], query.device) if mask else None
        v_mask = _as_mask(mask[1], query.device) if mask else None
        self._check_mask("query_mask", q_mask, query)
        self._check_mask("value_mask", v_mask, value)
        tq, tv = query.shape[-2], key.shape[-2]
        scores_mask = None if v_mask is None else v_mask.to(torch.bool).unsqueeze(-2)
        if use_causal_mask:
            causal = _causal_mask(tq, tv, query.device)
            scores_mask = causal if scores_mask is None else scores_mask & causal
        # SDPA draws dropout from torch's global generator: a seeded layer keeps its own stream.
        dropout_active = training and self.dropout > 0
        if self.score_mode == "dot" and not return_attention_scores \
                and not (dropout_active and self._generator is not None):
            causal_only = bool(use_causal_mask) and v_mask is None
            output = self._fused(query, key, value, None if causal_only else scores_mask,
                                 causal_only, dropout_active)
            weights = None
        else:
            scores = self._calculate_scores(query, key)
            output, weights = self._apply_scores(scores, value, scores_mask, dropout_active)
        if q_mask is not None:
            output = torch.where(q_mask.to(torch.bool).unsqueeze(-1), output,
                                 torch.zeros((), dtype=output.dtype, device=output.device))
        return (output, weights) if return_attention_scores else output

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return mask[0]

    def compute_output_shape(self, input_shape):
        query_shape, value_shape = input_shape[0], input_shape[1]
        return (*query_shape[:-1], value_shape[-1])

    # ----------------------------------------------------------------- validation
    def _validate_inputs(self, inputs, mask=None):
        name = type(self).__name__
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{name} layer must be called on a list of inputs, namely [query, value] or "
                f"[query, value, key]. Received: inputs={inputs}."
            )
        if len(inputs) < 2 or len(inputs) > 3:
            raise ValueError(
                f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] or "
                f"[query, value, key]. Received length: {len(inputs)}."
            )
        if mask is not None:
            if not isinstance(mask, (list, tuple)):
                raise ValueError(
                    f"{name} layer mask must be a list, namely [query_mask, value_mask]. "
                    f"Received: mask={mask}."
                )
            if len(mask) < 2 or len(mask) > 3:
                raise ValueError(
                    f"{name} layer accepts mask list of length 2 or 3. Received: mask={mask}."
                )

    def _check_call_shapes(self, query, value, key):
        name = type(self).__name__
        if query.ndim < 3 or value.ndim < 3 or key.ndim < 3:
            raise ValueError(
                f"{name} expects query, value and key of rank >= 3 ((batch, T, dim)). Received: "
                f"query.shape={_shape(query)}, value.shape={_shape(value)}, key.shape={_shape(key)}"
            )
        if query.shape[-1] != key.shape[-1]:
            raise ValueError(
                f"{name} needs query and key with the same last dimension. Received: "
                f"query.shape={_shape(query)}, key.shape={_shape(key)}"
            )
        if key.shape[-2] != value.shape[-2]:
            raise ValueError(
                f"{name} needs key and value of the same length (axis -2). Received: "
                f"key.shape={_shape(key)}, value.shape={_shape(value)}"
            )

    def _check_mask(self, arg, mask, tensor):
        if mask is not None and tuple(mask.shape) != tuple(tensor.shape[:-1]):
            raise ValueError(
                f"{type(self).__name__}: `{arg}` must have the shape of its tensor without the "
                f"last axis, {tuple(tensor.shape[:-1])}. Received: {arg}.shape={_shape(mask)}"
            )

    def get_config(self):
        config = super().get_config()
        config.update({"use_scale": self.use_scale, "score_mode": self.score_mode,
                       "dropout": self.dropout, "seed": self.seed})
        return config
