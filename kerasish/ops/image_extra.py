"""More of `keras.ops.image`: `scale_and_translate` (and the Lanczos resizing built on it),
`elastic_transform`, `ssim`, `extract_patches_3d`.

Resampling follows `jax.image.scale_and_translate`, as Keras does on every backend: for each
spatial axis a dense `(input, output)` weight matrix is built from a kernel (triangle, Keys cubic
or Lanczos) evaluated at the distance between each output sample's position in the input and
each input pixel centre, then contracted with the images (one `tensordot` per axis).
"""

import math

import torch
import torch.nn.functional as F

from kerasish.backend import config, dtypes
from kerasish.ops.convert import to_tensor
from kerasish.ops.dispatch import keras_op
from kerasish.ops.image_geometry import _check_mode, _ORDERS, _warp
from kerasish.random.seed_generator import torch_generator

_INT_DTYPES = (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64)


def _t(x):
    return x if isinstance(x, torch.Tensor) else to_tensor(x)


# ------------------------------------------------------------------ scale and translate
def _triangle(x):
    return torch.clamp(1.0 - x, min=0.0)


def _keys_cubic(x):
    # Keys (1981) cubic with a = -0.5, on |x|.
    near = ((1.5 * x - 2.5) * x) * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return torch.where(x >= 2.0, 0.0, torch.where(x >= 1.0, far, near))


def _lanczos(radius):
    def kernel(x):
        y = radius * torch.sin(math.pi * x) * torch.sin(math.pi * x / radius)
        # sinc(0) = 1; very small |x| is set to 1 as well, avoiding 0/0 and its gradient.
        safe = torch.where(x != 0, math.pi ** 2 * x ** 2, torch.ones_like(x))
        out = torch.where(x > 1e-3, y / safe, torch.ones_like(x))
        return torch.where(x > radius, 0.0, out)
    return kernel


