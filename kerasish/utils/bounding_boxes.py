"""`kerasish.utils.bounding_boxes`: Keras 3's `keras.utils.bounding_boxes` on torch tensors."""

from kerasish.layers.preprocessing.image.bounding_boxes.converters import (  # noqa: F401
    affine_transform, clip_to_image_size, convert_format, crop, decode_deltas_to_boxes,
    encode_box_to_deltas, pad,
)
from kerasish.layers.preprocessing.image.bounding_boxes.iou import (  # noqa: F401
    compute_ciou, compute_iou,
)

__all__ = ["affine_transform", "clip_to_image_size", "compute_ciou", "compute_iou",
           "convert_format", "crop", "decode_deltas_to_boxes", "encode_box_to_deltas", "pad"]
