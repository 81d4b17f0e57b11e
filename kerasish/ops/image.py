"""`kerasish.ops.image`: Keras's image ops (`keras.ops.image`) on torch.

Images are `(height, width, channels)` or batches `(batch, height, width, channels)` in
channels_last (the default `image_data_format`), or channels first; internally they are viewed as
NCHW for torch's kernels.

`scale_and_translate`, `elastic_transform`, `ssim` and `extract_patches_3d` live in
`image_extra.py`; `resize` uses its resampler for the Lanczos interpolations.
"""

import math

import torch
import torch.nn.functional as F

from kerasish.backend import config, dtypes
from kerasish.ops.convert import to_tensor
from kerasish.ops.dispatch import keras_op

from kerasish.ops.image_geometry import (  # noqa: E402,F401
    affine_transform, map_coordinates, perspective_transform,
)
from kerasish.ops.image_extra import (  # noqa: E402,F401
    elastic_transform, extract_patches_3d, lanczos_resize, scale_and_translate, ssim,
)

__all__ = ["affine_transform", "crop_images", "elastic_transform", "extract_patches",
           "extract_patches_3d", "gaussian_blur", "hsv_to_rgb", "map_coordinates", "pad_images",
           "perspective_transform", "resize", "rgb_to_grayscale", "rgb_to_hsv",
           "scale_and_translate", "sobel_edges", "ssim"]


def _t(x):
    return x if isinstance(x, torch.Tensor) else to_tensor(x)


def _images(images, op):
    images = _t(images)
    if images.ndim not in (3, 4):
        raise ValueError(
            f"`ops.image.{op}`: invalid images rank: expected rank 3 (single image) or rank 4 "
            f"(batch of images). Received input with shape: images.shape={tuple(images.shape)}")
    return images


def _to_nchw(images, data_format):
    """A 4-D NCHW view of images given in `data_format`, and whether a batch axis was added."""
    single = images.ndim == 3
    if single:
        images = images.unsqueeze(0)
    if data_format == "channels_last":
        images = images.permute(0, 3, 1, 2)
    return images, single


def _from_nchw(images, data_format, single):
    if data_format == "channels_last":
        images = images.permute(0, 2, 3, 1)
    return images.squeeze(0) if single else images


# ------------------------------------------------------------------ colour spaces
@keras_op
def rgb_to_grayscale(images, data_format=None):
    """Luma of RGB images (`0.2989 r + 0.587 g + 0.114 b`), keeping a channel axis of 1."""
    data_format = config.standardize_data_format(data_format)
    images = _images(images, "rgb_to_grayscale")
    axis = -3 if data_format == "channels_first" else -1
    if images.shape[axis] not in (1, 3):
        raise ValueError("Invalid channel size: expected 3 (RGB) or 1 (Grayscale). Received input "
                         f"with shape: images.shape={tuple(images.shape)}")
    if images.shape[axis] == 1:
        return images.clone()
    r, g, b = images.unbind(dim=axis)
    return (0.2989 * r + 0.587 * g + 0.114 * b).to(images.dtype).unsqueeze(axis)


def _float_images(images, op, data_format):
    data_format = config.standardize_data_format(data_format)
    images = _images(images, op)
    if not images.is_floating_point():
        raise ValueError("Invalid images dtype: expected float dtype. Received: images.dtype="
                         f"{dtypes.standardize_dtype(images.dtype)}")
    return images, (-1 if data_format == "channels_last" else -3)


