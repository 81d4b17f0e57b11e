"""numpy-style elementwise math, comparisons, logic, bitwise ops, reductions and statistics."""

__all__ = []
