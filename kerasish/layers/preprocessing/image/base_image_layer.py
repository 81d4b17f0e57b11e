"""`BaseImagePreprocessingLayer`: the base of Keras 3's image preprocessing and augmentation layers.

The structure is Keras 3.15's: `call` draws one random transformation for the whole input
(`get_random_transformation`), then applies it to each part of the input with
`transform_images`, `transform_labels`, `transform_bounding_boxes` and
`transform_segmentation_masks`. Inputs are images (rank 3: one image, rank 4: a batch), or a dict
`{"images", "labels", "bounding_boxes", "segmentation_masks"}` (all keys but "images" optional;
bounding boxes are `{"boxes": (..., N, 4), "labels": (..., N)}` in `bounding_box_format`).

Random layers are active only in training, with Keras's rule for the flag: an explicit
`training=` wins, then the enclosing call's flag (`fit` trains, `predict`/`evaluate` do not), and a
layer called on its own (no flag anywhere) trains, as Keras's `call(data, training=True)` does.
Images come out in the layer's compute dtype (float32 by default), as in Keras.

Numpy inputs (or nested lists) become CPU torch tensors, so a layer can run in a data pipeline;
torch inputs stay on their device, so the layer runs inside a model on the model's device.

How to build a layer on this base:

- `__init__`: call `super().__init__(factor=..., bounding_box_format=..., data_format=..., **kw)`.
  Set the class attribute `_USE_BASE_FACTOR = False` when the layer has no `factor` argument
  (else `factor` is checked against `_FACTOR_BOUNDS` and stored as `self.factor = (lower, upper)`).
  A random layer sets `self.seed = seed` and `self.generator = SeedGenerator(seed)`.
- `get_random_transformation(data, training=True, seed=None)`: return None when not training;
  else draw with `kerasish.random` (`uniform(..., seed=seed or self._get_seed_generator())`) in the
  same order as the Keras layer does, so a seeded layer gives Keras's numbers, and return a dict.
- `transform_images(images, transformation, training=True)`: batched images (rank 4, already in
  the compute dtype via `self._cast_images`) -> transformed images. Either override it, or set
  `self.interpolation` and implement `_transform_images(images, transformation, interpolation)`.
  Segmentation masks go through `_transform_images` with "nearest" by default.
- `transform_labels` / `transform_bounding_boxes`: override when the layer changes them (boxes
  arrive batched, as a dict of torch tensors in `bounding_box_format`; use
  `kerasish.utils.bounding_boxes`). Unbatched inputs are handled by this base class.
- `get_config`: add the constructor arguments to `super().get_config()`.
- `compute_output_shape`: override when the layer changes the image size.
- Colour layers take `value_range` and use `self._transform_value_range(images, original,
  target)` to work in a fixed range (Keras's layers work in [0, 255]).
"""

import math

import numpy as np
import torch

from kerasish.backend import config, dtypes
from kerasish.layers.layer import Layer
from kerasish.layers.preprocessing.image.bounding_boxes.validation import densify_bounding_boxes

_KEYS = ("images", "labels", "bounding_boxes", "segmentation_masks")


def _stack_images(images):
    """A list of same-size arrays -> one array; mixed sizes get a clear error."""
    shapes = {tuple(np.shape(image)) for image in images}
    if len(shapes) > 1:
        raise ValueError(
            "All images of a batch must have the same size; resize them first (for example with "
            "`kerasish.layers.Resizing` or `image_dataset_from_directory(image_size=...)`). "
            f"Received: image shapes={sorted(shapes)}"
        )
    return np.stack([np.asarray(image) for image in images])


def to_cpu_tensor(value, name="images"):
    """numpy arrays, scalars and nested lists -> CPU torch tensors; torch tensors stay as they are."""
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, (list, tuple)) and value and all(
            isinstance(v, (np.ndarray, torch.Tensor)) for v in value):
        value = _stack_images([v.cpu().numpy() if isinstance(v, torch.Tensor) else v
                               for v in value])
    try:
        array = np.asarray(value)
    except ValueError:
        raise ValueError(
            f"`{name}` must be an array of one shape (ragged inputs need resizing or padding "
            f"first). Received: {name} of type {type(value).__name__}"
        ) from None
    if array.dtype == object:
        raise ValueError(
            f"`{name}` must be a numeric array of one shape; images of mixed sizes must be "
            f"resized first. Received: {name} of type {type(value).__name__}"
        )
    if array.dtype == np.float64:
        array = array.astype(config.floatx())
    return torch.from_numpy(np.ascontiguousarray(array))


def _to_tensors(data):
    if isinstance(data, dict):
        unknown = set(data) - set(_KEYS)
        if "images" not in data or unknown:
            raise ValueError(
                "A dict input to an image preprocessing layer needs an 'images' key and may "
                f"hold only the keys {_KEYS}. Received: keys={sorted(data)}"
            )
        out = {key: to_cpu_tensor(value, key) for key, value in data.items()
               if key != "bounding_boxes"}
        if "bounding_boxes" in data:
            # Dense tensors now: the layer's call machinery would turn nested lists into lists
            # of scalar tensors.
            out["bounding_boxes"] = densify_bounding_boxes(
                data["bounding_boxes"], is_batched=out["images"].ndim == 4)
        return out
    return to_cpu_tensor(data)


