"""`MaxNumBoundingBoxes`: pads or truncates the boxes of each image to a fixed count."""

import torch
import torch.nn.functional as F

from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer


class MaxNumBoundingBoxes(BaseImagePreprocessingLayer):
    """Gives every image exactly `max_number` boxes: extra boxes are dropped, missing ones are
    filled with `fill_value` (boxes and labels). Images pass through unchanged.

    Args:
        max_number: the number of boxes per image.
        fill_value: the value of the padding boxes and labels. Defaults to -1.

    Example:

    ```python
    layer = kerasish.layers.MaxNumBoundingBoxes(max_number=10, bounding_box_format="xyxy")
    ```
    """

    def __init__(self, max_number, fill_value=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(max_number, bool) or not isinstance(max_number, (int, float)) or \
                int(max_number) < 1:
            raise ValueError("Argument `max_number` must be a positive integer. "
                             f"Received: max_number={max_number!r}")
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)

    def transform_images(self, images, transformation=None, training=True):
        return images

    def transform_labels(self, labels, transformation=None, training=True):
        return labels

    def transform_segmentation_masks(self, segmentation_masks, transformation=None, training=True):
        return segmentation_masks

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
        pad = max(self.max_number - boxes.shape[1], 0)
        boxes = F.pad(boxes[:, :self.max_number], (0, 0, 0, pad), value=self.fill_value)
        labels = F.pad(labels[:, :self.max_number], (0, pad), value=self.fill_value)
        out = dict(bounding_boxes)
        out["boxes"], out["labels"] = boxes, labels
        return out

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, dict) and "bounding_boxes" in input_shape:
            input_shape = dict(input_shape)
            boxes = dict(input_shape["bounding_boxes"])
            extra = set(boxes) - {"boxes", "labels"}
            if extra:
                raise KeyError(f"There are unsupported keys in `bounding_boxes`: {sorted(extra)}. "
                               "Only `boxes` and `labels` are supported.")
            boxes["boxes"] = tuple(boxes["boxes"][:1]) + (self.max_number,) + \
                tuple(boxes["boxes"][2:])
            boxes["labels"] = tuple(boxes["labels"][:1]) + (self.max_number,) + \
                tuple(boxes["labels"][2:])
            input_shape["bounding_boxes"] = boxes
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"max_number": self.max_number, "fill_value": self.fill_value})
        return config
