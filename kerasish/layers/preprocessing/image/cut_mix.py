"""`CutMix`: pastes a random rectangle of another image of the batch into each image."""

import torch

from kerasish.backend import config
from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.color_utils import images_of, to_device
from kerasish.layers.preprocessing.image.random_erasing import box_masks, crop_bounds
from kerasish.random import beta, shuffle, uniform
from kerasish.random.seed_generator import SeedGenerator


class CutMix(BaseImagePreprocessingLayer):
    """CutMix augmentation (Yun et al., 2019), on batches in training.

    Each image gets a rectangle from another image of the batch (a random permutation); the
    rectangle's side ratio is `sqrt(1 - w)` with `w` drawn from `Beta(a, a)` and `a` drawn
    from `factor`. Labels are mixed in proportion to the pasted area. A single image (rank 3)
    passes unchanged.

    Args:
        factor: a number `f` in [0, 1] (`a` from `[0, f]`) or a pair. Defaults to `1.0`.
        seed: an int seed.
        data_format: "channels_last" or "channels_first".

    Example:

    ```python
    layer = kerasish.layers.CutMix(seed=1)
    out = layer({"images": np.random.rand(4, 8, 8, 3), "labels": np.eye(4)}, training=True)
    ```
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        images = images_of(data)
        if not training or images.ndim == 3:
            return None
        n = images.shape[0]
        h_axis, w_axis = self._hw_axes()
        height, width = images.shape[h_axis], images.shape[w_axis]
        seed = seed if seed is not None else self._get_seed_generator()
        dtype = self.compute_dtype
        alpha = uniform((), minval=self.factor[0], maxval=self.factor[1], dtype=dtype,
                        seed=seed) + 1e-6
        ratio = torch.sqrt(1.0 - beta((n,), alpha, alpha, seed=seed, dtype=dtype))
        x0, x1 = crop_bounds(n, width, ratio, seed, dtype)
        y0, y1 = crop_bounds(n, height, ratio, seed, dtype)
        masks = box_masks(tuple(images.shape), (x0, x1, y0, y1), self.data_format, ratio.dtype)
        mix_weight = 1.0 - (x1 - x0) * (y1 - y0) / (width * height)
        # Shuffled where Keras shuffles (its default device), for the same permutation.
        order = torch.arange(0, n, dtype=torch.int32, device=config.get_device())
        permutation = shuffle(order, seed=seed)
        return {"permutation_order": permutation, "batch_masks": masks, "mix_weight": mix_weight}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        order = to_device(transformation["permutation_order"], images).long()
        masks = to_device(transformation["batch_masks"], images)
        return torch.where(masks, images[order], images)

    def transform_labels(self, labels, transformation, training=True):
        if not training or transformation is None:
            return labels
        order = to_device(transformation["permutation_order"], labels).long()
        weight = to_device(transformation["mix_weight"], labels)
        weight = weight.reshape((-1,) + (1,) * (labels.ndim - 1))
        if not labels.is_floating_point():
            labels = labels.to(weight.dtype)
        return weight * labels + (1.0 - weight) * labels[order]

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if not training or transformation is None:
            return segmentation_masks
        order = to_device(transformation["permutation_order"], segmentation_masks).long()
        masks = to_device(transformation["batch_masks"], segmentation_masks)
        # The image masks repeat over the image's channels; a mask has its own channel count.
        channel_axis = -1 if self.data_format == "channels_last" else -3
        masks = masks.any(dim=channel_axis, keepdim=True)
        return torch.where(masks, segmentation_masks[order], segmentation_masks)

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        raise NotImplementedError("CutMix does not transform bounding boxes (as in Keras). "
                                  f"Received: bounding_boxes with keys {sorted(bounding_boxes)}")

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "seed": self.seed})
        return config
