"""`kerasish.ops.math`: Keras's `keras.ops.math` ops — segment reductions, top-k, special
functions, FFTs and short-time Fourier transforms — on torch.

Complex values travel as `(real, imag)` pairs of float tensors, as in Keras.
"""

import math

import torch
import torch.nn.functional as F

from kerasish.backend import dtypes
from kerasish.ops.convert import to_tensor
from kerasish.ops.dispatch import keras_op

__all__ = ["cdist", "erf", "erfc", "erfinv", "extract_sequences", "fft", "fft2", "ifft2",
           "in_top_k", "irfft", "istft", "logdet", "logsumexp", "rfft", "rsqrt", "segment_max",
           "segment_min", "segment_prod", "segment_sum", "stft", "top_k", "view_as_complex",
           "view_as_real"]


def _t(x):
    return x if isinstance(x, torch.Tensor) else to_tensor(x)


# ------------------------------------------------------------------ segment reductions
_FILL = {"sum": 0.0, "prod": 1.0, "amax": -math.inf, "amin": math.inf}


def _segment(op, data, segment_ids, num_segments, reduce):
    data, segment_ids = _t(data), _t(segment_ids)
    if segment_ids.ndim > 1:
        raise ValueError(
            f"`ops.{op}`: argument `segment_ids` should be an 1-D vector, got shape: "
            f"{tuple(segment_ids.shape)}. Flatten it (and `data` alike) or vectorize with vmap.")
    if segment_ids.shape[0] != data.shape[0]:
        raise ValueError(
            f"`ops.{op}`: argument `segment_ids` and `data` should have same leading dimension. "
            f"Got {tuple(segment_ids.shape)} v.s. {tuple(data.shape)}.")
    ids = segment_ids.to(torch.int64)
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.numel() else 0
    # Out-of-range ids (negative ones included) go to an extra segment that is dropped.
    ids = torch.where((ids >= 0) & (ids < num_segments), ids, num_segments)
    index = ids.reshape((-1,) + (1,) * (data.ndim - 1)).expand(data.shape)
    out = torch.full((num_segments + 1,) + tuple(data.shape[1:]), _FILL[reduce],
                     dtype=torch.float32, device=data.device)
    out = out.scatter_reduce(0, index, data.float(), reduce)
    return out[:-1].to(data.dtype)


@keras_op
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums of the rows of `data` that share a segment id (empty segments give 0).

    Example:

    >>> ops.segment_sum(ops.convert_to_tensor([1, 2, 10, 20]), [0, 0, 1, 1])   # [3, 30]
    tensor([ 3, 30], dtype=torch.int32)
    """
    return _segment("segment_sum", data, segment_ids, num_segments, "sum")


@keras_op
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Maxima per segment (empty segments give -inf, cast to `data`'s dtype).

    Example:

    >>> ops.segment_max(ops.convert_to_tensor([1.0, 2.0, 10.0, 20.0]), ops.convert_to_tensor([0, 0, 1, 1]))
    tensor([ 2., 20.])
    """
    return _segment("segment_max", data, segment_ids, num_segments, "amax")


@keras_op
def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """Minima per segment (empty segments give +inf, cast to `data`'s dtype).

    Example:

    >>> ops.segment_min(ops.convert_to_tensor([1.0, 2.0, 10.0, 20.0]), ops.convert_to_tensor([0, 0, 1, 1]))
    tensor([ 1., 10.])
    """
    return _segment("segment_min", data, segment_ids, num_segments, "amin")


@keras_op
def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """Products per segment (empty segments give 1).

    Example:

    >>> ops.segment_prod(ops.convert_to_tensor([1.0, 2.0, 10.0, 20.0]), ops.convert_to_tensor([0, 0, 1, 1]))
    tensor([  2., 200.])
    """
    return _segment("segment_prod", data, segment_ids, num_segments, "prod")


