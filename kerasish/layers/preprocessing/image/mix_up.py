"""`MixUp`: blends each image (and its label) with another image of the batch."""

import numbers

import torch

from kerasish.backend import config, dtypes
from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.color_utils import batch_size, images_of, to_device
from kerasish.random import beta, shuffle
from kerasish.random.seed_generator import SeedGenerator


class MixUp(BaseImagePreprocessingLayer):
    """MixUp augmentation (Zhang et al., 2017), in training.

    Each image becomes `w x + (1 - w) x'`, with `x'` another image of the batch (a random
    permutation) and `w` drawn per image from `Beta(alpha, alpha)`; labels are mixed with the
    same weights, segmentation masks too, and the bounding boxes of both images are kept.

    Args:
        alpha: the Beta distribution's parameter (> 0). Defaults to `0.2`.
        data_format: "channels_last" or "channels_first".
        seed: an int seed.

    Example:

    ```python
    layer = kerasish.layers.MixUp(alpha=0.2, seed=1)
    out = layer({"images": np.random.rand(4, 8, 8, 3), "labels": np.eye(4)}, training=True)
    ```
    """

    _USE_BASE_FACTOR = False

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if not isinstance(alpha, numbers.Real) or isinstance(alpha, bool) or alpha <= 0:
            raise ValueError(f"`alpha` should be a positive number. Received: alpha={alpha!r}")
        self.alpha = alpha
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        # Keras draws in inference too (its seed stream advances on every call).
        n = batch_size(images_of(data))
        seed = seed if seed is not None else self._get_seed_generator()
        # Shuffled where Keras shuffles (its default device), for the same permutation.
        order = torch.arange(0, n, dtype=torch.int64, device=config.get_device())
        permutation = shuffle(order, seed=seed)
        weight = beta((n,), self.alpha, self.alpha, seed=seed)
        return {"mix_weight": weight, "permutation_order": permutation}

    def _mix(self, x, transformation, weight_shape):
        weight = to_device(transformation["mix_weight"], x).reshape(weight_shape).to(x.dtype)
        order = to_device(transformation["permutation_order"], x)
        return weight * x + (1.0 - weight) * x[order]

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        return self._mix(images, transformation, (-1, 1, 1, 1))

    def transform_labels(self, labels, transformation, training=True):
        if not training or transformation is None:
            return labels
        if not labels.is_floating_point():
            labels = labels.to(dtypes.to_torch_dtype(self.compute_dtype))
        return self._mix(labels, transformation, (-1,) + (1,) * (labels.ndim - 1))

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if not training or transformation is None:
            return segmentation_masks
        masks = segmentation_masks
        if not masks.is_floating_point():
            masks = masks.to(dtypes.to_torch_dtype(self.compute_dtype))
        return self._mix(masks, transformation, (-1, 1, 1, 1))

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        # Both images' boxes stay (the mixed image shows both); labels follow their boxes.
        order = to_device(transformation["permutation_order"], bounding_boxes["boxes"])
        out = dict(bounding_boxes)
        out["boxes"] = torch.cat([bounding_boxes["boxes"], bounding_boxes["boxes"][order]], 1)
        out["labels"] = torch.cat([bounding_boxes["labels"], bounding_boxes["labels"][order]], 1)
        return out

    def get_config(self):
        config = super().get_config()
        config.update({"alpha": self.alpha, "seed": self.seed})
        return config
