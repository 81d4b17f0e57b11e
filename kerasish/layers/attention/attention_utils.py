"""Shared pieces of the multi-head attention layers: Keras's einsum equations for the projections
and the attention over arbitrary axes, Keras's masks (causal, sliding window, padding), and the
two ways to compute attention (torch's fused SDPA, or the explicit einsum/softmax path)."""

import string

import torch
import torch.nn.functional as F

# Keras's additive stand-in for a masked logit on the fused path (`ops.dot_product_attention`):
# finite, so a fully masked row becomes uniform rather than NaN.
_SDPA_NEGATIVE = {torch.float16: -0.7 * 65500.0}
_SDPA_NEGATIVE_DEFAULT = -0.7 * 3.38953e38


def _letter(i):
    return string.ascii_lowercase[i]


def build_proj_equation(free_dims, bound_dims, output_dims):
    """`(equation, bias_axes, output_rank)` of a projection: `free_dims` kept axes, `bound_dims`
    contracted ones, `output_dims` new ones (Keras's `_build_proj_equation`)."""
    free = "".join(_letter(i) for i in range(free_dims))
    bound = "".join(_letter(free_dims + i) for i in range(bound_dims))
    out = "".join(_letter(free_dims + bound_dims + i) for i in range(output_dims))
    return f"{free}{bound},{bound}{out}->{free}{out}", out, free_dims + output_dims


def output_shape_for(output_rank, known_last_dims):
    return [None] * (output_rank - len(known_last_dims)) + list(known_last_dims)


def build_attention_equation(rank, attn_axes):
    """`(dot_product_equation, combine_equation, scores_rank)` for projected tensors of `rank`
    `(batch, <non-attention dims>, <attention dims>, heads, channels)` (Keras's equations)."""
    target = "".join(_letter(i) for i in range(rank))
    batch_dims = [i for i in range(rank) if i not in attn_axes and i != rank - 1]
    offset, source = rank, ""
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += _letter(offset)
            offset += 1
    product = "".join([target[i] for i in batch_dims] + [target[i] for i in attn_axes]
                      + [source[i] for i in attn_axes])
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


def causal_mask(q_len, kv_len, device):
    """`(1, T, S)` lower-triangular boolean mask (row >= column)."""
    return torch.ones((q_len, kv_len), dtype=torch.bool, device=device).tril().unsqueeze(0)


def sliding_window_mask(q_len, kv_len, window, device):
    """`(1, T, S)`: True where |row - column| < window."""
    rows = torch.arange(q_len, device=device).view(1, q_len, 1)
    cols = torch.arange(kv_len, device=device).view(1, 1, kv_len)
    return (rows - cols).abs() < window


def combine_masks(q_len, kv_len, device, query_mask=None, value_mask=None, key_mask=None,
                  attention_mask=None, use_causal_mask=False, sliding_window=None):
    """Keras's `_compute_attention_mask`: the padding masks of query `(B, T, 1)`, value and key
    `(B, 1, S)`, the causal and sliding-window masks `(1, T, S)` and `attention_mask`, ANDed."""
    auto = None

    def add(mask):
        nonlocal auto
        auto = mask if auto is None else auto & mask

    if query_mask is not None:
        add(query_mask.bool().unsqueeze(-1))
    if value_mask is not None:
        add(value_mask.bool().unsqueeze(-2))
    if key_mask is not None:
        add(key_mask.bool().unsqueeze(-2))
    if use_causal_mask:
        add(causal_mask(q_len, kv_len, device))
    if sliding_window is not None:
        add(sliding_window_mask(q_len, kv_len, sliding_window, device))
    if attention_mask is not None and attention_mask.dtype != torch.bool:
        attention_mask = attention_mask.bool()  # Keras's `ops.cast(mask, "bool")`: nonzero
    if auto is None:
        return attention_mask
    return auto if attention_mask is None else attention_mask & auto


def expand_mask(mask, scores_ndim, n_attn_axes):
    """Inserts the head (and other batch) axes Keras inserts, at `-2 * n_attn_axes - 1`."""
    axis = -2 * n_attn_axes - 1
    while mask.ndim < scores_ndim:
        mask = mask.unsqueeze(axis)
    return mask


def check_mask_shape(mask, scores_shape, n_attn_axes, layer_name):
    """Raises a Keras-style ValueError when `mask` cannot broadcast to the attention scores."""
    try:
        expanded = expand_mask(mask, len(scores_shape), n_attn_axes)
        if expanded.ndim != len(scores_shape):
            raise RuntimeError
        torch.broadcast_shapes(tuple(expanded.shape), tuple(scores_shape))
    except (RuntimeError, IndexError):
        expected = tuple(scores_shape[:1]) + tuple(scores_shape[-2 * n_attn_axes:])
        raise ValueError(
            f"Layer {layer_name!r}: the attention mask must broadcast to (batch, <query "
            f"attention dims>, <key attention dims>) = {expected} (heads may be a broadcast "
            f"axis). Received: attention_mask.shape={tuple(mask.shape)}"
        ) from None


def sdpa(query, key, value, mask, is_causal, scale, dropout_p=0.0, flash=None, gqa=False):
    """Attention on torch's fused kernel. `query`/`key`/`value` are `(B, T|S, N, H)` (Keras's
    layout, handed over as transposed views); `mask` a boolean `(B|1, N|1, T, S)` turned into
    Keras's additive form. Returns `(B, T, N, H)`."""
    if mask is not None:
        fill = _SDPA_NEGATIVE.get(query.dtype, _SDPA_NEGATIVE_DEFAULT)
        mask = torch.zeros(mask.shape, dtype=query.dtype, device=query.device) \
            .masked_fill_(~mask, fill)
    q, k, v = query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2)
    kwargs = {"enable_gqa": True} if gqa and k.shape[1] != q.shape[1] else {}
    if flash:
        from kerasish.ops.nn_attention import _check_flash
        from torch.nn.attention import SDPBackend, sdpa_kernel

        _check_flash(q, k, v, mask, is_causal)
        with sdpa_kernel([SDPBackend.FLASH_ATTENTION]):
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=dropout_p,
                                                 is_causal=is_causal, scale=scale, **kwargs)
    else:
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=dropout_p,
                                             is_causal=is_causal, scale=scale, **kwargs)
    return out.transpose(1, 2)


def masked_softmax(scores, mask, n_attn_axes):
    """Keras's `Softmax(axis=<last n axes>)` with a mask: masked logits become -1e9 (-3e4 in
    float16), and masked probabilities are zero (so a fully masked row is all zeros)."""
    if mask is not None:
        mask = expand_mask(mask, scores.ndim, n_attn_axes)
        neg = -3e4 if scores.dtype == torch.float16 else -1e9
        scores = scores.masked_fill(~mask, neg)
    if n_attn_axes == 1:
        probs = torch.softmax(scores, dim=-1)
    else:
        dims = tuple(range(scores.ndim - n_attn_axes, scores.ndim))
        probs = torch.exp(scores - torch.logsumexp(scores, dim=dims, keepdim=True))
    if mask is not None:
        probs = probs.masked_fill(~mask, 0.0)
    return probs
