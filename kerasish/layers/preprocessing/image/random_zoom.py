"""`RandomZoom`: zooms images in or out by a random factor, in training."""

import torch

from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.bounding_boxes.converters import (
    clip_to_image_size, convert_format,
)
from kerasish.layers.preprocessing.image.image_layer_utils import (
    set_warp_options, clip_boxes_to_window, images_of, transformed_xy,
)
from kerasish.ops import image as image_ops
from kerasish.random import uniform


def parse_factor(factor, name, low, high, low_open=False):
    """A Keras height/width factor: `f` -> (-|f|, |f|), a pair -> sorted, checked in the range."""
    error = (f"The `{name}` argument should be a number (or a list of two numbers) in the range "
             f"{'(' if low_open else '['}{low}, {high}]. Received: {name}={factor!r}")
    numbers = factor if isinstance(factor, (tuple, list)) else [factor]
    if isinstance(factor, (tuple, list)) and len(factor) != 2:
        raise ValueError(error)
    for f in numbers:
        if not isinstance(f, (int, float)) or isinstance(f, bool) or f > high or f < low or (
                low_open and f == low):
            raise ValueError(error)
    if isinstance(factor, (tuple, list)):
        return tuple(sorted(factor))
    return -abs(factor), abs(factor)


class RandomZoom(BaseImagePreprocessingLayer):
    """Zooms each image by a random factor during training (the identity in inference).

    Args:
        height_factor: a float `f` or a pair `(lower, upper)` in (-1, 1]: the vertical zoom is
            drawn in `[1 + lower, 1 + upper]`, a positive value zooms out (the image gets
            smaller), a negative value zooms in.
        width_factor: the same for the horizontal zoom; None (default) keeps the aspect ratio
            (the vertical zoom is used for both).
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: an int seed.
        fill_value: the value outside the image for `fill_mode="constant"`.
        data_format: "channels_last" or "channels_first".
        bounding_box_format: the format of `bounding_boxes` in dict inputs.

    Example:

    ```python
    layer = kerasish.layers.RandomZoom(0.2, seed=1)
    ```
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = parse_factor(height_factor, "height_factor", -1.0,
                                                            1.0, low_open=True)
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = parse_factor(width_factor, "width_factor", -1.0,
                                                              1.0, low_open=True)
        set_warp_options(self, fill_mode, interpolation, fill_value, seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = images_of(data)
        shape = tuple(images.shape)
        draw_shape = (shape[0], 1) if len(shape) == 4 else (1, 1)
        seed = seed or self._get_seed_generator()
        height_zoom = uniform(draw_shape, 1.0 + self.height_lower, 1.0 + self.height_upper,
                              seed=seed).to(images.device)
        width_zoom = height_zoom
        if self.width_factor is not None:
            width_zoom = uniform(draw_shape, 1.0 + self.width_lower, 1.0 + self.width_upper,
                                 seed=seed).to(images.device)
        return {"height_zoom": height_zoom, "width_zoom": width_zoom, "input_shape": shape}

    def _zoom_matrix(self, transformation, height, width):
        zx = transformation["width_zoom"].to(torch.float32)
        zy = transformation["height_zoom"].to(torch.float32)
        zeros = torch.zeros_like(zx)
        x_offset = (float(width) - 1.0) / 2.0 * (1.0 - zx)
        y_offset = (float(height) - 1.0) / 2.0 * (1.0 - zy)
        return torch.cat([zx, zeros, x_offset, zeros, zy, y_offset, zeros, zeros], dim=1)

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        height, width = self._image_size(images)
        return image_ops.affine_transform(
            images, self._zoom_matrix(transformation, height, width), interpolation=interpolation,
            fill_mode=self.fill_mode, fill_value=self.fill_value, data_format=self.data_format)

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
        matrix = self._zoom_matrix(transformation, height, width).to(
            bounding_boxes["boxes"].device)
        # The input window the output shows; boxes are cut to it and rescaled to the output.
        w_start, h_start = transformed_xy(0, 0, matrix)
        w_end, h_end = transformed_xy(width, height, matrix)
        bounding_boxes["boxes"] = clip_boxes_to_window(bounding_boxes["boxes"], h_end, h_start,
                                                       w_end, w_start)
        new_height = (h_end - h_start).unsqueeze(-1)
        new_width = (w_end - w_start).unsqueeze(-1)
        bounding_boxes = convert_format(bounding_boxes, "xyxy", "rel_xyxy", height=new_height,
                                        width=new_width)
        bounding_boxes = clip_to_image_size(bounding_boxes, bounding_box_format="rel_xyxy")
        return convert_format(bounding_boxes, "rel_xyxy", self.bounding_box_format,
                              height=height, width=width)

    def get_config(self):
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor,
                       "fill_mode": self.fill_mode, "interpolation": self.interpolation,
                       "seed": self.seed, "fill_value": self.fill_value})
        return config
