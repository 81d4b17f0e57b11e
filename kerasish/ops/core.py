"""`kerasish.ops.core`: Keras's `keras.ops.core` ops on torch."""

__all__ = []
