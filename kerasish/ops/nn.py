"""`kerasish.ops.nn`: Keras's `keras.ops.nn` ops on torch."""

__all__ = []
