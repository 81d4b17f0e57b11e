"""Bounding-box helpers (Keras 3's `keras.utils.bounding_boxes`), on torch tensors.

They live beside the image layers that use them; `kerasish.utils.bounding_boxes` re-exports them.
"""
