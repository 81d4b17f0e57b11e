"""numpy-style array creation, shape manipulation, joining/splitting, indexing, sorting, searching
and products (dot, matmul, einsum, ...)."""

__all__ = []
