"""`kerasish.ops.linalg`: Keras's `keras.ops.linalg` ops on torch."""

__all__ = []
