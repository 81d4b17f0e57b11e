"""Shared pieces of the colour and mixing augmentation layers.

`BaseColorLayer` is `BaseImagePreprocessingLayer` for layers that change pixel values only: labels,
bounding boxes and segmentation masks pass through unchanged (as in Keras), and `value_range` is
checked once. The helpers keep every layer's random draws in Keras's order.
"""

import numbers

import torch

from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_value_range(value_range, sort=True):
    """`value_range` as a list (sorted when Keras sorts it), after checking it is two different
    numbers. A list, so that a config survives a JSON round trip unchanged."""
    if (not isinstance(value_range, (tuple, list)) or len(value_range) != 2
            or not all(_is_number(v) for v in value_range) or value_range[0] == value_range[1]):
        raise ValueError("The `value_range` argument should be a list of two different numbers. "
                         f"Received: value_range={value_range!r}")
    return sorted(value_range) if sort else list(value_range)


def check_unit_range(name, value):
    """A number or a pair of numbers inside [0, 1] -> `(lower, upper)`; a number `f` is `(0, f)`."""
    error = ValueError(f"The `{name}` argument should be a number (or a list of two numbers) in "
                       f"the range [0, 1]. Received: {name}={value!r}")
    if isinstance(value, (tuple, list)):
        if len(value) != 2 or not all(_is_number(v) and 0 <= v <= 1 for v in value):
            raise error
        return tuple(sorted(value))
    if not _is_number(value) or not 0 <= value <= 1:
        raise error
    return (0, value)


def images_of(data):
    return data["images"] if isinstance(data, dict) else data


def batch_size(images):
    """1 for one image (rank 3), the batch size for a batch (rank 4)."""
    if images.ndim == 3:
        return 1
    if images.ndim == 4:
        return images.shape[0]
    raise ValueError("Expected the input image to be rank 3 or 4. "
                     f"Received: inputs.shape={tuple(images.shape)}")


def to_device(value, images):
    """Draws are made on the CPU (Keras's values); move them next to the images."""
    return value.to(images.device) if torch.is_tensor(value) else value


class BaseColorLayer(BaseImagePreprocessingLayer):
    """A layer that changes pixel values only (labels, boxes and masks pass through)."""

    def _seed(self, seed):
        return seed if seed is not None else self._get_seed_generator()

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        return bounding_boxes

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def compute_output_shape(self, input_shape):
        return input_shape
