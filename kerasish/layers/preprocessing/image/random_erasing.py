"""`RandomErasing`: fills a random rectangle of each image with noise or a constant."""

import numbers

import torch

from kerasish.backend import dtypes
from kerasish.layers.preprocessing.image.color_utils import (
    BaseColorLayer, batch_size, check_unit_range, check_value_range, images_of, to_device,
)
from kerasish.random import normal, uniform
from kerasish.random.seed_generator import SeedGenerator


def box_masks(images_shape, box, data_format, dtype):
    """`(batch, h, w, 1)` (or `(batch, 1, h, w)`) masks of the pixels inside `x0 <= x < x1`,
    `y0 <= y < y1` (one box per image)."""
    h_axis, w_axis = (-3, -2) if data_format == "channels_last" else (-2, -1)
    height, width = images_shape[h_axis], images_shape[w_axis]
    device = box[0].device  # where the corners were drawn
    grid_y, grid_x = torch.meshgrid(torch.arange(height, dtype=dtype, device=device),
                                    torch.arange(width, dtype=dtype, device=device), indexing="ij")
    view = (1, height, width, 1) if data_format == "channels_last" else (1, 1, height, width)
    grid_x, grid_y = grid_x.reshape(view), grid_y.reshape(view)
    x0, x1, y0, y1 = (v.reshape(-1, 1, 1, 1) for v in box)
    return (grid_x >= x0) & (grid_x < x1) & (grid_y >= y0) & (grid_y < y1)


def crop_bounds(n, length, ratio, seed, dtype):
    """Start and end of a random span of `ratio * length` pixels (Keras's draw)."""
    crop = (ratio * length).to(dtypes.to_torch_dtype(dtype))
    start = uniform((n,), minval=0, maxval=1, dtype=dtype, seed=seed) * (length - crop)
    return start, start + crop


def _check_fill_value(fill_value):
    if fill_value is None or (isinstance(fill_value, numbers.Real) and
                              not isinstance(fill_value, bool)):
        return fill_value
    if isinstance(fill_value, (tuple, list)) and len(fill_value) == 3 and all(
            isinstance(v, numbers.Real) for v in fill_value):
        return fill_value
    raise ValueError("The `fill_value` argument should be a number (or a list of three "
                     f"numbers). Received: fill_value={fill_value!r}")


class RandomErasing(BaseColorLayer):
    """Erases a random rectangle of each image in training (the identity in inference).

    The rectangle covers a fraction of the width and of the height each drawn from `scale`
    (square-rooted), at a random place; it is filled with `fill_value`, or with Gaussian noise
    times `value_range[1]` when `fill_value` is None, clipped to `value_range`. Each image is
    erased with a probability drawn from `factor`.

    Args:
        factor: a number `f` in [0, 1] (probability from `[0, f]`) or a pair. Defaults to `1.0`.
        scale: the area fraction range, a number or a pair in [0, 1]. Defaults to `(0.02, 0.33)`.
        fill_value: None (noise), a number, or one value per channel (3 numbers).
        value_range: the range of the input values. Defaults to `(0, 255)`.
        seed: an int seed.
        data_format: "channels_last" or "channels_first".

    Example:

    ```python
    layer = kerasish.layers.RandomErasing(fill_value=0.0, seed=1)
    out = layer(np.random.uniform(0, 255, (4, 16, 16, 3)), training=True)
    ```
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255),
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.scale = check_unit_range("scale", scale)
        self.fill_value = _check_fill_value(fill_value)
        self.value_range = check_value_range(value_range, sort=False)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = images_of(data)
        n = batch_size(images)
        h_axis, w_axis = self._hw_axes()
        height, width = images.shape[h_axis], images.shape[w_axis]
        seed, dtype = self._seed(seed), self.compute_dtype
        ratio = torch.sqrt(uniform((n, 2), minval=self.scale[0], maxval=self.scale[1],
                                   dtype=dtype, seed=seed))
        tdtype = ratio.dtype
        x0, x1 = crop_bounds(n, width, ratio[:, 0], seed, dtype)
        y0, y1 = crop_bounds(n, height, ratio[:, 1], seed, dtype)
        masks = box_masks(tuple(images.shape), (x0, x1, y0, y1), self.data_format, tdtype)
        probability = uniform((n,), minval=self.factor[0], maxval=self.factor[1], seed=seed)
        threshold = uniform((n,), minval=0.0, maxval=1.0, seed=seed)
        return {"apply_erasing": threshold < probability, "batch_masks": masks,
                "fill_value": self._fill(tuple(images.shape), seed)}

    def _fill(self, shape, seed):
        if self.fill_value is None:
            fill = normal(shape, dtype=self.compute_dtype, seed=seed) * self.value_range[1]
        elif isinstance(self.fill_value, (tuple, list)):
            channel_axis = -1 if self.data_format == "channels_last" else -3
            view = [1] * len(shape)
            view[channel_axis] = 3
            fill = torch.tensor(self.fill_value, dtype=torch.float32).reshape(view)
        else:
            fill = torch.tensor(float(self.fill_value))
        return fill.clamp(self.value_range[0], self.value_range[1])

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast_images(images)
        if not training or transformation is None:
            return images
        masks = to_device(transformation["batch_masks"], images)
        fill = to_device(transformation["fill_value"], images).to(images.dtype)
        if fill.ndim == 3:  # noise drawn for one image
            fill = fill.unsqueeze(0)
        erased = torch.where(masks, fill, images)
        apply = to_device(transformation["apply_erasing"], images).reshape(-1, 1, 1, 1)
        return torch.where(apply, erased, images)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "scale": self.scale, "fill_value": self.fill_value,
                       "value_range": self.value_range, "seed": self.seed})
        return config
