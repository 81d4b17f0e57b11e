"""`image_dataset_from_directory`: Keras's arguments and file order, images decoded by Pillow and
resized as Keras resizes them (`keras.ops.image.resize`, which gives `tf.image.resize`'s values
for bilinear), in parallel threads (Pillow and torch release the GIL)."""

import numpy as np
import torch

from kerasish.utils import dataset_utils
from kerasish.utils.image_utils import pil_image

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}
# Keras's (tf.image) interpolations, and the ones `ops.image.resize` computes as Keras does.
_KERAS_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
                         "mitchellcubic")
_SUPPORTED_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")


def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                 color_mode="rgb", batch_size=32, image_size=(256, 256), shuffle=True,
                                 seed=None, validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                                 data_format=None, format="tf", verbose=True):
    """A `Dataset` of `(images, labels)` batches from `directory/<class name>/*.{jpg,png,...}`.

    Files are found, labelled and shuffled as Keras does (class folders alphabetically or in
    `class_names`' order; one seeded shuffle of the file list; `validation_split` takes the last
    fraction), then shuffled again per epoch in a buffer of `batch_size * 8` and loaded in
    parallel. Images are float32 `(batch, height, width, channels)` with values in `[0, 255]`.

    Args:
        directory: folder of class sub-folders (or of images, with `labels=None` or a list).
        labels: `"inferred"`, None, or a list of integer labels in the sorted file order.
        label_mode: `"int"` (int32), `"categorical"` (one-hot float32), `"binary"` (float32
            `(batch, 1)`) or None.
        class_names: explicit class folder names and order (with `labels="inferred"`).
        color_mode: `"rgb"`, `"rgba"` or `"grayscale"`.
        batch_size: images per batch, or None for single images. Defaults to 32.
        image_size: `(height, width)` every image is resized to. Defaults to `(256, 256)`.
            kerasish also takes None (no resize): then every image must have the same size to be
            batched.
        shuffle, seed: shuffle the files (and each epoch's order) with `seed`.
        validation_split, subset: fraction held out, and `"training"`, `"validation"` or
            `"both"` (returns `[train, val]`).
        interpolation: `"bilinear"` (default), `"nearest"`, `"bicubic"`, `"lanczos3"`,
            `"lanczos5"`.
        crop_to_aspect_ratio / pad_to_aspect_ratio: resize without distortion.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Example:

    ```python
    train, val = image_dataset_from_directory("photos", image_size=(180, 180), seed=1,
                                              validation_split=0.2, subset="both")
    train.class_names            # ['cats', 'dogs']
    model.fit(train, validation_data=val, epochs=2)
    ```
    """
    from kerasish.backend import config

    dataset_utils.check_labels_args(labels, label_mode, class_names, "image")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if color_mode not in _CHANNELS:
        raise ValueError(f'`color_mode` must be one of {{"rgb", "rgba", "grayscale"}}. Received: color_mode={color_mode!r}')
    image_size = _check_image_size(image_size)
    interpolation = _check_interpolation(interpolation)
    dataset_utils.check_format(format)
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`. "
                         f"Received: crop_to_aspect_ratio={crop_to_aspect_ratio}, pad_to_aspect_ratio={pad_to_aspect_ratio}")
    data_format = config.standardize_data_format(data_format)
    loader = _ImageLoader(image_size, _CHANNELS[color_mode], interpolation, data_format,
                          crop_to_aspect_ratio, pad_to_aspect_ratio)
    return dataset_utils.directory_datasets(
        directory, labels, label_mode, class_names, batch_size, shuffle, seed, validation_split, subset,
        follow_links, verbose, ALLOWLIST_FORMATS, "images", loader)


def _check_image_size(image_size):
    if image_size is None:
        return None
    if isinstance(image_size, int):
        return (image_size, image_size)
    if not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(f"Invalid `image_size` value. Expected a tuple of 2 integers. Received: image_size={image_size!r}")
    return tuple(int(v) for v in image_size)


def _check_interpolation(interpolation):
    interpolation = str(interpolation).lower()
    if interpolation not in _KERAS_INTERPOLATIONS:
        raise ValueError(f"Argument `interpolation` should be one of {_KERAS_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation!r}")
    if interpolation not in _SUPPORTED_INTERPOLATIONS:
        raise ValueError(f"`interpolation={interpolation!r}` is TensorFlow's own resize method and is not "
                         f"implemented by kerasish; use one of {_SUPPORTED_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation!r}")
    return interpolation


class _ImageLoader:
    """path -> float32 image tensor, as Keras decodes and resizes it."""

    def __init__(self, image_size, num_channels, interpolation, data_format, crop, pad):
        self.image_size, self.num_channels = image_size, num_channels
        self.interpolation, self.data_format, self.crop, self.pad = interpolation, data_format, crop, pad

    def decode(self, path):
        Image = pil_image()
        with open(path, "rb") as f:
            img = Image.open(f)
            img.load()  # an animated GIF gives its first frame, as Keras's `expand_animations=False`
        keep, target = {1: (("L", "I;16", "I"), "L"), 3: (("RGB",), "RGB"), 4: (("RGBA",), "RGBA")}[self.num_channels]
        if img.mode not in keep:
            img = img.convert(target)
        array = np.array(img)  # a writable copy (Pillow hands out read-only buffers)
        return torch.from_numpy(array if array.ndim == 3 else array[:, :, None])

    def __call__(self, path):
        from kerasish.ops import image as image_ops

        img = self.decode(path)
        img = img.to(torch.float32)
        if self.image_size is not None and (tuple(img.shape[:2]) != self.image_size or self.crop or self.pad):
            img = image_ops.resize(img, self.image_size, interpolation=self.interpolation,
                                   crop_to_aspect_ratio=self.crop, pad_to_aspect_ratio=self.pad,
                                   data_format="channels_last")
        if self.data_format == "channels_first":
            img = img.permute(2, 0, 1).contiguous()
        return img