# ------------------------------------------------------------------ top-k and reductions
@keras_op
def top_k(x, k, sorted=True):
    """The `k` largest values of `x` along its last axis and their indices.

    Example:

    >>> values, indices = ops.top_k(ops.convert_to_tensor([1.0, 5.0, 3.0]), k=2)
    >>> values, indices
    (tensor([5., 3.]), tensor([1, 2]))
    """
    return torch.topk(_t(x), k, sorted=sorted)


@keras_op
def in_top_k(targets, predictions, k):
    """Whether each target class is among the `k` highest predictions of its row (ties count).

    Example:

    >>> ops.in_top_k(ops.convert_to_tensor([1, 0]), ops.convert_to_tensor([[0.1, 0.9], [0.8, 0.2]]), k=1)
    tensor([True, True])
    """
    targets = _t(targets).to(torch.int64)[:, None]
    predictions = _t(predictions)
    kth = torch.topk(predictions, k).values
    return torch.any(torch.take_along_dim(predictions, targets, dim=-1) >= kth, dim=-1)


@keras_op
def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x)))` over `axis`, computed stably.

    Example:

    >>> ops.logsumexp(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    tensor([3.1269, 4.1269])
    """
    x = _t(x)
    axis = tuple(range(x.ndim)) if axis is None else axis
    return torch.logsumexp(x, dim=axis, keepdim=keepdims)


@keras_op
def cdist(x, y):
    """Euclidean distances between the rows of `x` (..., P, M) and of `y` (..., R, M).

    Example:

    >>> ops.cdist(ops.convert_to_tensor([[0.0, 0.0]]), ops.convert_to_tensor([[3.0, 4.0], [1.0, 0.0]]))
    tensor([[5., 1.]])
    """
    x, y = _t(x), _t(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError("`cdist` inputs must have rank >= 2. Received: x.shape="
                         f"{tuple(x.shape)}, y.shape={tuple(y.shape)}")
    if x.shape[-1] != y.shape[-1]:
        raise ValueError("Last dimension of inputs to `cdist` must match. Received: x.shape="
                         f"{tuple(x.shape)}, y.shape={tuple(y.shape)}")
    diff = x.unsqueeze(-2) - y.unsqueeze(-3)
    return torch.sqrt(torch.sum(diff * diff, dim=-1))


@keras_op
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of `sequence_length` samples every `sequence_stride` along the last axis.

    Example:

    >>> ops.extract_sequences(ops.arange(6), 3, 2)
    tensor([[0, 1, 2],
            [2, 3, 4]], dtype=torch.int32)
    """
    return torch.unfold_copy(_t(x), dimension=-1, size=sequence_length, step=sequence_stride)


# ------------------------------------------------------------------ special functions
@keras_op
def rsqrt(x):
    """`1 / sqrt(x)`.

    Example:

    >>> ops.rsqrt(ops.convert_to_tensor([0.5, 1.0]))
    tensor([1.4142, 1.0000])
    """
    return torch.rsqrt(_t(x))


@keras_op
def erf(x):
    """The error function.

    Example:

    >>> ops.erf(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0.5205, 0.8427])
    """
    return torch.erf(_t(x))


@keras_op
def erfc(x):
    """The complementary error function `1 - erf(x)`.

    Example:

    >>> ops.erfc(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0.4795, 0.1573])
    """
    return torch.erfc(_t(x))


@keras_op
def erfinv(x):
    """The inverse of the error function.

    Example:

    >>> ops.erfinv(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0.4769,    inf])
    """
    return torch.erfinv(_t(x))


@keras_op
def logdet(x):
    """`log(det(x))` of each square matrix.

    Example:

    >>> ops.logdet(ops.convert_to_tensor([[4.0, 2.0], [2.0, 3.0]]))
    tensor(2.0794)
    """
    return torch.logdet(_t(x))


@keras_op
def view_as_complex(x):
    """A complex64 tensor from `x`'s last axis of (real, imag) pairs.

    Example:

    >>> ops.view_as_complex(ops.convert_to_tensor([[1.0, 2.0]]))
    tensor([1.+2.j])
    """
    x = _t(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError("Last dimension of input must be size 2 (real and imaginary). "
                         f"Received shape: {tuple(x.shape)}")
    return torch.complex(x[..., 0].to(torch.float32), x[..., 1].to(torch.float32))


@keras_op
def view_as_real(x):
    """The (real, imag) pairs of a complex tensor along a new last axis.

    Example:

    >>> ops.view_as_real(ops.view_as_complex(ops.convert_to_tensor([[1.0, 2.0]])))
    tensor([[1., 2.]])
    """
    x = _t(x)
    if not x.is_complex():
        return torch.stack((x, torch.zeros_like(x)), dim=-1)
    return torch.stack((x.real, x.imag), dim=-1)


# ------------------------------------------------------------------ Fourier transforms
def _complex(x, op):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"`ops.{op}`: input `x` should be a tuple of two tensors - real and "
                         f"imaginary. Received: x={x}")
    real, imag = _t(x[0]), _t(x[1])
    if real.shape != imag.shape:
        raise ValueError(f"`ops.{op}`: the real and imaginary parts should have the same shape. "
                         f"Received: x[0].shape = {tuple(real.shape)}, x[1].shape = "
                         f"{tuple(imag.shape)}")
    if not real.is_floating_point() or not imag.is_floating_point():
        raise ValueError(f"`ops.{op}`: at least one tensor in input `x` is not of type float. "
                         f"Received: x={x}.")
    return torch.complex(real, imag)


def _pair(z):
    return z.real, z.imag


@keras_op
def fft(x):
    """The FFT along the last axis of the complex `(real, imag)` input; returns `(real, imag)`.

    Example:

    >>> real, imag = ops.fft((ops.convert_to_tensor([1.0, 0.0, 0.0, 0.0]), ops.zeros(4)))
    >>> real
    tensor([1., 1., 1., 1.])
    """
    return _pair(torch.fft.fft(_complex(x, "fft")))


@keras_op
def fft2(x):
    """The 2-D FFT over the last two axes of `(real, imag)`.

    Example:

    >>> real, imag = ops.fft2((ops.ones((2, 2)), ops.zeros((2, 2))))
    >>> real
    tensor([[4., 0.],
            [0., 0.]])
    """
    return _pair(torch.fft.fft2(_complex(x, "fft2")))


@keras_op
def ifft2(x):
    """The inverse 2-D FFT over the last two axes of `(real, imag)`.

    Example:

    >>> real, imag = ops.ifft2((ops.ones((2, 2)), ops.zeros((2, 2))))
    >>> real
    tensor([[1., 0.],
            [0., 0.]])
    """
    return _pair(torch.fft.ifft2(_complex(x, "ifft2")))


@keras_op
def rfft(x, fft_length=None):
    """The FFT of a real signal along its last axis (the non-negative frequencies), as
    `(real, imag)`.

    Example:

    >>> real, imag = ops.rfft(ops.convert_to_tensor([1.0, 2.0, 3.0, 4.0]))
    >>> real, imag
    (tensor([10., -2., -2.]), tensor([0., 2., 0.]))
    """
    return _pair(torch.fft.rfft(_t(x), n=fft_length, dim=-1, norm="backward"))


@keras_op
def irfft(x, fft_length=None):
    """The real signal whose `rfft` is the `(real, imag)` input.

    Example:

    >>> ops.irfft(ops.rfft(ops.convert_to_tensor([1.0, 2.0, 3.0, 4.0])))
    tensor([1., 2., 3., 4.])
    """
    return torch.fft.irfft(_complex(x, "irfft"), n=fft_length, dim=-1, norm="backward")


def _window(window, length, dtype, device):
    if window is None:
        return None
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError('If a string is passed to `window`, it must be one of `"hann"`, '
                             f'`"hamming"`. Received: window={window}')
        make = torch.hann_window if window == "hann" else torch.hamming_window
        return make(length, periodic=True, dtype=dtype, device=device)
    win = _t(window).to(dtype)
    if win.ndim != 1 or win.shape[-1] != length:
        raise ValueError("The shape of `window` must be equal to [sequence_length]. Received: "
                         f"window shape={tuple(win.shape)}")
    return win


def _check_stride(sequence_stride):
    if not isinstance(sequence_stride, int) or sequence_stride <= 0:
        raise ValueError("`sequence_stride` must be a positive integer. Received: "
                         f"sequence_stride={sequence_stride}")


@keras_op
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """The short-time Fourier transform of the real signal `x` along its last axis: frames of
    `sequence_length` samples every `sequence_stride`, each windowed and transformed with
    `fft_length` points. Returns `(real, imag)` of shape `(..., frames, fft_length // 2 + 1)`.

    Example:

    >>> real, imag = ops.stft(ops.ones((1, 16)), sequence_length=8, sequence_stride=4, fft_length=8)
    >>> real.shape
    torch.Size([1, 5, 5])
    """
    _check_stride(sequence_stride)
    x = _t(x)
    if dtypes.standardize_dtype(x.dtype) not in ("float32", "float64"):
        raise TypeError("Invalid input type. Expected `float32` or `float64`. Received: input "
                        f"type={x.dtype}")
    if fft_length < sequence_length:
        raise ValueError("`fft_length` must equal or larger than `sequence_length`. Received: "
                         f"sequence_length={sequence_length}, fft_length={fft_length}")
    win = _window(window, sequence_length, x.dtype, x.device)
    if win is None:
        win = torch.ones(sequence_length, dtype=x.dtype, device=x.device)
    *batch, samples = x.shape
    flat = x.reshape(-1, samples)
    z = torch.stft(flat, n_fft=fft_length, hop_length=sequence_stride, win_length=sequence_length,
                   window=win, center=center, return_complex=True)
    z = z.reshape(tuple(batch) + tuple(z.shape[-2:])).swapaxes(-2, -1)
    return z.real, z.imag


def _overlap_add(frames, stride):
    """Sums frames (..., n, length) placed every `stride` samples."""
    *batch, n, length = frames.shape
    if stride > length:
        raise ValueError(f"`sequence_stride` must equal or less than x.shape[-1]. Received: "
                         f"sequence_stride={stride}, x.shape[-1]={length}")
    total = stride * (n - 1) + length
    flat = frames.reshape(-1, n, length).transpose(1, 2)  # (B, length, n)
    out = F.fold(flat, output_size=(1, total), kernel_size=(1, length), stride=(1, stride))
    return out.reshape(tuple(batch) + (total,))


@keras_op
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    """The inverse of `stft`: the real signal from `(real, imag)` frames.

    Example:

    >>> x = ops.stft(ops.ones((1, 16)), 8, 4, 8)
    >>> ops.istft(x, 8, 4, 8).shape
    torch.Size([1, 16])
    """
    _check_stride(sequence_stride)
    z = _complex(x, "istft")
    win = _window(window, sequence_length, z.real.dtype, z.device)
    if sequence_length == fft_length and center and win is not None:
        *batch, frames, bins = z.shape
        flat = z.reshape(-1, frames, bins).swapaxes(-2, -1)
        out = torch.istft(flat, n_fft=fft_length, hop_length=sequence_stride,
                          win_length=sequence_length, window=win, center=center, length=length,
                          return_complex=False)
        return out.reshape(tuple(batch) + (out.shape[-1],))
    frames = torch.fft.irfft(z, n=fft_length, dim=-1, norm="backward")
    expected = fft_length + sequence_stride * (frames.shape[-2] - 1)
    if win is not None:
        left = (fft_length - sequence_length) // 2
        win = F.pad(win, (left, fft_length - sequence_length - left))
        # Divide by the summed squared window that overlaps each sample (the WOLA normalization).
        overlaps = -(-fft_length // sequence_stride)
        denom = F.pad(win * win, (0, overlaps * sequence_stride - fft_length))
        denom = denom.reshape(overlaps, sequence_stride).sum(0, keepdim=True)
        denom = denom.tile(overlaps, 1).reshape(-1)[:fft_length]
        frames = frames * (win / denom)
    signal = _overlap_add(frames, sequence_stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = -(fft_length // 2)
    else:
        end = expected
    return signal[..., start:end]
