"""Keras 2's `ImageDataGenerator`: real-time image augmentation and normalization for `fit`.

Random parameters are drawn from numpy's global generator in Keras's order, so a seed gives Keras's
transforms; the geometric warp of a whole batch is one torch `grid_sample` (see `affine.py`).
"""

import warnings

import numpy as np
import torch

from kerasish.backend import config
from kerasish.preprocessing import affine
from kerasish.preprocessing.image_iterators import DirectoryIterator, Iterator, NumpyArrayIterator  # noqa: F401
from kerasish.utils.image_utils import array_to_img, img_to_array, load_img, save_img  # noqa: F401


def _draw_shift(shift_range, size):
    try:  # a list or an int: a choice of pixel shifts, with a random sign
        t = np.random.choice(shift_range)
        t *= np.random.choice([-1, 1])
    except ValueError:  # a float: a uniform fraction of the size
        t = np.random.uniform(-shift_range, shift_range)
    if np.max(shift_range) < 1:
        t *= size
    return t


def _zoom_range(zoom_range):
    if np.isscalar(zoom_range):
        return [1 - zoom_range, 1 + zoom_range]
    if len(zoom_range) == 2:
        return [zoom_range[0], zoom_range[1]]
    raise ValueError("`zoom_range` should be a float or a tuple or list of two floats. "
                     f"Received: zoom_range={zoom_range!r}")


def apply_brightness_shift(x, brightness, scale=True):
    """Scales an image's brightness by `brightness` through Pillow, as Keras does (uint8 rounding)."""
    from PIL import ImageEnhance

    x_min, x_max = np.min(x), np.max(x)
    local_scale = (x_min < 0) or (x_max > 255)
    img = ImageEnhance.Brightness(array_to_img(x, scale=local_scale or scale)).enhance(brightness)
    x = img_to_array(img)
    if not scale and local_scale:
        x = x / 255 * (x_max - x_min) + x_min
    return x


def apply_channel_shift(x, intensity, channel_axis=0):
    """Adds `intensity` to every channel, clipped to the image's original range."""
    x = np.rollaxis(x, channel_axis, 0)
    min_x, max_x = np.min(x), np.max(x)
    x = np.stack([np.clip(c + intensity, min_x, max_x) for c in x], axis=0)
    return np.rollaxis(x, 0, channel_axis + 1)


