"""`RandomFlip`: flips images left-right and/or top-bottom at random, in training."""

import torch

from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.bounding_boxes.converters import (
    clip_to_image_size, convert_format,
)
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"
_MODES = (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL)


def _flip_chosen(images, chosen, axes):
    """The batch with the `chosen` images flipped along `axes` (counted from the end), one image
    at a time into a new batch: on the CPU 4-8x faster than flipping the whole batch and picking
    with `where`, and the same values (flips only move them)."""
    out = torch.empty_like(images)
    for i, flip in enumerate(chosen):
        out[i].copy_(torch.flip(images[i], axes) if flip else images[i])
    return out


class RandomFlip(BaseImagePreprocessingLayer):
    """Randomly flips images during training (the identity in inference).

    Each image is flipped with probability 1/2; in "horizontal_and_vertical" mode one draw
    decides both flips, as in Keras.

    Args:
        mode: "horizontal" (left-right), "vertical" (top-bottom) or "horizontal_and_vertical".
            Defaults to "horizontal_and_vertical".
        seed: an int seed.
        data_format: "channels_last" or "channels_first".
        bounding_box_format: the format of `bounding_boxes` in dict inputs.

    Example:

    ```python
    layer = kerasish.layers.RandomFlip("horizontal", seed=1)
    flipped = layer(np.random.rand(4, 32, 32, 3), training=True)
    ```
    """

    _USE_BASE_FACTOR = False

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if mode not in _MODES:
            raise ValueError(f"RandomFlip layer {self.name} received an unknown mode; expected "
                             f"one of {_MODES}. Received: mode={mode!r}")
        self.mode = mode
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        shape = tuple(images.shape)
        flips_shape = (1, 1, 1) if len(shape) == 3 else (shape[0], 1, 1, 1)
        draw = uniform(flips_shape, seed=seed or self._get_seed_generator())
        return {"flips": (draw <= 0.5).to(images.device), "input_shape": shape}

    def transform_images(self, images, transformation, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        flips = transformation["flips"]
        if images.ndim == 3:
            flips = flips.reshape(1, 1, 1)
        h_axis, w_axis = self._hw_axes()
        axes = {HORIZONTAL: (w_axis,), VERTICAL: (h_axis,),
                HORIZONTAL_AND_VERTICAL: (h_axis, w_axis)}[self.mode]
        if images.device.type == "cpu" and images.ndim == 4:
            return _flip_chosen(images, flips.reshape(-1).tolist(), axes)
        # Elsewhere a per-image choice would sync with the host: flip all, then pick.
        return torch.where(flips, torch.flip(images, axes), images)

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self.transform_images(segmentation_masks, transformation, training=training)

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        flips = transformation["flips"].reshape(-1, 1, 1)
        h_axis, w_axis = self._hw_axes()
        height = transformation["input_shape"][h_axis]
        width = transformation["input_shape"][w_axis]
        boxes = convert_format(bounding_boxes, self.bounding_box_format, "rel_xyxy",
                               height=height, width=width)
        b = boxes["boxes"]
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            flipped = torch.cat([1 - b[..., 2:3], b[..., 1:2], 1 - b[..., 0:1], b[..., 3:4]], -1)
            b = torch.where(flips.to(b.device), flipped, b)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            flipped = torch.cat([b[..., 0:1], 1 - b[..., 3:4], b[..., 2:3], 1 - b[..., 1:2]], -1)
            b = torch.where(flips.to(b.device), flipped, b)
        boxes["boxes"] = b
        # Keras clips these relative boxes as if they were "xyxy" pixels (a no-op for boxes
        # inside the image); the same call keeps its label rule (no area -> label -1).
        boxes = clip_to_image_size(boxes, height=height, width=width, bounding_box_format="xyxy")
        return convert_format(boxes, "rel_xyxy", self.bounding_box_format, height=height,
                              width=width)

    def get_config(self):
        config = super().get_config()
        config.update({"seed": self.seed, "mode": self.mode})
        return config
