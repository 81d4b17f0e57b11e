"""`RandomRotation`: rotates images by a random angle, in training."""

import torch

from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.bounding_boxes import converters
from kerasish.layers.preprocessing.image.image_layer_utils import (
    batch_height_width, set_warp_options, images_of,
)
from kerasish.ops import image_geometry
from kerasish.random import uniform


class RandomRotation(BaseImagePreprocessingLayer):
    """Rotates each image by a random angle during training (the identity in inference).

    Args:
        factor: a fraction of a full turn: a float `f` draws angles in `[-f * 360, f * 360]`
            degrees, a pair `(lower, upper)` in `[lower * 360, upper * 360]` (positive is
            counter-clockwise).
        fill_mode: how points outside the image are filled: "reflect" (default), "wrap",
            "constant" or "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: an int seed.
        fill_value: the value outside the image for `fill_mode="constant"`.
        data_format: "channels_last" or "channels_first".
        bounding_box_format: the format of `bounding_boxes` in dict inputs.

    Example:

    ```python
    layer = kerasish.layers.RandomRotation(0.1, seed=1)   # up to +-36 degrees
    ```
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        set_warp_options(self, fill_mode, interpolation, fill_value, seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = images_of(data)
        batch, height, width = batch_height_width(tuple(images.shape), self.data_format)
        angle = uniform((batch,), minval=self.factor[0] * 360.0, maxval=self.factor[1] * 360.0,
                        seed=seed or self._get_seed_generator()).to(images.device)
        zeros, ones = torch.zeros_like(angle), torch.ones_like(angle)
        matrix = self._compute_affine_matrix(0.5, 0.5, angle, zeros, zeros, ones, zeros, zeros,
                                             height, width)
        return {"angle": angle, "rotation_matrix": matrix, "image_height": height,
                "image_width": width, "batch_size": batch}

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        # The rotation matrix has c0 = c1 = 0: the warp takes its affine_grid path unasked.
        return image_geometry.warp(
            images, transformation["rotation_matrix"], interpolation=interpolation,
            fill_mode=self.fill_mode, fill_value=self.fill_value, data_format=self.data_format,
            affine=True)

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        height, width = transformation["image_height"], transformation["image_width"]
        angle = transformation["angle"]
        zeros, ones = torch.zeros_like(angle), torch.ones_like(angle)
        # Keras 3.15 rotates the boxes as given, reading any format as "xyxy"; converting first
        # gives the same numbers for "xyxy" and right boxes for the other formats.
        bounding_boxes = converters.convert_format(bounding_boxes, self.bounding_box_format,
                                                   "xyxy", height=height, width=width)
        bounding_boxes["boxes"] = converters.affine_transform(
            bounding_boxes["boxes"], angle, zeros, zeros, ones, zeros, zeros, height, width)
        bounding_boxes = converters.clip_to_image_size(bounding_boxes, height=height, width=width)
        return converters.convert_format(bounding_boxes, "xyxy", self.bounding_box_format,
                                         height=height, width=width)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "fill_mode": self.fill_mode,
                       "fill_value": self.fill_value, "interpolation": self.interpolation,
                       "seed": self.seed})
        return config
