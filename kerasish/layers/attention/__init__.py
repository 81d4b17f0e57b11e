"""Attention layers: `MultiHeadAttention`, `GroupQueryAttention`, `Attention`, `AdditiveAttention`."""
from kerasish.layers.attention.multi_head_attention import MultiHeadAttention  # noqa: F401
