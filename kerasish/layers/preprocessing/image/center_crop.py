"""`CenterCrop`: crops the centre of images to a fixed size (resizing up when they are smaller)."""

from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.bounding_boxes.converters import (
    clip_to_image_size, convert_format,
)
from kerasish.layers.preprocessing.image.image_layer_utils import clip_boxes_to_window
from kerasish.layers.preprocessing.image.resizing import check_size, set_spatial
from kerasish.ops import image as image_ops


def aspect_window(height, width, target_height, target_width):
    """(top, left, crop height, crop width): the largest centred window with the target's aspect
    ratio (Keras's `smart_resize` crop)."""
    crop_h = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_w = max(min(width, int(float(height * target_width) / target_height)), 1)
    return int(float(height - crop_h) / 2), int(float(width - crop_w) / 2), crop_h, crop_w


class CenterCrop(BaseImagePreprocessingLayer):
    """Crops the central `(height, width)` window of each image.

    An image smaller than the target in either dimension is instead cropped to the target's
    aspect ratio and resized (bilinear), as Keras's `smart_resize` does.

    Args:
        height, width: the output size.
        data_format: "channels_last" or "channels_first".
        bounding_box_format: the format of `bounding_boxes` in dict inputs.

    Example:

    ```python
    layer = kerasish.layers.CenterCrop(24, 24)
    ```
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = check_size("height", height)
        self.width = check_size("width", width)

    def get_random_transformation(self, data, training=True, seed=None):
        images = data["images"] if isinstance(data, dict) else data
        return {"input_shape": tuple(images.shape)}

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self.transform_images(segmentation_masks, transformation, training=training)

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast_images(images)
        height, width = self._image_size(images)
        top, left = (height - self.height) // 2, (width - self.width) // 2
        if top < 0 or left < 0:
            top, left, crop_h, crop_w = aspect_window(height, width, self.height, self.width)
            images = self._crop(images, top, left, crop_h, crop_w)
            return image_ops.resize(images, (self.height, self.width), data_format=self.data_format)
        return self._crop(images, top, left, self.height, self.width)

    def _crop(self, images, top, left, height, width):
        if self.data_format == "channels_first":
            return images[..., top:top + height, left:left + width]
        return images[..., top:top + height, left:left + width, :]

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        in_height, in_width = self._image_size_of_shape(transformation["input_shape"])
        bounding_boxes = convert_format(bounding_boxes, self.bounding_box_format, "xyxy",
                                        height=in_height, width=in_width)
        top, left = in_height - self.height, in_width - self.width
        if top >= 0 and left >= 0:
            top, left = int(top / 2), int(left / 2)
            bounding_boxes["boxes"] = clip_boxes_to_window(
                bounding_boxes["boxes"], top + self.height, top, left + self.width, left)
        else:
            top, left, crop_h, crop_w = aspect_window(in_height, in_width, self.height, self.width)
            bounding_boxes["boxes"] = clip_boxes_to_window(
                bounding_boxes["boxes"], top + crop_h, top, left + crop_w, left)
            bounding_boxes = convert_format(bounding_boxes, "xyxy", "rel_xyxy", height=crop_h,
                                            width=crop_w)
            bounding_boxes = convert_format(bounding_boxes, "rel_xyxy", "xyxy",
                                            height=self.height, width=self.width)
        bounding_boxes = clip_to_image_size(bounding_boxes, height=self.height, width=self.width)
        return convert_format(bounding_boxes, "xyxy", self.bounding_box_format,
                              height=self.height, width=self.width)

    def _image_size_of_shape(self, shape):
        h_axis, w_axis = self._hw_axes()
        return shape[h_axis], shape[w_axis]

    def compute_output_shape(self, input_shape):
        return set_spatial(input_shape, self.data_format, self.height, self.width)

    def get_config(self):
        config = super().get_config()
        config.update({"height": self.height, "width": self.width})
        return config
