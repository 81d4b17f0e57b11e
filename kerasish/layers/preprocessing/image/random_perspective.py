"""`RandomPerspective`: moves the image corners at random (a projective warp), in training."""

import torch

from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from kerasish.layers.preprocessing.image.bounding_boxes.converters import (
    clip_to_image_size, convert_format,
)
from kerasish.layers.preprocessing.image.image_layer_utils import (
    INTERPOLATIONS, batch_height_width, check_choice, images_of,
)
from kerasish.ops import image as image_ops
from kerasish.ops.image_geometry import _homography
from kerasish.random import uniform
from kerasish.random.seed_generator import SeedGenerator


class RandomPerspective(BaseImagePreprocessingLayer):
    """Applies a random perspective warp to images during training (the identity in inference).

    Each image is warped with probability drawn in `factor`; its four corners move by up to
    `scale / 2` of the image size.

    Args:
        factor: a float or a pair in [0, 1]: the probability of warping an image is drawn
            uniformly in `[0, factor]` (or `[lower, upper]`). Defaults to 1.
        scale: the strength of the warp, in [0, 1]. Defaults to 1.
        interpolation: "bilinear" (default) or "nearest".
        fill_value: the value outside the warped image. Defaults to 0.
        seed: an int seed.
        data_format: "channels_last" or "channels_first".
        bounding_box_format: the format of `bounding_boxes` in dict inputs.

    Example:

    ```python
    layer = kerasish.layers.RandomPerspective(factor=0.5, scale=0.3, seed=1)
    ```
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0, seed=None,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        if not isinstance(scale, (int, float)) or isinstance(scale, bool) or not 0 <= scale <= 1:
            raise ValueError("The `scale` argument should be a number in the range [0, 1]. "
                             f"Received: scale={scale!r}")
        self.scale = scale
        self.interpolation = check_choice("interpolation", interpolation, INTERPOLATIONS)
        self.fill_value = fill_value
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = images_of(data)
        shape = tuple(images.shape)
        batch, height, width = batch_height_width(shape, self.data_format)
        seed = seed or self._get_seed_generator()
        probability = uniform((batch,), self.factor[0], self.factor[1], seed=seed)
        threshold = uniform((batch,), 0.0, 1.0, seed=seed)
        moves = uniform((batch, 4, 2), -0.5 * self.scale, 0.5 * self.scale,
                        dtype=self.compute_dtype, seed=seed)
        corners = torch.tensor([[[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1],
                                 [width - 1, height - 1]]], dtype=moves.dtype)
        start = corners.repeat(batch, 1, 1).to(moves.device)
        device = images.device
        return {"apply_perspective": (threshold < probability).to(device),
                "start_points": start.to(device), "end_points": (start + start * moves).to(device),
                "input_shape": shape}

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        warped = image_ops.perspective_transform(
            images, transformation["start_points"], transformation["end_points"],
            interpolation=interpolation, fill_value=self.fill_value, data_format=self.data_format)
        apply = transformation["apply_perspective"][:, None, None, None]
        return torch.where(apply, warped, images)

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        h_axis, w_axis = self._hw_axes()
        height = transformation["input_shape"][h_axis]
        width = transformation["input_shape"][w_axis]
        bounding_boxes = convert_format(bounding_boxes, self.bounding_box_format, "xyxy",
                                        height=height, width=width)
        boxes = bounding_boxes["boxes"]
        moved = self._move_boxes(boxes, transformation)
        apply = transformation["apply_perspective"].to(boxes.device)[:, None, None]
        bounding_boxes["boxes"] = torch.where(apply, moved, boxes)
        bounding_boxes = clip_to_image_size(bounding_boxes, height=height, width=width)
        # Keras 3.15 returns these "xyxy" boxes whatever the layer's format; converted back here.
        return convert_format(bounding_boxes, "xyxy", self.bounding_box_format, height=height,
                              width=width)

    def _move_boxes(self, boxes, transformation):
        """Each box's corners sent through the warp (the inverse of the output->input
        homography); the result is the box around them."""
        coef = _homography(transformation["start_points"], transformation["end_points"])
        coef = coef.to(device=boxes.device, dtype=torch.float32)
        matrix = torch.cat([coef, torch.ones_like(coef[:, :1])], dim=1).reshape(-1, 3, 3)
        inverse = torch.linalg.inv(matrix).to(boxes.dtype)  # (B, 3, 3)
        x0, y0, x1, y1 = (boxes[..., i:i + 1] for i in range(4))
        xs, ys = [], []
        for x, y in ((x0, y0), (x1, y1), (x0, y1), (x1, y0)):
            points = torch.cat([x, y, torch.ones_like(x)], dim=-1).transpose(-1, -2)
            moved = torch.matmul(inverse, points).transpose(-1, -2)
            xs.append(moved[..., 0] / moved[..., 2])
            ys.append(moved[..., 1] / moved[..., 2])
        xs, ys = torch.stack(xs, -1), torch.stack(ys, -1)
        return torch.cat([xs.amin(-1, keepdim=True), ys.amin(-1, keepdim=True),
                          xs.amax(-1, keepdim=True), ys.amax(-1, keepdim=True)], dim=-1)

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "scale": self.scale,
                       "interpolation": self.interpolation, "fill_value": self.fill_value,
                       "seed": self.seed})
        return config
