"""Attention layers: `MultiHeadAttention`, `GroupQueryAttention`, `Attention`, `AdditiveAttention`."""
from kerasish.layers.attention.multi_head_attention import MultiHeadAttention  # noqa: F401
from kerasish.layers.attention.attention import Attention  # noqa: F401
from kerasish.layers.attention.additive_attention import AdditiveAttention  # noqa: F401
from kerasish.layers.attention.grouped_query_attention import GroupedQueryAttention, GroupQueryAttention  # noqa: F401
