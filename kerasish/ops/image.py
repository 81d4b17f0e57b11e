"""`kerasish.ops.image`: Keras's `keras.ops.image` ops on torch."""

__all__ = []
