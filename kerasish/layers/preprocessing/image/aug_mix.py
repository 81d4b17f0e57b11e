"""`AugMix`: mixes several chains of random augmentations with the original image."""

import random as py_random

import torch

from kerasish.layers.preprocessing.image.augment_ops import build_augment_layers
from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.color_utils import check_value_range, to_device
from kerasish.random import beta, gamma
from kerasish.random.seed_generator import SeedGenerator

AUGMENT_LAYERS_ALL = ["random_shear", "random_translation", "random_rotation",
                      "random_posterization", "solarization", "auto_contrast", "equalization",
                      "random_brightness", "random_color_degeneration", "random_contrast",
                      "random_sharpness"]
AUGMENT_LAYERS = AUGMENT_LAYERS_ALL[:7]


class AugMix(BaseImagePreprocessingLayer):
    """AugMix (Hendrycks et al., 2020), in training.

    `num_chains` chains of up to `chain_depth` augmentations each (every step picks one of the
    augmentation layers or none) are mixed with Dirichlet(`alpha`) weights, and the mix is
    blended with the original image with a Beta(`alpha`, `alpha`) weight.

    As in Keras, the operation of each step is chosen with Python's global `random` module (seed
    it, e.g. with `kerasish.utils.set_random_seed`, for repeatable chains); the layers' own draws
    come from `seed`.

    Args:
        value_range: the range of the input values. Defaults to `(0, 255)`.
        num_chains: the number of chains. Defaults to `3`.
        chain_depth: the maximum number of operations per chain. Defaults to `3`.
        factor: the strength of the operations, a number in [0, 1] or a pair.
            Defaults to `0.3`.
        alpha: the Dirichlet and Beta parameter. Defaults to `1.0`.
        all_ops: use the colour operations too (brightness, colour, contrast, sharpness).
            Defaults to `True`.
        interpolation: the geometric operations' interpolation. Defaults to `"bilinear"`.
        seed: an int seed.
        data_format: "channels_last" or "channels_first".

    Example:

    ```python
    layer = kerasish.layers.AugMix(seed=1)
    out = layer(np.random.uniform(0, 255, (2, 16, 16, 3)), training=True)
    ```
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3, alpha=1.0,
                 all_ops=True, interpolation="bilinear", seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = check_value_range(value_range, sort=False)
        for name, value in (("num_chains", num_chains), ("chain_depth", chain_depth)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"`{name}` should be a positive integer. "
                                 f"Received: {name}={value!r}")
        if not isinstance(alpha, (int, float)) or isinstance(alpha, bool) or alpha <= 0:
            raise ValueError(f"`alpha` should be a positive number. Received: alpha={alpha!r}")
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self._set_factor(factor)
        self.alpha = alpha
        self.all_ops = all_ops
        self.interpolation = interpolation
        self.seed = seed
        self.generator = SeedGenerator(seed)
        self._augment_layers = AUGMENT_LAYERS_ALL if all_ops else AUGMENT_LAYERS
        build_augment_layers(self, self._augment_layers, self.factor, self.value_range,
                             interpolation, seed, data_format, **kwargs)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        seed = seed if seed is not None else self._get_seed_generator()
        samples = gamma((self.num_chains,), alpha=self.alpha, seed=seed)
        chain_weights = samples / torch.sum(samples, dim=-1, keepdim=True)  # Dirichlet
        weight = beta((), alpha=self.alpha, beta=self.alpha, seed=seed)
        chains = []
        for _ in range(self.num_chains):
            steps = []
            for _ in range(self.chain_depth):
                name = py_random.choice(self._augment_layers + [None])
                if name is not None:
                    draw = getattr(self, name).get_random_transformation(
                        data, seed=self._get_seed_generator())
                    steps.append({"layer_name": name, "transformation": draw})
            chains.append(steps)
        return {"chain_mixing_weights": chain_weights, "weight_sample": weight,
                "chain_transforms": chains}

    def _mix(self, x, transformation, method):
        chain_weights = to_device(transformation["chain_mixing_weights"], x).to(x.dtype)
        weight = to_device(transformation["weight_sample"], x).to(x.dtype)
        mixed = torch.zeros_like(x)
        for index, steps in enumerate(transformation["chain_transforms"]):
            chained = x.clone()
            for step in steps:
                chained = getattr(getattr(self, step["layer_name"]), method)(
                    chained, step["transformation"])
            mixed = mixed + chained * chain_weights[index]
        return weight * x + (1 - weight) * mixed

    def transform_images(self, images, transformation, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        out = self._mix(images, transformation, "transform_images")
        return out.clamp(self.value_range[0], self.value_range[1])

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        return bounding_boxes

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if not training or transformation is None:
            return segmentation_masks
        return self._mix(segmentation_masks, transformation, "transform_segmentation_masks")

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range, "num_chains": self.num_chains,
                       "chain_depth": self.chain_depth, "factor": self.factor,
                       "alpha": self.alpha, "all_ops": self.all_ops,
                       "interpolation": self.interpolation, "seed": self.seed})
        return config
