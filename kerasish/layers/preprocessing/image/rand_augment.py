"""`RandAugment`: applies `num_ops` augmentations picked at random from a fixed list."""

import torch

from kerasish.layers.preprocessing.image.augment_ops import build_augment_layers
from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.color_utils import check_value_range
from kerasish.random import randint
from kerasish.random.seed_generator import SeedGenerator


class RandAugment(BaseImagePreprocessingLayer):
    """RandAugment (Cubuk et al., 2019), in training: `num_ops` operations are drawn (with
    repetition) per call from shear, translation, rotation, brightness, colour degeneration,
    contrast, sharpness, posterization, solarization, auto contrast and equalization, all of
    strength `factor`, and applied to the whole batch in turn.

    Only the drawn operations are computed (Keras computes all eleven and selects); the result
    is the same.

    Args:
        value_range: the range of the input values. Defaults to `(0, 255)`.
        num_ops: the number of operations per call. Defaults to `2`.
        factor: the strength of the operations, a number in [0, 1] or a pair.
            Defaults to `0.5`.
        interpolation: the geometric operations' interpolation. Defaults to `"bilinear"`.
        seed: an int seed.
        data_format: "channels_last" or "channels_first".

    Example:

    ```python
    layer = kerasish.layers.RandAugment(num_ops=2, seed=1)
    out = layer(np.random.uniform(0, 255, (2, 16, 16, 3)), training=True)
    ```
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)
    _AUGMENT_LAYERS = ["random_shear", "random_translation", "random_rotation",
                       "random_brightness", "random_color_degeneration", "random_contrast",
                       "random_sharpness", "random_posterization", "solarization",
                       "auto_contrast", "equalization"]

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear",
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = check_value_range(value_range, sort=False)
        if not isinstance(num_ops, int) or isinstance(num_ops, bool) or num_ops < 0:
            raise ValueError(f"`num_ops` should be a non-negative integer. "
                             f"Received: num_ops={num_ops!r}")
        self.num_ops = num_ops
        self._set_factor(factor)
        self.interpolation = interpolation
        self.seed = seed
        self.generator = SeedGenerator(seed)
        build_augment_layers(self, self._AUGMENT_LAYERS, self.factor, self.value_range,
                             interpolation, seed, data_format, **kwargs)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        indices = randint((self.num_ops,), 0, len(self._AUGMENT_LAYERS),
                          seed=self._get_seed_generator())
        transforms = {name: getattr(self, name).get_random_transformation(
            data, training=training, seed=self._get_seed_generator())
            for name in self._AUGMENT_LAYERS}
        # The drawn indices decide which layers run: read them once, here.
        return {"transforms": transforms, "layer_idxes": indices.cpu().tolist()}

    def _apply(self, x, transformation, method):
        for index in transformation["layer_idxes"]:
            name = self._AUGMENT_LAYERS[index]
            x = getattr(getattr(self, name), method)(x, transformation["transforms"][name])
        return x

    def transform_images(self, images, transformation, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        return self._apply(images, transformation, "transform_images")

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        # Keras applies each drawn layer once, in the list's order.
        for index, name in enumerate(self._AUGMENT_LAYERS):
            if index in transformation["layer_idxes"]:
                bounding_boxes = getattr(self, name).transform_bounding_boxes(
                    dict(bounding_boxes), transformation["transforms"][name])
        return bounding_boxes

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if not training or transformation is None:
            return segmentation_masks
        return self._apply(segmentation_masks, transformation, "transform_segmentation_masks")

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range, "num_ops": self.num_ops,
                       "factor": self.factor, "interpolation": self.interpolation,
                       "seed": self.seed})
        return config
