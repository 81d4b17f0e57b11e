"""`dot_product_attention` of `kerasish.ops.nn` (re-exported there).

Runs on `torch.nn.functional.scaled_dot_product_attention` (SDPA), which picks flash or
memory-efficient kernels where the device and inputs allow. Keras's layout is
`(batch, seq, heads, head_dim)`, SDPA's `(batch, heads, seq, head_dim)`: the inputs are handed over
as transposed views, and the output comes back as one.
"""

import functools

import torch
import torch.nn.functional as F

from kerasish.backend import config, dtypes
from kerasish.ops.convert import to_tensor
from kerasish.ops.dispatch import keras_op

try:
    from torch.nn.attention import SDPBackend, sdpa_kernel
except ImportError:  # pragma: no cover - torch < 2.3
    SDPBackend = sdpa_kernel = None

# Keras's additive stand-in for a masked logit: large and negative, yet finite, so that a fully
# masked row gives a uniform distribution rather than NaN.
_LARGE_NEGATIVE = {torch.float16: -0.7 * 65500.0}
_LARGE_NEGATIVE_DEFAULT = -0.7 * 3.38953e38


def _check_flash(query, key, value, mask, is_causal):
    """Raises as Keras does when `flash_attention=True` cannot run on these inputs."""
    try:
        from torch.backends.cuda import SDPAParams, can_use_flash_attention
    except ImportError:
        raise ImportError(
            "Flash attention is not supported in your current PyTorch version. Please update it "
            "by following the official guide: https://pytorch.org/get-started/locally/"
        ) from None
    try:
        params = SDPAParams(query, key, value, mask, 0.0, is_causal, False)
    except TypeError:  # torch before `enable_gqa`
        params = SDPAParams(query, key, value, mask, 0.0, is_causal)
    if not can_use_flash_attention(params, True):
        raise RuntimeError(
            "Flash attention is not supported with the provided inputs. Please check the "
            "warnings for more details."
        )


def _soft_capped(query, key, value, mask, scale, is_causal, cap):
    """The explicit path, for semantics SDPA cannot express: `cap * tanh(logits / cap)`."""
    scale = query.shape[-1] ** -0.5 if scale is None else scale
    logits = torch.matmul(query, key.transpose(-1, -2)) * scale
    logits = cap * torch.tanh(logits / cap)
    if is_causal:
        causal = torch.ones(logits.shape[-2:], dtype=torch.bool, device=logits.device).tril()
        logits = logits.masked_fill(~causal, _LARGE_NEGATIVE.get(logits.dtype,
                                                                 _LARGE_NEGATIVE_DEFAULT))
    if mask is not None:
        logits = logits + mask
    return torch.matmul(torch.softmax(logits, dim=-1), value)


def _validate(query, key, value, bias, mask):
    if query.ndim != 4 or key.ndim != 4 or value.ndim != 4:
        raise ValueError(
            "`dot_product_attention` only supports 4D inputs. "
            f"Received: query.shape={tuple(query.shape)}, key.shape={tuple(key.shape)}, "
            f"value.shape={tuple(value.shape)}."
        )
    if bias is not None and mask is not None:
        raise ValueError("Only one of `bias` and `mask` can be provided. Received both.")


@functools.lru_cache(maxsize=64)
def _compute_dtype(*torch_dtypes):
    # Keras's promotion, which also turns float64 into float32 (its `result_type` does).
    name = dtypes.result_type(*(dtypes.dtype_name(d) for d in torch_dtypes))
    return dtypes.to_torch_dtype(name)


def _same_dtype(query, key, value):
    td = _compute_dtype(query.dtype, key.dtype, value.dtype)
    if query.dtype == key.dtype == value.dtype == td:
        return query, key, value
    return query.to(td), key.to(td), value.to(td)


def _run_sdpa(query, key, value, mask, is_causal, scale, flash):
    if flash is None:  # SDPA's own dispatch: flash first, where it applies
        return F.scaled_dot_product_attention(query, key, value, attn_mask=mask,
                                              is_causal=is_causal, scale=scale)
    if flash:
        _check_flash(query, key, value, mask, is_causal)
        backends = [SDPBackend.FLASH_ATTENTION]
    else:
        backends = [b for b in (SDPBackend.EFFICIENT_ATTENTION,
                                getattr(SDPBackend, "CUDNN_ATTENTION", None), SDPBackend.MATH)
                    if b is not None]
    with sdpa_kernel(backends):
        return F.scaled_dot_product_attention(query, key, value, attn_mask=mask,
                                              is_causal=is_causal, scale=scale)


@keras_op
def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention: `softmax(query @ key^T * scale + bias) @ value`.

    Args:
        query: Tensor `(batch, seq_q, heads, head_dim)`.
        key: Tensor `(batch, seq_kv, kv_heads, head_dim)`; `heads` must be a multiple of
            `kv_heads` (grouped-query attention).
        value: Tensor `(batch, seq_kv, kv_heads, head_dim_v)`.
        bias: Optional additive bias broadcastable to `(batch, heads, seq_q, seq_kv)`.
        mask: Optional boolean mask of that shape; False entries are left out. Only one of
            `bias` and `mask` may be given.
        scale: The logits' scale. Defaults to `1 / sqrt(head_dim)`.
        is_causal: Apply a causal (lower-triangular) mask. Defaults to `False`.
        flash_attention: True insists on a flash-attention kernel (raising where none applies),
            False forbids one, None (the default) follows `keras.config.is_flash_attention_enabled()`
            and otherwise lets torch choose.
        attn_logits_soft_cap: Optional soft cap `c` of the logits, `c * tanh(logits / c)`
            (Keras supports it on JAX/TPU only; here it runs on an explicit, slower path).

    Returns:
        Tensor `(batch, seq_q, heads, head_dim_v)`.

    Example:
    >>> q = np.random.rand(2, 16, 4, 8).astype("float32")
    >>> ops.dot_product_attention(q, q, q, is_causal=True).shape
    torch.Size([2, 16, 4, 8])
    """
    query, key, value = to_tensor(query), to_tensor(key), to_tensor(value)
    _validate(query, key, value, bias, mask)
    query, key, value = _same_dtype(query, key, value)
    if mask is not None:
        mask = to_tensor(mask, "bool")
        if is_causal:
            # SDPA takes `attn_mask` or `is_causal`, not both: fold the causal part into the mask.
            causal = torch.ones((query.shape[1], key.shape[1]), dtype=torch.bool,
                                device=mask.device).tril()
            mask = mask & causal
            is_causal = False
        fill = _LARGE_NEGATIVE.get(query.dtype, _LARGE_NEGATIVE_DEFAULT)
        mask = torch.where(mask, torch.zeros((), dtype=query.dtype, device=mask.device),
                           torch.full((), fill, dtype=query.dtype, device=mask.device))
    if bias is not None:
        mask = to_tensor(bias, dtypes.dtype_name(query.dtype))
    q, k, v = query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2)
    heads, kv_heads = q.shape[1], k.shape[1]
    if heads > kv_heads > 1:
        k = k.repeat_interleave(heads // kv_heads, dim=1)
        v = v.repeat_interleave(heads // kv_heads, dim=1)
    if attn_logits_soft_cap is not None:
        out = _soft_capped(q, k, v, mask, scale, is_causal, attn_logits_soft_cap)
    else:
        flash = flash_attention if flash_attention is not None \
            else config.is_flash_attention_enabled()
        out = _run_sdpa(q, k, v, mask, is_causal, scale, flash)
    return out.transpose(1, 2)