def _symbolic(data):
    from kerasish.backend.keras_tensor import any_symbolic

    return any_symbolic(data)


class BaseImagePreprocessingLayer(Layer):
    """Base class of image preprocessing layers (see the module docstring for how to subclass).

    Args:
        factor: the layer's strength, a number or a pair `(lower, upper)` inside
            `_FACTOR_BOUNDS` (only for layers with `_USE_BASE_FACTOR`).
        bounding_box_format: the format of `bounding_boxes["boxes"]` in dict inputs ("xyxy",
            "yxyx", "xywh", "center_xywh", "center_yxhw" or a "rel_" variant).
        data_format: "channels_last" or "channels_first". Defaults to `image_data_format()`.

    Example: a layer that inverts images in [0, 1] at random, active only in training.

    >>> class RandomInvert01(kerasish.layers.BaseImagePreprocessingLayer):
    ...     _USE_BASE_FACTOR = False
    ...     def __init__(self, rate=0.5, seed=None, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.rate, self.seed = rate, seed
    ...         self.generator = kerasish.random.SeedGenerator(seed)
    ...     def get_random_transformation(self, data, training=True, seed=None):
    ...         if not training:
    ...             return None
    ...         images = data["images"] if isinstance(data, dict) else data
    ...         draw = kerasish.random.uniform((images.shape[0],), seed=seed or self.generator)
    ...         return {"invert": draw < self.rate}
    ...     def transform_images(self, images, transformation, training=True):
    ...         images = self._cast_images(images)
    ...         if transformation is None:
    ...             return images
    ...         flip = transformation["invert"].reshape(-1, 1, 1, 1)
    ...         return torch.where(flip, 1.0 - images, images)
    >>> layer = RandomInvert01(rate=1.0)
    >>> layer(np.zeros((2, 4, 4, 3)), training=True).mean().item()
    1.0
    >>> layer(np.zeros((2, 4, 4, 3)), training=False).mean().item()
    0.0
    """

    _USE_BASE_FACTOR = True
    _FACTOR_BOUNDS = (-1, 1)

    def __init__(self, factor=None, bounding_box_format=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.bounding_box_format = bounding_box_format
        self.data_format = config.standardize_data_format(data_format)
        if self._USE_BASE_FACTOR:
            self._set_factor(factor or 0.0)
        elif factor is not None:
            raise ValueError(
                f"Layer {type(self).__name__} does not take a `factor` argument. "
                f"Received: factor={factor}"
            )

    def _set_factor(self, factor):
        low, high = self._FACTOR_BOUNDS
        error = ValueError(
            "The `factor` argument should be a number (or a list of two numbers) in the range "
            f"[{low}, {high}]. Received: factor={factor}"
        )
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or not all(_is_number(f) for f in factor):
                raise error
            if factor[0] > high or factor[1] < low:
                raise error
            lower, upper = sorted(factor)
        elif _is_number(factor):
            if factor < low or factor > high:
                raise error
            factor = abs(factor)
            lower, upper = max(-factor, low), factor
        else:
            raise error
        self.factor = lower, upper

    # ------------------------------------------------------------------ seeds
    def _get_seed_generator(self):
        if not hasattr(self, "seed") or not hasattr(self, "generator"):
            raise ValueError(
                "The `seed` and `generator` attributes must be set in `__init__` before calling "
                f"`_get_seed_generator()`. Received: layer {type(self).__name__}"
            )
        return self.generator

    # ------------------------------------------------------- transformations
    def get_random_transformation(self, data, training=True, seed=None):
        """The random parameters of one call (None: no randomness or not training)."""
        return None

    def _cast_images(self, images):
        dtype = dtypes.to_torch_dtype(self.compute_dtype)
        return images if images.dtype == dtype else images.to(dtype)

    def _transform_images(self, images, transformation, interpolation):
        raise NotImplementedError(
            f"{type(self).__name__} must implement `transform_images` or `_transform_images`.")

    def transform_images(self, images, transformation, training=True):
        images = self._cast_images(images)
        if training:
            images = self._transform_images(images, transformation, self.interpolation)
        return images

    def transform_labels(self, labels, transformation, training=True):
        raise NotImplementedError(
            f"{type(self).__name__} does not transform labels. Received: labels with shape "
            f"{tuple(labels.shape)}")

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        raise NotImplementedError(
            f"{type(self).__name__} does not transform bounding boxes. Received: bounding_boxes "
            f"with keys {sorted(bounding_boxes)}")

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if training:
            segmentation_masks = self._transform_images(
                segmentation_masks, transformation, "nearest")
        return segmentation_masks

    # Unbatched inputs: a batch of one, then the batch axis is removed again.
    def transform_single_image(self, image, transformation, training=True):
        out = self.transform_images(image.unsqueeze(0), transformation, training=training)
        return out.squeeze(0)

    def transform_single_label(self, label, transformation, training=True):
        out = self.transform_labels(label.unsqueeze(0), transformation, training=training)
        return out.squeeze(0)

    def transform_single_bounding_box(self, bounding_box, transformation, training=True):
        boxes = {k: (v.unsqueeze(0) if k in ("boxes", "labels") else v)
                 for k, v in bounding_box.items()}
        out = self.transform_bounding_boxes(boxes, transformation, training=training)
        return {k: (v.squeeze(0) if k in ("boxes", "labels") else v) for k, v in out.items()}

    def transform_single_segmentation_mask(self, mask, transformation, training=True):
        out = self.transform_segmentation_masks(mask.unsqueeze(0), transformation,
                                                training=training)
        return out.squeeze(0)

    # ------------------------------------------------------------------ call
    def _is_batched(self, images):
        if images.ndim == 3:
            return False
        if images.ndim == 4:
            return True
        raise ValueError(
            "Expected image tensor to have rank 3 (single image) or 4 (batch of images). "
            f"Received: data.shape={tuple(images.shape)}"
        )

    def __call__(self, *args, **kwargs):
        if args and not isinstance(args[0], torch.Tensor) and not _symbolic(args[0]):
            args = (_to_tensors(args[0]),) + args[1:]
        return super().__call__(*args, **kwargs)

    def call(self, data, training=None):
        if training is None:
            training = True  # Keras's `call(data, training=True)`: a bare call augments
        if not isinstance(data, dict):
            transformation = self.get_random_transformation(data, training=training)
            if self._is_batched(data):
                return self.transform_images(data, transformation, training=training)
            return self.transform_single_image(data, transformation, training=training)
        data = dict(data)  # Keras edits the caller's dict in place; a copy is kinder
        batched = self._is_batched(data["images"])
        if "bounding_boxes" in data:
            self._check_box_format()
            data["bounding_boxes"] = densify_bounding_boxes(data["bounding_boxes"],
                                                            is_batched=batched)
        transformation = self.get_random_transformation(data, training=training)
        parts = (("images", self.transform_images, self.transform_single_image),
                 ("bounding_boxes", self.transform_bounding_boxes,
                  self.transform_single_bounding_box),
                 ("labels", self.transform_labels, self.transform_single_label),
                 ("segmentation_masks", self.transform_segmentation_masks,
                  self.transform_single_segmentation_mask))
        for key, batch_fn, single_fn in parts:
            if key in data:
                fn = batch_fn if batched else single_fn
                data[key] = fn(data[key], transformation, training=training)
        return data

    def _check_box_format(self):
        if not self.bounding_box_format:
            raise ValueError(
                "You passed an input with a 'bounding_boxes' key, but you didn't specify a "
                f"bounding box format. Pass a `bounding_box_format` argument to your "
                f"{type(self).__name__} layer, e.g. `bounding_box_format='xyxy'`. "
                "Received: bounding_box_format=None"
            )

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config_ = super().get_config()
        config_["data_format"] = self.data_format
        if self.bounding_box_format is not None:
            config_["bounding_box_format"] = self.bounding_box_format
        return config_

    # --------------------------------------------------------------- helpers
    def _hw_axes(self):
        """(height axis, width axis) counted from the end."""
        return (-3, -2) if self.data_format == "channels_last" else (-2, -1)

    def _image_size(self, images):
        h_axis, w_axis = self._hw_axes()
        return images.shape[h_axis], images.shape[w_axis]

    def _transform_value_range(self, images, original_range, target_range, dtype="float32"):
        """Maps values linearly from `original_range` to `target_range` (Keras's helper)."""
        if original_range[0] == target_range[0] and original_range[1] == target_range[1]:
            return images
        images = images.to(dtypes.to_torch_dtype(dtype))
        low, high = float(original_range[0]), float(original_range[1])
        new_low, new_high = float(target_range[0]), float(target_range[1])
        images = (images - low) / (high - low)
        return images * (new_high - new_low) + new_low

    def _compute_affine_matrix(self, center_x, center_y, angle, translate_x, translate_y, scale,
                               shear_x, shear_y, height, width):
        """Per-image `[a0, a1, a2, b0, b1, b2, 0, 0]` transforms (rows of a (B, 8) tensor) for
        rotation `angle` (degrees) about the relative centre, scale, shear (degrees) and
        translation (pixels), composed as Keras composes them: scale * shear * rotation."""
        radian = math.pi / 180.0
        angle = angle * radian
        shear_x = torch.tan(shear_x * radian)
        shear_y = torch.tan(shear_y * radian)
        cx = center_x * (width - 1)
        cy = center_y * (height - 1)
        cos, sin = torch.cos(angle), torch.sin(angle)
        a0 = scale * (cos + shear_x * sin)
        a1 = scale * (-sin + shear_x * cos)
        a2 = translate_x + cx - cx * a0 - cy * a1
        b0 = scale * (shear_y * cos + sin)
        b1 = scale * (shear_y * -sin + cos)
        b2 = translate_y + cy - cx * b0 - cy * b1
        zeros = torch.zeros_like(a0)
        return torch.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], dim=1)


def _is_number(value):
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