@keras_op
def rgb_to_hsv(images, data_format=None):
    """RGB images (values in [0, 1]) to hue, saturation, value (each in [0, 1])."""
    images, axis = _float_images(images, "rgb_to_hsv", data_format)
    eps = torch.finfo(images.dtype).eps
    images = torch.where(images.abs() < eps, 0.0, images)
    r, g, b = images.unbind(axis)
    value = torch.maximum(torch.maximum(r, g), b)
    spread = value - torch.minimum(torch.minimum(r, g), b)
    saturation = torch.where(value > 0, spread / torch.where(value > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * torch.where(spread > 0, spread, 1.0))
    hue = torch.where(value == g, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0)
    hue = torch.where(value == r, norm * (g - b), hue)
    hue = torch.where(spread > 0, hue, 0.0) + (hue < 0.0).to(hue.dtype)
    return torch.stack((hue, saturation, value), dim=axis)


@keras_op
def hsv_to_rgb(images, data_format=None):
    """HSV images (each channel in [0, 1]) back to RGB."""
    images, axis = _float_images(images, "hsv_to_rgb", data_format)
    hue, saturation, value = images.unbind(axis)
    dh = torch.remainder(hue, 1.0) * 6.0
    dr = torch.clip(torch.abs(dh - 3.0) - 1.0, 0.0, 1.0)
    dg = torch.clip(2.0 - torch.abs(dh - 2.0), 0.0, 1.0)
    db = torch.clip(2.0 - torch.abs(dh - 4.0), 0.0, 1.0)
    grey = 1.0 - saturation
    return torch.stack([value * (grey + saturation * d) for d in (dr, dg, db)], dim=axis)


# ------------------------------------------------------------------ resizing
_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}
_LANCZOS = ("lanczos3", "lanczos5")
_INT_DTYPES = (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64)


def _aspect_box(height, width, size, grow):
    """(box height, box width, top, left) of the crop (`grow=False`) or pad (`grow=True`) box with
    the target's aspect ratio, centred."""
    th, tw = size
    bh = int(float(width * th) / tw)
    bw = int(float(height * tw) / th)
    if grow:
        bh, bw = max(height, bh), max(width, bw)
        return bh, bw, int(float(bh - height) / 2), int(float(bw - width) / 2)
    bh, bw = max(min(height, bh), 1), max(min(width, bw), 1)
    return bh, bw, int(float(height - bh) / 2), int(float(width - bw) / 2)


@keras_op
def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    """Resizes images to `size = (height, width)`.

    Args:
        interpolation: "bilinear" (default), "nearest", "bicubic", "lanczos3" or "lanczos5".
        antialias: low-pass filter when downsampling (bilinear and bicubic).
        crop_to_aspect_ratio / pad_to_aspect_ratio: first crop (centred) or pad (with
            `fill_value`) to the target's aspect ratio, so the image is not distorted.

    Example:

    >>> ops.image.resize(np.zeros((2, 32, 32, 3)), (16, 16)).shape
    torch.Size([2, 16, 16, 3])
    """
    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers. Received: size={size}")
    if size[0] <= 0 or size[1] <= 0:
        raise ValueError(f"`size` must have positive height and width. Received: size={size}")
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.")
    if interpolation not in _MODES and interpolation not in _LANCZOS:
        raise ValueError("Invalid value for argument `interpolation`. Expected one of "
                         f"{sorted(_MODES) + list(_LANCZOS)}. Received: "
                         f"interpolation={interpolation}")
    if fill_mode != "constant":
        raise ValueError("Invalid value for argument `fill_mode`. Only `'constant'` is supported. "
                         f"Received: fill_mode={fill_mode}")
    data_format = config.standardize_data_format(data_format)
    images = _images(images, "resize")
    out_dtype = images.dtype
    x, single = _to_nchw(images, data_format)
    if x.dtype not in (torch.float32, torch.float64):
        x = x.to(torch.float32)
    height, width = x.shape[-2:]
    if crop_to_aspect_ratio:
        bh, bw, top, left = _aspect_box(height, width, size, grow=False)
        x = x[:, :, top:top + bh, left:left + bw]
    elif pad_to_aspect_ratio:
        bh, bw, top, left = _aspect_box(height, width, size, grow=True)
        # Keras pads the same amount on both sides (`top`/`left` each), whatever the remainder.
        x = F.pad(x, (left, left, top, top), value=float(fill_value))
    if interpolation in _LANCZOS:
        # As `jax.image.resize` (Keras's torch backend refuses Lanczos): a separable resampling
        # with scale `out / in`; integer results are clipped to their dtype's range.
        out = lanczos_resize(x, tuple(size), interpolation, antialias)
        if out_dtype in _INT_DTYPES:
            info = torch.iinfo(out_dtype)
            out = out.clamp(info.min, info.max)
    else:
        aa = antialias and interpolation in ("bilinear", "bicubic")
        out = F.interpolate(x, size=tuple(size), mode=_MODES[interpolation],
                            align_corners=False if interpolation != "nearest" else None,
                            antialias=aa)
    if interpolation == "bicubic" and out_dtype == torch.uint8:
        out = out.clamp(0, 255)
    if out.dtype != out_dtype:
        if out_dtype in _INT_DTYPES:
            out = torch.round(out)
        out = out.to(out_dtype)
    return _from_nchw(out, data_format, single)


