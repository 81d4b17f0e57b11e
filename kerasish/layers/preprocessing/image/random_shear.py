"""`RandomShear`: shears images along x and/or y by a random amount, in training."""

import torch

from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.bounding_boxes.converters import (
    clip_to_image_size, convert_format,
)
from kerasish.layers.preprocessing.image.image_layer_utils import (
    batch_height_width, set_warp_options, images_of,
)
from kerasish.layers.preprocessing.image.random_zoom import parse_factor
from kerasish.random import uniform
from kerasish.ops import image as image_ops


class RandomShear(BaseImagePreprocessingLayer):
    """Shears each image by a random amount during training (the identity in inference).

    Args:
        x_factor: a float `f` or a pair `(lower, upper)` in [0, 1]: the horizontal shear is
            drawn in `[-f, f]` (or `[lower, upper]`), with a random sign per image.
        y_factor: the same for the vertical shear.
        interpolation: "bilinear" (default) or "nearest".
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest".
        fill_value: the value outside the image for `fill_mode="constant"`.
        data_format: "channels_last" or "channels_first".
        seed: an int seed.
        bounding_box_format: the format of `bounding_boxes` in dict inputs.

    Example:

    ```python
    layer = kerasish.layers.RandomShear(x_factor=0.2, seed=1)
    ```
    """

    _USE_BASE_FACTOR = False

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear", fill_mode="reflect",
                 fill_value=0.0, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        # Keras saves the parsed pair (-f, f) of a float factor, which its own range check then
        # refuses; such a pair is read back as the float it came from.
        x_factor, y_factor = _unparse(x_factor), _unparse(y_factor)
        self._factor_args = {"x_factor": x_factor, "y_factor": y_factor}
        self.x_factor = parse_factor(x_factor, "x_factor", 0.0, 1.0)
        self.y_factor = parse_factor(y_factor, "y_factor", 0.0, 1.0)
        set_warp_options(self, fill_mode, interpolation, fill_value, seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = images_of(data)
        shape = tuple(images.shape)
        batch, _, _ = batch_height_width(shape, self.data_format)
        seed = seed or self._get_seed_generator()
        dtype = self.compute_dtype
        invert = uniform((batch, 1), 0, 1, dtype=dtype, seed=seed)
        invert = torch.where(invert > 0.5, -torch.ones_like(invert), torch.ones_like(invert))
        shear_y = uniform((batch, 1), self.y_factor[0], self.y_factor[1], dtype=dtype, seed=seed)
        shear_x = uniform((batch, 1), self.x_factor[0], self.x_factor[1], dtype=dtype, seed=seed)
        shear = (torch.cat([shear_x, shear_y], dim=1) * invert).to(images.device)
        return {"shear_factor": shear, "input_shape": shape}

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        shear = transformation["shear_factor"]
        ones, zeros = torch.ones_like(shear[:, 0]), torch.zeros_like(shear[:, 0])
        # Sheared about the top-left corner: output (x, y) reads input (x + sx y, sy x + y).
        matrix = torch.stack([ones, shear[:, 0], zeros, shear[:, 1], ones, zeros, zeros, zeros], 1)
        return image_ops.affine_transform(images, matrix, interpolation=interpolation,
                                          fill_mode=self.fill_mode, fill_value=self.fill_value,
                                          data_format=self.data_format)

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        h_axis, w_axis = self._hw_axes()
        height = transformation["input_shape"][h_axis]
        width = transformation["input_shape"][w_axis]
        bounding_boxes = convert_format(bounding_boxes, self.bounding_box_format, "rel_xyxy",
                                        height=height, width=width, dtype=self.compute_dtype)
        bounding_boxes["boxes"] = self._shear_boxes(bounding_boxes["boxes"],
                                                    transformation["shear_factor"])
        bounding_boxes = clip_to_image_size(bounding_boxes, height=height, width=width,
                                            bounding_box_format="rel_xyxy")
        return convert_format(bounding_boxes, "rel_xyxy", self.bounding_box_format,
                              height=height, width=width, dtype=self.compute_dtype)

    @staticmethod
    def _shear_boxes(boxes, shear):
        """Keras's box rule, on relative "xyxy" boxes: each side moves by the shear of the
        corner that goes furthest."""
        shear = shear.to(device=boxes.device, dtype=boxes.dtype)
        sx, sy = shear[:, 0:1], shear[:, 1:2]
        x1, y1, x2, y2 = (boxes[..., i] for i in range(4))
        x1 = torch.where(sx < 0, x1 - sx * y1, x1 - sx * y2)
        x2 = torch.where(sx < 0, x2 - sx * y2, x2 - sx * y1)
        y1 = torch.where(sy > 0, y1 - sy * x2, y1 - sy * x1)
        y2 = torch.where(sy > 0, y2 - sy * x1, y2 - sy * x2)
        return torch.stack([x1, y1, x2, y2], dim=-1)

    def get_config(self):
        config = super().get_config()
        # The factors as given (Keras 3.15 writes the parsed pair, which it cannot load back).
        config.update({**self._factor_args,
                       "fill_mode": self.fill_mode, "interpolation": self.interpolation,
                       "seed": self.seed, "fill_value": self.fill_value})
        return config


def _unparse(factor):
    if isinstance(factor, (tuple, list)) and len(factor) == 2 and \
            all(isinstance(f, (int, float)) for f in factor) and factor[0] < 0 and \
            factor[0] == -factor[1]:
        return factor[1]
    return factor
