"""`kerasish.ops.math`: Keras's `keras.ops.math` ops on torch."""

__all__ = []