# ------------------------------------------------------------------ cropping and padding
def _exactly_two(a, b, target, names):
    if [a, b, target].count(None) != 1:
        raise ValueError(f"Must specify exactly two of {', '.join(names)}. Received: "
                         f"{names[0]}={a}, {names[1]}={b}, {names[2]}={target}")
    for value, name in zip((a, b, target), names):
        if value is not None and value < 0:
            raise ValueError(f"{name} must be >= 0. Received: {name}={value}")


def _hw_axes(images, data_format):
    return (-3, -2) if data_format == "channels_last" else (-2, -1)


@keras_op
def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):
    """Zero-pads images: give two of (top, bottom, target height) and two of (left, right,
    target width)."""
    data_format = config.standardize_data_format(data_format)
    images = _images(images, "pad_images")
    _exactly_two(top_padding, bottom_padding, target_height,
                 ("top_padding", "bottom_padding", "target_height"))
    _exactly_two(left_padding, right_padding, target_width,
                 ("left_padding", "right_padding", "target_width"))
    h_axis, w_axis = _hw_axes(images, data_format)
    height, width = images.shape[h_axis], images.shape[w_axis]
    top = target_height - bottom_padding - height if top_padding is None else top_padding
    bottom = target_height - top - height if bottom_padding is None else bottom_padding
    left = target_width - right_padding - width if left_padding is None else left_padding
    right = target_width - left - width if right_padding is None else right_padding
    for value, name in ((top, "top_padding"), (left, "left_padding"), (right, "right_padding"),
                        (bottom, "bottom_padding")):
        if value < 0:
            raise ValueError(f"{name} must be >= 0. Received: {name}={value}")
    pads = (0, 0, left, right, top, bottom) if data_format == "channels_last" else \
        (left, right, top, bottom)
    return F.pad(images, pads)


@keras_op
def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    """Crops images: give two of (top, bottom, target height) and two of (left, right, target
    width)."""
    data_format = config.standardize_data_format(data_format)
    images = _images(images, "crop_images")
    _exactly_two(top_cropping, bottom_cropping, target_height,
                 ("top_cropping", "bottom_cropping", "target_height"))
    _exactly_two(left_cropping, right_cropping, target_width,
                 ("left_cropping", "right_cropping", "target_width"))
    h_axis, w_axis = _hw_axes(images, data_format)
    height, width = images.shape[h_axis], images.shape[w_axis]
    top = height - target_height - bottom_cropping if top_cropping is None else top_cropping
    th = height - bottom_cropping - top if target_height is None else target_height
    left = width - target_width - right_cropping if left_cropping is None else left_cropping
    tw = width - right_cropping - left if target_width is None else target_width
    for value, name in ((top, "top_cropping"), (th, "target_height"), (left, "left_cropping"),
                        (tw, "target_width")):
        if value < 0:
            raise ValueError(f"{name} must be >= 0. Received: {name}={value}")
    if top + th > height or left + tw > width:
        raise ValueError(
            f"`ops.image.crop_images`: the crop box exceeds the image ({height}x{width}). "
            f"Received: top_cropping={top}, target_height={th}, left_cropping={left}, "
            f"target_width={tw}")
    return images.narrow(h_axis, top, th).narrow(w_axis, left, tw)


# ------------------------------------------------------------------ patches and filters
def _same_padding(size, kernel, stride, dilation):
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