class ImageDataGenerator:
    """Batches of augmented, normalized images from arrays (`flow`) or folders (`flow_from_directory`).

    Args:
        featurewise_center, featurewise_std_normalization: subtract the dataset mean / divide by its
            std per channel (statistics from `fit`).
        samplewise_center, samplewise_std_normalization: the same per image.
        zca_whitening: ZCA-whiten with the matrix from `fit` (`zca_epsilon` regularizes it).
        rotation_range: degrees of random rotation.
        width_shift_range, height_shift_range: a fraction of the size (< 1), pixels (>= 1), or a list
            of pixel shifts to pick from.
        brightness_range: `(low, high)` brightness factors (needs Pillow).
        shear_range: shear angle in degrees. zoom_range: `z` for `[1 - z, 1 + z]`, or `(low, high)`.
        channel_shift_range: random offset added to all channels.
        fill_mode: `"nearest"` (default), `"constant"` (with `cval`), `"reflect"` or `"wrap"`.
        horizontal_flip, vertical_flip: random flips.
        rescale: factor applied before the other normalizations (e.g. `1/255`).
        preprocessing_function: `f(image) -> image`, run on each augmented image.
        data_format: `"channels_last"` (default from the config) or `"channels_first"`.
        validation_split: fraction held out for `subset="validation"`.
        interpolation_order: 0 (nearest), 1 (bilinear, default) or 3 (bicubic).
        dtype: dtype of the batches. Defaults to floatx.

    Example:

    ```python
    datagen = ImageDataGenerator(rotation_range=20, width_shift_range=0.1, horizontal_flip=True)
    model.fit_generator(datagen.flow(x_train, y_train, batch_size=32), steps_per_epoch=len(x_train) // 32)
    ```
    """

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, zca_epsilon=1e-6, rotation_range=0, width_shift_range=0.0,
                 height_shift_range=0.0, brightness_range=None, shear_range=0.0, zoom_range=0.0,
                 channel_shift_range=0.0, fill_mode="nearest", cval=0.0, horizontal_flip=False,
                 vertical_flip=False, rescale=None, preprocessing_function=None, data_format=None,
                 validation_split=0.0, interpolation_order=1, dtype=None):
        self.featurewise_center, self.samplewise_center = featurewise_center, samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening, self.zca_epsilon = zca_whitening, zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range, self.height_shift_range = width_shift_range, height_shift_range
        self.shear_range, self.channel_shift_range = shear_range, channel_shift_range
        self.zoom_range = _zoom_range(zoom_range)
        if fill_mode not in affine.fill_modes():
            raise ValueError(f"`fill_mode` must be one of {affine.fill_modes()}. Received: fill_mode={fill_mode!r}")
        self.fill_mode, self.cval = fill_mode, cval
        self.horizontal_flip, self.vertical_flip = horizontal_flip, vertical_flip
        self.rescale, self.preprocessing_function = rescale, preprocessing_function
        self.dtype = dtype or config.floatx()
        self.interpolation_order = interpolation_order
        self.data_format = config.standardize_data_format(data_format)
        self.channel_axis, self.row_axis, self.col_axis = (1, 2, 3) if self.data_format == "channels_first" else (3, 1, 2)
        if not 0 <= validation_split < 1:
            raise ValueError(f"`validation_split` must be strictly between 0 and 1. Received: {validation_split}")
        self._validation_split = validation_split
        if brightness_range is not None and (not hasattr(brightness_range, "__len__") or len(brightness_range) != 2):
            raise ValueError("`brightness_range should be tuple or list of two floats. "
                             f"Received: brightness_range={brightness_range!r}")
        self.brightness_range = brightness_range
        self.mean = self.std = self.zca_whitening_matrix = None
        if zca_whitening and not featurewise_center:
            self.featurewise_center = True
            warnings.warn("This ImageDataGenerator specifies `zca_whitening`, which overrides setting "
                          "of `featurewise_center`.", stacklevel=2)

    # ------------------------------------------------------------------ iterators
    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
             save_to_dir=None, save_prefix="", save_format="png", ignore_class_split=False, subset=None):
        """An iterator of `(x_batch, y_batch)` (or `x_batch`, or with sample weights) from arrays."""
        return NumpyArrayIterator(x, y, self, batch_size=batch_size, shuffle=shuffle,
                                  sample_weight=sample_weight, seed=seed, data_format=self.data_format,
                                  save_to_dir=save_to_dir, save_prefix=save_prefix,
                                  save_format=save_format, ignore_class_split=ignore_class_split,
                                  subset=subset, dtype=self.dtype)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                            save_to_dir=None, save_prefix="", save_format="png", follow_links=False,
                            subset=None, interpolation="nearest", keep_aspect_ratio=False):
        """An iterator over images in `directory/<class name>/*` (classes are the sorted folders)."""
        return DirectoryIterator(directory, self, target_size=target_size, color_mode=color_mode,
                                 keep_aspect_ratio=keep_aspect_ratio, classes=classes,
                                 class_mode=class_mode, data_format=self.data_format,
                                 batch_size=batch_size, shuffle=shuffle, seed=seed,
                                 save_to_dir=save_to_dir, save_prefix=save_prefix,
                                 save_format=save_format, follow_links=follow_links, subset=subset,
                                 interpolation=interpolation, dtype=self.dtype)

    # ------------------------------------------------------------------ normalization
    def standardize(self, x):
        """Applies `preprocessing_function`, `rescale` and the normalizations to a batch or an image
        (in place when it can, as Keras does)."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, keepdims=True) + 1e-6
        if self.featurewise_center:
            if self.mean is None:
                warnings.warn("This ImageDataGenerator specifies `featurewise_center`, but it hasn't "
                              "been fit on any training data. Fit it first by calling `.fit(numpy_data)`.")
            else:
                x -= self.mean
        if self.featurewise_std_normalization:
            if self.std is None:
                warnings.warn("This ImageDataGenerator specifies `featurewise_std_normalization`, but it "
                              "hasn't been fit on any training data. Fit it first by calling `.fit(numpy_data)`.")
            else:
                x /= self.std + 1e-6
        if self.zca_whitening and self.zca_whitening_matrix is not None:
            flat = np.reshape(x, (-1, np.prod(x.shape[-3:])))
            x = np.reshape(flat @ self.zca_whitening_matrix, x.shape)
        return x

    # ------------------------------------------------------------------ random transforms
    def get_random_transform(self, img_shape, seed=None):
        """Random transform parameters for one image of shape `img_shape` (Keras's draws, in order)."""
        row_axis, col_axis = self.row_axis - 1, self.col_axis - 1
        if seed is not None:
            np.random.seed(seed)
        theta = np.random.uniform(-self.rotation_range, self.rotation_range) if self.rotation_range else 0
        tx = _draw_shift(self.height_shift_range, img_shape[row_axis]) if self.height_shift_range else 0
        ty = _draw_shift(self.width_shift_range, img_shape[col_axis]) if self.width_shift_range else 0
        shear = np.random.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx, zy = 1, 1
        else:
            zx, zy = np.random.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_horizontal = (np.random.random() < 0.5) * self.horizontal_flip
        flip_vertical = (np.random.random() < 0.5) * self.vertical_flip
        channel_shift = None
        if self.channel_shift_range != 0:
            channel_shift = np.random.uniform(-self.channel_shift_range, self.channel_shift_range)
        brightness = None
        if self.brightness_range is not None:
            brightness = np.random.uniform(self.brightness_range[0], self.brightness_range[1])
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
                "flip_horizontal": flip_horizontal, "flip_vertical": flip_vertical,
                "channel_shift_intensity": channel_shift, "brightness": brightness}

    def apply_transform(self, x, transform_parameters):
        """Applies parameters from `get_random_transform` to one image (3D array)."""
        return self.apply_transform_batch(np.asarray(x)[None], [transform_parameters])[0]

    def apply_transform_batch(self, batch, params_list):
        """Applies one parameter dict per image to a batch `(n, ...)`; geometric warps run as one
        torch call."""
        batch = np.array(batch, dtype=self.dtype, copy=True)
        channels_first = self.data_format == "channels_first"
        warp = [i for i, p in enumerate(params_list) if not affine.is_identity(p)]
        if warp:
            h, w = batch.shape[self.row_axis], batch.shape[self.col_axis]
            mats = [affine.transform_matrix(p.get("theta", 0), p.get("tx", 0), p.get("ty", 0),
                                            p.get("shear", 0), p.get("zx", 1), p.get("zy", 1), h, w)
                    for p in (params_list[i] for i in warp)]
            sub = batch[warp].transpose(0, 2, 3, 1) if channels_first else batch[warp]
            out = affine.apply_affine_batch(torch.from_numpy(np.ascontiguousarray(sub)), mats,
                                            self.fill_mode, self.cval, self.interpolation_order).numpy()
            batch[warp] = out.transpose(0, 3, 1, 2) if channels_first else out
        for i, p in enumerate(params_list):
            batch[i] = self._apply_pixel_ops(batch[i], p)
        return batch

    def _apply_pixel_ops(self, x, p):
        img_channel, img_row, img_col = self.channel_axis - 1, self.row_axis - 1, self.col_axis - 1
        if p.get("channel_shift_intensity") is not None:
            x = apply_channel_shift(x, p["channel_shift_intensity"], img_channel)
        if p.get("flip_horizontal", False):
            x = np.flip(x, img_col)
        if p.get("flip_vertical", False):
            x = np.flip(x, img_row)
        if p.get("brightness") is not None:
            x = apply_brightness_shift(x, p["brightness"], False)
        return x

    def random_transform(self, x, seed=None):
        """One image with a random transform applied."""
        return self.apply_transform(x, self.get_random_transform(np.shape(x), seed))

    # ------------------------------------------------------------------ fit
    def fit(self, x, augment=False, rounds=1, seed=None):
        """Computes the dataset statistics for the featurewise normalizations and ZCA whitening.

        Args:
            x: images, shape `(n, h, w, c)` (channels last).
            augment: fit on randomly augmented copies. rounds: how many copies when augmenting.
            seed: random seed.
        """
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"Input to `.fit()` should have rank 4. Received: shape={x.shape}")
        if seed is not None:
            np.random.seed(seed)
        x = np.copy(x)
        if self.rescale:
            x *= self.rescale
        if augment:
            params = [self.get_random_transform(x.shape[1:]) for _ in range(rounds) for _ in range(len(x))]
            x = self.apply_transform_batch(np.concatenate([x] * rounds), params)
        broadcast = [1, 1, 1]
        broadcast[self.channel_axis - 1] = x.shape[self.channel_axis]
        axes = (0, self.row_axis, self.col_axis)
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=axes), broadcast)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=axes), broadcast)
            x /= self.std + 1e-6
        if self.zca_whitening:
            n = len(x)
            u, s, _ = np.linalg.svd(np.reshape(x, (n, -1)).T, full_matrices=False)
            self.zca_whitening_matrix = (u * (np.sqrt(n) / (s + self.zca_epsilon))) @ u.T
