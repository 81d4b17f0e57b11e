"""`kerasish.ops.einops`: Keras's `keras.ops.einops` ops on torch."""

__all__ = []