_KERNELS = {"linear": _triangle, "bilinear": _triangle, "trilinear": _triangle,
            "cubic": _keys_cubic, "bicubic": _keys_cubic, "tricubic": _keys_cubic,
            "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0)}


def _weight_matrix(in_size, out_size, scale, translation, kernel, antialias, dtype):
    """(in_size, out_size) weights: column j samples the input at the position of output j."""
    device = scale.device
    inv_scale = 1.0 / scale
    # Downsampling with antialias widens the kernel by 1/scale (a low-pass filter).
    kernel_scale = torch.clamp(inv_scale, min=1.0) if antialias else 1.0
    sample = (torch.arange(out_size, dtype=dtype, device=device) + 0.5) * inv_scale \
        - translation * inv_scale - 0.5
    dist = torch.abs(sample[None, :] - torch.arange(in_size, dtype=dtype, device=device)[:, None])
    weights = kernel(dist / kernel_scale)
    total = weights.sum(dim=0, keepdim=True)
    ok = torch.abs(total) > 1000.0 * float(torch.finfo(torch.float32).eps)
    weights = torch.where(ok, weights / torch.where(total != 0, total, torch.ones_like(total)), 0.0)
    # Samples outside the input (beyond half a pixel) read zeros.
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return torch.where(inside[None, :], weights, 0.0)


def _resample(x, output_shape, spatial_dims, scale, translation, kernel, antialias):
    """Applies the per-axis weight matrices; ints are resampled in float32, rounded, clipped to
    the input's range."""
    is_int = not x.is_floating_point() and not x.is_complex()
    out = x.to(torch.float32) if is_int else x
    for i, d in enumerate(spatial_dims):
        d = d % x.ndim
        w = _weight_matrix(x.shape[d], int(output_shape[d]), scale[i], translation[i], kernel,
                           antialias, scale.dtype).to(out.dtype)
        out = torch.movedim(torch.tensordot(out, w, dims=([d], [0])), -1, d)
    if is_int:
        out = torch.clamp(torch.round(out), x.min().to(out.dtype), x.max().to(out.dtype))
        out = out.to(x.dtype)
    return out


def _float_vector(v, name, count):
    v = _t(v)
    if v.ndim != 1 or v.shape[0] != count:
        raise ValueError(f"`ops.image.scale_and_translate`: `{name}` must be a vector with one "
                         f"entry per spatial dim ({count}). Received: {name}={v.tolist()}")
    return v


@keras_op
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    """Resamples `images` to `output_shape`, mapping input location `x` of each spatial dim to
    `x * scale + translation` (pixel centres at `i + 0.5`; samples outside the input are 0).

    Args:
        images: the input array.
        output_shape: the full output shape (one entry per dim of `images`).
        scale, translation: one value per entry of `spatial_dims`.
        spatial_dims: the dims to resample.
        method: "linear"/"bilinear"/"trilinear", "cubic"/"bicubic"/"tricubic" (Keys cubic),
            "lanczos3" or "lanczos5".
        antialias: widen the kernel when downsampling. Defaults to `True`.

    Returns:
        The resampled array, of `images`'s dtype.

    Example:

    >>> x = np.arange(9, dtype="float32").reshape((3, 3))
    >>> ops.image.scale_and_translate(x, (5, 5), [2.0, 2.0], [-0.5, -0.5], (0, 1), "linear")[0]
    tensor([0.0000, 0.5000, 1.0000, 1.5000, 2.0000])
    """
    if method not in _KERNELS:
        raise ValueError("Invalid value for argument `method`. Expected one of "
                         f"{sorted(_KERNELS)}. Received: method={method}")
    images = _t(images)
    spatial_dims = tuple(int(d) for d in spatial_dims)
    if len(output_shape) != images.ndim:
        raise ValueError("`ops.image.scale_and_translate`: `output_shape` needs one entry per "
                         f"dim of `images` (rank {images.ndim}). Received: "
                         f"output_shape={tuple(output_shape)}")
    if any(not -images.ndim <= d < images.ndim for d in spatial_dims):
        raise ValueError("`ops.image.scale_and_translate`: `spatial_dims` out of range for "
                         f"images of rank {images.ndim}. Received: spatial_dims={spatial_dims}")
    scale = _float_vector(scale, "scale", len(spatial_dims))
    translation = _float_vector(translation, "translation", len(spatial_dims))
    name = dtypes.result_type(dtypes.dtype_name(scale.dtype), dtypes.dtype_name(translation.dtype))
    if not dtypes.to_torch_dtype(name).is_floating_point:
        name = dtypes.result_type(name, float)
    dtype = dtypes.to_torch_dtype(name)
    if not spatial_dims:
        return images
    return _resample(images, output_shape, spatial_dims, scale.to(dtype), translation.to(dtype),
                     _KERNELS[method], antialias)


def lanczos_resize(x, size, method, antialias):
    """`jax.image.resize` with a Lanczos kernel on NCHW float images: scale `out / in`, no
    translation; axes whose size does not change are left as they are (exact identity)."""
    dims = tuple(d for d, n in zip((2, 3), size) if x.shape[d] != n)
    if not dims:
        return x
    device = x.device
    scale = torch.tensor([size[d - 2] / x.shape[d] for d in dims], dtype=torch.float32,
                         device=device)
    translation = torch.zeros(len(dims), dtype=torch.float32, device=device)
    shape = (x.shape[0], x.shape[1], int(size[0]), int(size[1]))
    return _resample(x, shape, dims, scale, translation, _KERNELS[method], antialias)


# ------------------------------------------------------------------ elastic transform
def _gaussian_kernel1d(size, sigma, dtype, device):
    grid = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    k = torch.exp(-0.5 * (grid / sigma) ** 2)
    return k / k.sum()


def _band(size, kernel, pad):
    """(size, size + 2 pad - K + 1) matrix `T` with `x @ T` the 1-D correlation of `x` with
    `kernel` over zero padding `pad`: a separable Gaussian filter as two small matmuls, several
    times faster on CPU than a K x K single-channel convolution."""
    out = size + 2 * pad - kernel.numel() + 1
    offset = torch.arange(size, device=kernel.device)[:, None] - \
        torch.arange(out, device=kernel.device)[None, :] + pad
    inside = (offset >= 0) & (offset < kernel.numel())
    return torch.where(inside, kernel[offset.clamp(0, kernel.numel() - 1)], 0.0)


def _gaussian_filter(x, size, sigma, pad):
    """Gaussian filter (`size`, `sigma`) over the last two axes of `x`, zero padding `pad`."""
    k = _gaussian_kernel1d(size, sigma, x.dtype, x.device)
    return _band(x.shape[-2], k, pad).T @ x @ _band(x.shape[-1], k, pad)


def _smooth(field, sigma):
    """Gaussian blur of (B, H, W) displacement fields: kernel `int(6 sigma) | 1`, zero padding."""
    size = int(6 * sigma) | 1
    return _gaussian_filter(field, size, sigma, size // 2)


def _displacements(shape, sigma, dtype, device, seed):
    """Two standard-normal (B, H, W) fields times `sigma`, drawn as Keras's torch backend draws
    them: one generator seeded from `seed` for both; with `seed=None`, torch's global generator."""
    # Meta tensors (shape inference) have no generator; their values are never read.
    generator = None if seed is None or device.type == "meta" else torch_generator(seed, device)
    dx = torch.normal(0.0, 1.0, size=shape, generator=generator, dtype=dtype, device=device)
    dy = torch.normal(0.0, 1.0, size=shape, generator=generator, dtype=dtype, device=device)
    return dx * sigma, dy * sigma


@keras_op
def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    """Elastic deformation: each pixel moves by `alpha` times a random displacement field
    (normal noise times `sigma`, Gaussian-blurred with standard deviation `sigma`).

    Args:
        images: an image `(H, W, C)` or a batch `(B, H, W, C)` (channels_first alike).
        alpha: the deformation's strength. Defaults to `20.0`.
        sigma: the smoothness of the displacement fields. Defaults to `5.0`.
        interpolation: "bilinear" (default) or "nearest".
        fill_mode: "reflect" (default), "constant", "nearest", "wrap" or "mirror".
        fill_value: the value outside the image with `fill_mode="constant"`.
        seed: an int or a `SeedGenerator` (reproducible draws); None draws from torch's
            global generator, as Keras's torch backend does.
        data_format: "channels_last" or "channels_first"; defaults to `image_data_format()`.

    Example:

    >>> ops.image.elastic_transform(np.random.rand(2, 16, 16, 3), seed=1).shape
    torch.Size([2, 16, 16, 3])
    """
    if interpolation not in _ORDERS:
        raise ValueError("Invalid value for argument `interpolation`. Expected one of "
                         f"{sorted(_ORDERS)}. Received: interpolation={interpolation}")
    _check_mode(fill_mode)
    alpha, sigma = float(alpha), float(sigma)
    if sigma <= 0:
        raise ValueError(f"`ops.image.elastic_transform`: `sigma` must be > 0. Received: "
                         f"sigma={sigma}")
    data_format = config.standardize_data_format(data_format)
    images = _t(images)
    if images.ndim not in (3, 4):
        raise ValueError("Invalid images rank: expected rank 3 (single image) or rank 4 (batch "
                         f"of images). Received input with shape: images.shape="
                         f"{tuple(images.shape)}")
    single = images.ndim == 3
    x = images.unsqueeze(0) if single else images
    if data_format == "channels_first":
        x = x.permute(0, 2, 3, 1)
    b, h, w, _ = x.shape
    dtype = x.dtype if x.is_floating_point() else torch.float32
    dx, dy = _displacements((b, h, w), sigma, dtype, x.device, seed)
    ys, xs = torch.meshgrid(torch.arange(h, device=x.device), torch.arange(w, device=x.device),
                            indexing="ij")
    x_in = xs + alpha * _smooth(dx, sigma)
    y_in = ys + alpha * _smooth(dy, sigma)
    out = _warp(x, x_in, y_in, _ORDERS[interpolation], fill_mode, fill_value)
    if data_format == "channels_first":
        out = out.permute(0, 3, 1, 2)
    return out.squeeze(0) if single else out


# ------------------------------------------------------------------ SSIM
def _ssim_images(image, name):
    image = _t(image)
    if image.ndim not in (3, 4):
        raise ValueError(f"Invalid {name} rank: expected rank 3 (single image) or rank 4 (batch "
                         f"of images). Received input with shape: {name}.shape="
                         f"{tuple(image.shape)}")
    return image


@keras_op
def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    """Structural similarity (Wang et al., 2004) of two images or batches: local means,
    variances and covariance under a `filter_size` Gaussian window (valid positions only),
    averaged over positions and channels.

    Args:
        image1, image2: images `(H, W, C)` or batches `(B, H, W, C)` of the same shape.
        max_val: the images' dynamic range. Defaults to `1.0`.
        filter_size, filter_sigma: the Gaussian window. Defaults to `11` and `1.5`.
        k1, k2: the stabilising constants. Defaults to `0.01` and `0.03`.
        data_format: "channels_last" or "channels_first"; defaults to `image_data_format()`.

    Returns:
        One SSIM per image (a scalar for single images), of `image1`'s dtype.

    Example:

    >>> x = np.random.rand(2, 16, 16, 3).astype("float32")
    >>> ops.image.ssim(x, x)
    tensor([1., 1.])
    """
    data_format = config.standardize_data_format(data_format)
    image1, image2 = _ssim_images(image1, "image1"), _ssim_images(image2, "image2")
    if image1.shape != image2.shape:
        raise ValueError("`ops.image.ssim`: `image1` and `image2` must have the same shape. "
                         f"Received: image1.shape={tuple(image1.shape)}, image2.shape="
                         f"{tuple(image2.shape)}")
    out_dtype = image1.dtype
    compute = dtypes.to_torch_dtype(dtypes.result_type(dtypes.dtype_name(image1.dtype), float))
    single = image1.ndim == 3
    x, y = (im.to(compute).unsqueeze(0) if single else im.to(compute) for im in (image1, image2))
    if data_format == "channels_last":
        x, y = x.permute(0, 3, 1, 2), y.permute(0, 3, 1, 2)
    h, w = x.shape[-2:]
    if not isinstance(filter_size, int) or filter_size < 1 or filter_size > min(h, w):
        raise ValueError("`ops.image.ssim`: `filter_size` must be an int between 1 and the "
                         f"image's height and width ({h}x{w}). Received: filter_size={filter_size}")
    # Local means of x, y, x^2, y^2, xy over valid windows, all channels at once.
    means = _gaussian_filter(torch.stack([x, y, x * x, y * y, x * y]), filter_size,
                             float(filter_sigma), 0)
    mu1, mu2, xx, yy, xy = means.unbind(0)
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mu12, mu1_sq, mu2_sq = mu1 * mu2, mu1 * mu1, mu2 * mu2
    num = (2.0 * mu12 + c1) * (2.0 * (xy - mu12) + c2)
    den = (mu1_sq + mu2_sq + c1) * ((xx - mu1_sq) + (yy - mu2_sq) + c2)
    out = (num / den).mean(dim=(2, 3)).mean(dim=-1)
    return (out.squeeze(0) if single else out).to(out_dtype)


# ------------------------------------------------------------------ 3-D patches
def _triple(value, name):
    if isinstance(value, int):
        return (value,) * 3
    if isinstance(value, (tuple, list)) and len(value) == 3:
        return tuple(int(v) for v in value)
    raise ValueError(f"Invalid `{name}` argument: expected an int or a tuple of 3 ints. "
                     f"Received: {name}={value}")


def _same_padding(size, kernel, stride, dilation):
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


@keras_op
def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    """Patches of `size` (an int or (depth, height, width)) every `strides` from volumes, each
    flattened in (depth, row, column, channel) order into the channel axis:
    `(batch, d, h, w, pd * ph * pw * c)` (channels_last).

    Args:
        volumes: a volume `(D, H, W, C)` or a batch `(B, D, H, W, C)` (channels_first alike).
        size: the patch size.
        strides: the step between patches; defaults to `size` (no overlap).
        dilation_rate: the step between the samples of a patch. Defaults to 1.
        padding: "valid" (default) or "same".
        data_format: "channels_last" or "channels_first"; defaults to `image_data_format()`.

    Example:

    >>> ops.image.extract_patches_3d(np.zeros((2, 10, 10, 10, 3)), (3, 3, 3)).shape
    torch.Size([2, 3, 3, 3, 81])
    """
    size = _triple(size, "size")
    strides = size if strides is None else _triple(strides, "strides")
    dilation = _triple(dilation_rate, "dilation_rate")
    if min(size + strides + dilation) < 1:
        raise ValueError("`ops.image.extract_patches_3d`: sizes, strides and dilation rates must "
                         f"be >= 1. Received: size={size}, strides={strides}, "
                         f"dilation_rate={dilation_rate}")
    if padding not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding}")
    data_format = config.standardize_data_format(data_format)
    volumes = _t(volumes)
    if volumes.ndim not in (4, 5):
        raise ValueError("`ops.image.extract_patches_3d`: invalid volumes rank: expected rank 4 "
                         "(single volume) or rank 5 (batch of volumes). Received input with "
                         f"shape: volumes.shape={tuple(volumes.shape)}")
    single = volumes.ndim == 4
    x = volumes.unsqueeze(0) if single else volumes
    if data_format == "channels_first":
        x = x.permute(0, 2, 3, 4, 1)
    if padding == "same":
        pads = [_same_padding(x.shape[1 + i], size[i], strides[i], dilation[i]) for i in range(3)]
        x = F.pad(x, (0, 0) + pads[2] + pads[1] + pads[0])
    for i in range(3):  # strided window views: (B, D', H', W', C, span_d, span_h, span_w)
        span = (size[i] - 1) * dilation[i] + 1
        if x.shape[1 + i] < span:
            raise ValueError("`ops.image.extract_patches_3d`: the patch (with dilation) is "
                             f"larger than the volume. Received: size={size}, volumes.shape="
                             f"{tuple(volumes.shape)}")
        x = x.unfold(1 + i, span, strides[i])
    x = x[..., ::dilation[0], ::dilation[1], ::dilation[2]]
    b, d, h, w, c = x.shape[:5]
    patches = x.permute(0, 1, 2, 3, 5, 6, 7, 4).reshape(b, d, h, w, -1)
    if data_format == "channels_first":
        patches = patches.permute(0, 4, 1, 2, 3)
    return patches.squeeze(0) if single else patches
