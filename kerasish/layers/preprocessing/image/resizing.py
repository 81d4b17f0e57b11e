"""`Resizing`: resizes images to a fixed size (training and inference alike)."""

import torch

from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.bounding_boxes.converters import (
    clip_to_image_size, convert_format,
)
from kerasish.layers.preprocessing.image.image_layer_utils import check_choice
from kerasish.ops import image as image_ops

INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")


def check_size(name, value):
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"Argument `{name}` must be a positive integer. Received: {name}={value!r}")
    return value


def set_spatial(shape, data_format, height, width):
    """`shape` (rank 3 or 4) with its height and width replaced."""
    shape = list(shape)
    if len(shape) not in (3, 4):
        raise ValueError("Expected an image shape of rank 3 (unbatched) or 4 (batched). "
                         f"Received: input_shape={tuple(shape)}")
    h_axis = len(shape) - (3 if data_format == "channels_last" else 2)
    shape[h_axis], shape[h_axis + 1] = height, width
    return tuple(shape)


class Resizing(BaseImagePreprocessingLayer):
    """Resizes images to `(height, width)`.

    Args:
        height, width: the output size.
        interpolation: "bilinear" (default), "nearest", "bicubic", "lanczos3" or "lanczos5".
        crop_to_aspect_ratio: first crop the largest centred window with the target aspect ratio
            (no distortion).
        pad_to_aspect_ratio: first pad (with `fill_value`) to the target aspect ratio.
        fill_mode: "constant" (the only mode Keras supports here).
        fill_value: the padding value. Defaults to 0.
        antialias: low-pass filter when downsampling.
        data_format: "channels_last" or "channels_first".
        bounding_box_format: the format of `bounding_boxes` in dict inputs.

    Integer images stay integers (rounded), as in Keras.

    Example:

    ```python
    layer = kerasish.layers.Resizing(64, 64, crop_to_aspect_ratio=True)
    ```
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, antialias=False,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = check_size("height", height)
        self.width = check_size("width", width)
        self.interpolation = check_choice("interpolation", interpolation, INTERPOLATIONS)
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError("Only one of `pad_to_aspect_ratio` and `crop_to_aspect_ratio` can be "
                             "True. Received: crop_to_aspect_ratio=True, pad_to_aspect_ratio=True")
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_mode = check_choice("fill_mode", fill_mode, ("constant",))
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def _transform_images(self, images, transformation, interpolation):
        return image_ops.resize(
            images, (self.height, self.width), interpolation=interpolation,
            antialias=self.antialias, crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio, fill_mode=self.fill_mode,
            fill_value=self.fill_value, data_format=self.data_format)

    def transform_images(self, images, transformation=None, training=True):
        # Resizing is not an augmentation: it runs in inference too, and keeps the dtype.
        return self._transform_images(images, transformation, self.interpolation)

    def transform_segmentation_masks(self, segmentation_masks, transformation=None, training=True):
        return self._transform_images(segmentation_masks, transformation, "nearest")

    def transform_labels(self, labels, transformation=None, training=True):
        return labels

    def get_random_transformation(self, data, training=True, seed=None):
        images = data["images"] if isinstance(data, dict) else data
        return self._image_size(images)

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        in_height, in_width = transformation
        boxes = bounding_boxes["boxes"]
        # Padding boxes (all 0 or all -1) stay all zeros.
        padding = ((boxes == -1).all(-1) | (boxes == 0).all(-1)).unsqueeze(-1)
        bounding_boxes = convert_format(bounding_boxes, self.bounding_box_format, "xyxy",
                                        height=in_height, width=in_width)
        bounding_boxes["boxes"] = self._transform_xyxy(bounding_boxes["boxes"], in_height,
                                                       in_width)
        bounding_boxes = clip_to_image_size(bounding_boxes, height=self.height, width=self.width)
        b = bounding_boxes["boxes"]
        bounding_boxes["boxes"] = torch.where(padding.to(b.device), torch.zeros_like(b), b)
        return convert_format(bounding_boxes, "xyxy", self.bounding_box_format,
                              height=self.height, width=self.width)

    def _transform_xyxy(self, boxes, in_height, in_width):
        """The boxes moved as the image is: scaled, then shifted by the crop or the padding.
        Computed in the boxes' dtype, as Keras does (float64 rounding can move a floor)."""
        def t(value):
            return torch.as_tensor(value, dtype=boxes.dtype, device=boxes.device)

        in_h, in_w = t(in_height), t(in_width)
        if self.pad_to_aspect_ratio:
            ratio = torch.minimum(t(self.height / in_height), t(self.width / in_width))
            sx = sy = ratio
            dx = torch.div(self.width - in_w * ratio, 2, rounding_mode="floor")
            dy = torch.div(self.height - in_h * ratio, 2, rounding_mode="floor")
        elif self.crop_to_aspect_ratio:
            source, target = in_w / in_h, self.width / self.height
            new_w = torch.where(source > target, self.height * source, t(self.width))
            new_h = torch.where(source > target, t(self.height), self.width / source)
            sx, sy = new_w / in_w, new_h / in_h
            dx = -torch.div(new_w - self.width, 2, rounding_mode="floor")
            dy = -torch.div(new_h - self.height, 2, rounding_mode="floor")
        else:
            sx, sy = t(self.width / in_width), t(self.height / in_height)
            dx = dy = t(0.0)
        scale = torch.stack([sx, sy, sx, sy])
        return boxes * scale + torch.stack([dx, dy, dx, dy])

    def compute_output_shape(self, input_shape):
        return set_spatial(input_shape, self.data_format, self.height, self.width)

    def get_config(self):
        config = super().get_config()
        config.update({
            "height": self.height, "width": self.width, "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
            "fill_value": self.fill_value, "antialias": self.antialias,
        })
        return config
