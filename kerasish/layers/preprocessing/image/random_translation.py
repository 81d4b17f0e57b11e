"""`RandomTranslation`: shifts images by a random offset, in training."""

import torch

from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.bounding_boxes.converters import (
    clip_to_image_size, convert_format,
)
from kerasish.layers.preprocessing.image.image_layer_utils import (
    batch_height_width, set_warp_options, images_of,
)
from kerasish.layers.preprocessing.image.random_zoom import parse_factor
from kerasish.ops import image as image_ops
from kerasish.random import uniform


class RandomTranslation(BaseImagePreprocessingLayer):
    """Shifts each image by a random offset during training (the identity in inference).

    Args:
        height_factor: a float `f` or a pair `(lower, upper)` in [-1, 1], fractions of the
            height: the vertical shift is drawn in `[lower * height, upper * height]`
            (`f` means `(-f, f)`; positive moves the image down).
        width_factor: the same for the horizontal shift (positive moves right).
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: an int seed.
        fill_value: the value outside the image for `fill_mode="constant"`.
        data_format: "channels_last" or "channels_first".
        bounding_box_format: the format of `bounding_boxes` in dict inputs.

    Example:

    ```python
    layer = kerasish.layers.RandomTranslation(0.1, 0.1, seed=1)
    ```
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height_factor, width_factor, fill_mode="reflect", interpolation="bilinear",
                 seed=None, fill_value=0.0, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = parse_factor(height_factor, "height_factor", -1.0,
                                                            1.0)
        self.width_factor = width_factor
        self.width_lower, self.width_upper = parse_factor(width_factor, "width_factor", -1.0, 1.0)
        set_warp_options(self, fill_mode, interpolation, fill_value, seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = images_of(data)
        shape = tuple(images.shape)
        batch, height, width = batch_height_width(shape, self.data_format)
        seed = seed or self._get_seed_generator()
        dy = uniform((batch, 1), self.height_lower, self.height_upper, seed=seed) * height
        dx = uniform((batch, 1), self.width_lower, self.width_upper, seed=seed) * width
        translations = torch.cat([dx, dy], dim=1).to(device=images.device, dtype=torch.float32)
        return {"translations": translations, "input_shape": shape}

    @staticmethod
    def _translation_matrix(translations):
        ones = torch.ones_like(translations[:, :1])
        zeros = torch.zeros_like(ones)
        return torch.cat([ones, zeros, -translations[:, 0:1], zeros, ones, -translations[:, 1:],
                          zeros, zeros], dim=1)

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        return image_ops.affine_transform(
            images, self._translation_matrix(transformation["translations"]),
            interpolation=interpolation, fill_mode=self.fill_mode, fill_value=self.fill_value,
            data_format=self.data_format)

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        h_axis, w_axis = self._hw_axes()
        height = transformation["input_shape"][h_axis]
        width = transformation["input_shape"][w_axis]
        bounding_boxes = convert_format(bounding_boxes, self.bounding_box_format, "xyxy",
                                        height=height, width=width)
        boxes = bounding_boxes["boxes"]
        shift = transformation["translations"].to(device=boxes.device, dtype=boxes.dtype)
        shift = torch.cat([shift, shift], dim=-1)  # (dx, dy, dx, dy)
        bounding_boxes["boxes"] = boxes + (shift.unsqueeze(1) if boxes.ndim == 3 else shift)
        bounding_boxes = clip_to_image_size(bounding_boxes, height=height, width=width)
        return convert_format(bounding_boxes, "xyxy", self.bounding_box_format, height=height,
                              width=width)

    def get_config(self):
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor,
                       "fill_mode": self.fill_mode, "interpolation": self.interpolation,
                       "seed": self.seed, "fill_value": self.fill_value})
        return config
