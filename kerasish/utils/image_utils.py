"""Images as arrays: `load_img`, `img_to_array`, `array_to_img`, `save_img` (Keras's semantics).

Reading and writing image files uses Pillow (`pip install kerasish[image]`), imported only when needed.
"""

import os
import warnings

import numpy as np

from kerasish.backend import config

# interpolation name -> Pillow resampling filter name
_RESAMPLING = {"nearest": "NEAREST", "bilinear": "BILINEAR", "bicubic": "BICUBIC",
               "hamming": "HAMMING", "box": "BOX", "lanczos": "LANCZOS"}
# color_mode -> (Pillow modes kept as they are, mode to convert to)
_COLOR_MODES = {"grayscale": (("L", "I;16", "I"), "L"), "rgb": (("RGB",), "RGB"),
                "rgba": (("RGBA",), "RGBA")}
_ARRAY_MODES = {4: ("RGBA", "uint8"), 3: ("RGB", "uint8")}


def pil_image():
    """Pillow's `Image` module, or an ImportError saying how to install it."""
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError("Image files need Pillow: `pip install Pillow` (or `pip install kerasish[image]`).") from e
    return Image


def _data_format(data_format):
    return config.standardize_data_format(data_format)


def img_to_array(img, data_format=None, dtype=None):
    """A Pillow image (or array) as a 3D float array: `(height, width, channels)` by default.

    Example:

    ```python
    x = img_to_array(load_img("cat.png"))   # shape (h, w, 3), float32
    ```
    """
    data_format = _data_format(data_format)
    x = np.asarray(img, dtype=dtype or config.floatx())
    if x.ndim == 2:
        return x.reshape((1,) + x.shape if data_format == "channels_first" else x.shape + (1,))
    if x.ndim != 3:
        raise ValueError(f"Expected an image array of rank 2 or 3. Received: shape={x.shape}")
    return x.transpose(2, 0, 1) if data_format == "channels_first" else x


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A 3D array as a Pillow image. With `scale`, values are rescaled to `[0, 255]` first.

    Example:

    ```python
    img = array_to_img(np.random.rand(8, 8, 3))
    ```
    """
    Image = pil_image()
    x = np.asarray(x, dtype=dtype or config.floatx())
    if x.ndim != 3:
        raise ValueError(f"Expected an image array of rank 3 (single image). Received: shape={x.shape}")
    if _data_format(data_format) == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        x_max = np.max(x)
        if x_max != 0:
            x = x / x_max
        x = x * 255
    channels = x.shape[2]
    if channels in _ARRAY_MODES:
        mode, array_dtype = _ARRAY_MODES[channels]
        return Image.fromarray(x.astype(array_dtype), mode)
    if channels == 1:
        if np.max(x) > 255:
            return Image.fromarray(x[:, :, 0].astype("int32"), "I")  # 32-bit integer pixels
        return Image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported number of channels: expected 1, 3 or 4. Received: {channels}")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves an array as an image file (format from `file_format` or the file name).

    Example:

    >>> keras.utils.save_img("image.png", np.zeros((4, 6, 3)))
    >>> keras.utils.load_img("image.png").size  # (width, height)
    (6, 4)
    """
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and (file_format in ("jpg", "jpeg") or str(path).lower().endswith((".jpg", ".jpeg"))):
        warnings.warn("The JPG format does not support RGBA images, converting to RGB.", stacklevel=2)
        img = img.convert("RGB")
    if file_format == "jpg":
        file_format = "jpeg"
    img.save(path, format=file_format, **kwargs)


def _crop_to_aspect(img, width, height):
    w, h = img.size
    crop_h, crop_w = min(h, int(w * height / width)), min(w, int(h * width / height))
    top, left = (h - crop_h) // 2, (w - crop_w) // 2
    return img.crop((left, top, left + crop_w, top + crop_h))


def load_img(path, grayscale=False, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):
    """Loads an image file as a Pillow image.

    Args:
        path: file path (str or `pathlib.Path`) or a binary file object.
        grayscale: Keras 1 spelling of `color_mode="grayscale"`.
        color_mode: `"rgb"` (default), `"rgba"` or `"grayscale"`.
        target_size: `(height, width)` to resize to, or None.
        interpolation: resampling for the resize: `"nearest"` (default), `"bilinear"`, `"bicubic"`,
            `"hamming"`, `"box"` or `"lanczos"`.
        keep_aspect_ratio: center-crop to the target aspect ratio before resizing.

    Example:

    ```python
    img = load_img("cat.png", target_size=(64, 64))
    ```
    """
    Image = pil_image()
    if grayscale:
        warnings.warn("`grayscale` is deprecated. Use `color_mode='grayscale'`.", stacklevel=2)
        color_mode = "grayscale"
    if color_mode not in _COLOR_MODES:
        raise ValueError(f"`color_mode` must be one of {sorted(_COLOR_MODES)}. Received: color_mode={color_mode!r}")
    if isinstance(path, (str, os.PathLike)):
        with open(path, "rb") as f:
            img = Image.open(f)
            img.load()
    elif hasattr(path, "read"):
        img = Image.open(path)
    else:
        raise TypeError(f"`path` must be a file path or a binary file object. Received: path={path!r}")
    keep, convert_to = _COLOR_MODES[color_mode]
    if img.mode not in keep:
        img = img.convert(convert_to)
    if target_size is not None:
        width, height = target_size[1], target_size[0]
        if img.size != (width, height):
            if interpolation not in _RESAMPLING:
                raise ValueError(f"Invalid interpolation method: expected one of {sorted(_RESAMPLING)}. "
                                 f"Received: interpolation={interpolation!r}")
            if keep_aspect_ratio:
                img = _crop_to_aspect(img, width, height)
            img = img.resize((width, height), getattr(Image.Resampling, _RESAMPLING[interpolation]))
    return img
