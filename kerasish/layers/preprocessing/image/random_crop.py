"""`RandomCrop`: crops a random window of a fixed size, in training."""

import torch

from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.bounding_boxes.converters import convert_format
from kerasish.layers.preprocessing.image.center_crop import aspect_window
from kerasish.layers.preprocessing.image.resizing import check_size, set_spatial
from kerasish.ops import image as image_ops
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator, make_default_seed


class RandomCrop(BaseImagePreprocessingLayer):
    """Crops a random `(height, width)` window of the images during training.

    One window is drawn per call (the same for every image of the batch), as in Keras. An image
    not larger than the target in both dimensions is cropped to the target's aspect ratio
    (centred) and resized. In inference the images pass through unchanged (Keras 3.15's
    behaviour: the output size then differs from training).

    Args:
        height, width: the crop size.
        seed: an int seed (Keras stores a random one in the config when none is given).
        data_format: "channels_last" or "channels_first".
        bounding_box_format: the format of `bounding_boxes` in dict inputs.

    Example:

    ```python
    layer = kerasish.layers.RandomCrop(24, 24, seed=1)
    ```
    """

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(name=name, data_format=data_format, **kwargs)
        self.height = check_size("height", height)
        self.width = check_size("width", width)
        self.seed = seed if seed is not None else make_default_seed()
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        images = data["images"] if isinstance(data, dict) else data
        in_height, in_width = self._image_size(images)
        if training and in_height > self.height and in_width > self.width:
            seed = seed or self._get_seed_generator()
            top = uniform((), 0, float(in_height - self.height + 1), seed=seed)
            left = uniform((), 0, float(in_width - self.width + 1), seed=seed)
            return int(top.to(torch.int32)), int(left.to(torch.int32))
        top, left, _, _ = aspect_window(in_height, in_width, self.height, self.width)
        return top, left

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = self._cast_images(images)
        top, left = transformation
        if self.data_format == "channels_last":
            images = images[..., top:top + self.height, left:left + self.width, :]
        else:
            images = images[..., top:top + self.height, left:left + self.width]
        if self._image_size(images) != (self.height, self.width):
            images = image_ops.resize(images, (self.height, self.width),
                                      data_format=self.data_format)
            images = self._cast_images(images)
        return images

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self.transform_images(segmentation_masks, transformation, training=training)

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training:
            return bounding_boxes
        top, left = transformation
        boxes = convert_format(bounding_boxes["boxes"], self.bounding_box_format, "xyxy",
                               height=self.height, width=self.width)
        # Keras 3.15 subtracts the top offset from x and the left offset from y (and does not
        # clip at the far side); the boxes here move with the image.
        shift = torch.tensor([left, top, left, top], dtype=boxes.dtype, device=boxes.device)
        limit = torch.tensor([self.width, self.height] * 2, dtype=boxes.dtype, device=boxes.device)
        boxes = torch.minimum(torch.clamp(boxes - shift, min=0), limit)
        boxes = convert_format(boxes, "xyxy", self.bounding_box_format, height=self.height,
                               width=self.width)
        return {"boxes": boxes, "labels": bounding_boxes["labels"]}

    def compute_output_shape(self, input_shape):
        return set_spatial(input_shape, self.data_format, self.height, self.width)

    def get_config(self):
        config = super().get_config()
        config.update({"height": self.height, "width": self.width, "seed": self.seed})
        return config