@keras_op
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    """Patches of `size` (an int or (height, width)) every `strides`, each flattened in
    (row, column, channel) order into the channel axis: `(batch, rows, cols, ph * pw * c)`.
    A 3-tuple `size` extracts 3-D patches from volumes (see `extract_patches_3d`)."""
    if isinstance(size, int):
        ph = pw = size
    elif isinstance(size, (tuple, list)) and len(size) == 2:
        ph, pw = size
    elif isinstance(size, (tuple, list)) and len(size) == 3:
        return extract_patches_3d(images, size, strides, dilation_rate, padding, data_format)
    elif isinstance(size, (tuple, list)):
        raise ValueError("Invalid `size` argument. Expected a tuple of length 2 or 3. "
                         f"Received: size={size}")
    else:
        raise TypeError("Invalid `size` argument. Expected an int or a tuple. "
                        f"Received: size={size}")
    if padding not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding}")
    data_format = config.standardize_data_format(data_format)
    images = _images(images, "extract_patches")
    sh, sw = (ph, pw) if not strides else ((strides, strides) if isinstance(strides, int)
                                          else tuple(strides))
    dh, dw = (dilation_rate, dilation_rate) if isinstance(dilation_rate, int) else dilation_rate
    x, single = _to_nchw(images, data_format)
    n, c, h, w = x.shape
    if padding == "same":
        top, bottom = _same_padding(h, ph, sh, dh)
        left, right = _same_padding(w, pw, sw, dw)
        x = F.pad(x, (left, right, top, bottom))
    rows = (x.shape[2] - dh * (ph - 1) - 1) // sh + 1
    cols = (x.shape[3] - dw * (pw - 1) - 1) // sw + 1
    cols_out = F.unfold(x, (ph, pw), dilation=(dh, dw), stride=(sh, sw))  # (n, c*ph*pw, L)
    patches = cols_out.reshape(n, c, ph, pw, rows, cols).permute(0, 4, 5, 2, 3, 1)
    patches = patches.reshape(n, rows, cols, ph * pw * c)
    if data_format == "channels_first":
        patches = patches.permute(0, 3, 1, 2)
    return patches.squeeze(0) if single else patches


@keras_op
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs each channel with a Gaussian kernel of `kernel_size` and standard deviations
    `sigma` (zero padding, output the input's size for odd kernels)."""
    data_format = config.standardize_data_format(data_format)
    images = _images(images, "gaussian_blur")
    kh, kw = (int(k) for k in kernel_size)
    sy, sx = (float(s) for s in sigma)
    x, single = _to_nchw(images, data_format)

    def kernel1d(size, s):
        grid = torch.arange(size, dtype=x.dtype, device=x.device) - (size - 1) / 2
        k = torch.exp(-0.5 * (grid / s) ** 2)
        return k / k.sum()

    kernel = torch.outer(kernel1d(kw, sx), kernel1d(kh, sy)).view(1, 1, kh, kw)
    c = x.shape[1]
    out = F.conv2d(x, kernel.expand(c, 1, kh, kw), padding=kh // 2, groups=c)
    return _from_nchw(out, data_format, single)


@keras_op
def sobel_edges(images, data_format=None):
    """Sobel gradients of each channel: `(..., channels, 2)` with the vertical (dy) then
    horizontal (dx) response, as Keras stacks them."""
    data_format = config.standardize_data_format(data_format)
    images = _t(images)
    x = images.permute(0, 3, 1, 2) if data_format == "channels_last" else images
    c = x.shape[1]
    sx = torch.tensor([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=x.dtype, device=x.device)
    kx = sx.view(1, 1, 3, 3).repeat(c, 1, 1, 1)
    ky = sx.T.contiguous().view(1, 1, 3, 3).repeat(c, 1, 1, 1)
    edges = torch.stack([F.conv2d(x, ky, padding=1, groups=c), F.conv2d(x, kx, padding=1, groups=c)],
                        dim=-1)
    return edges.permute(0, 2, 3, 1, 4) if data_format == "channels_last" else edges
