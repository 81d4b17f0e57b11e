"""`STFTSpectrogram`: a short-time Fourier transform computed as a (trainable) 1D convolution."""

import math
import warnings

import torch

from kerasish import initializers
from kerasish.backend import config as backend_config
from kerasish.backend import dtypes
from kerasish.initializers import stft_windows
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer
from kerasish.ops.nn_conv import conv

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


def _check_arguments(mode, frame_length, frame_step, fft_length, padding):
    if not isinstance(frame_length, int) or isinstance(frame_length, bool) or frame_length < 1:
        raise ValueError(f"`frame_length` should be a positive integer. "
                         f"Received: frame_length={frame_length!r}")
    if frame_step is not None and (frame_step > frame_length or frame_step < 1):
        raise ValueError("`frame_step` should be a positive integer not greater than "
                         f"`frame_length`. Received: frame_step={frame_step}, "
                         f"frame_length={frame_length}")
    if fft_length is not None and fft_length < frame_length:
        raise ValueError("`fft_length` should be not less than `frame_length`. "
                         f"Received: fft_length={fft_length}, frame_length={frame_length}")
    if fft_length is not None and (fft_length & -fft_length) != fft_length:
        warnings.warn(f"`fft_length` is recommended to be a power of two. "
                      f"Received: fft_length={fft_length}", stacklevel=3)
    if mode not in _MODES:
        raise ValueError(f"Output mode is invalid, it must be one of {', '.join(_MODES)}. "
                         f"Received: mode={mode!r}")
    if padding not in ("valid", "same"):
        raise ValueError(f"Padding is invalid, it should be 'valid', 'same'. "
                         f"Received: padding={padding!r}")


class STFTSpectrogram(Layer):
    """Spectrograms of 1D signals from a short-time Fourier transform (STFT) computed as a
    convolution, so that its kernels can be fine-tuned.

    Each input channel is transformed on its own with the same kernels.

    Args:
        mode: the output: `"log"` (log magnitude), `"magnitude"`, `"psd"` (power spectral
            density), `"real"`, `"imag"`, `"angle"` or `"stft"` (real and imaginary parts
            concatenated along the frequencies). Defaults to `"log"`.
        frame_length: samples per frame (window). Defaults to `256`.
        frame_step: samples between frames. Defaults to `frame_length // 2`.
        fft_length: FFT size, at least `frame_length` (a power of two is recommended).
            Defaults to the smallest power of two not less than `frame_length`.
        window: a scipy window name (`"hann"`, `"hamming"`, ...) or an array of
            `frame_length` values. Defaults to `"hann"`.
        periodic: whether the window is periodic. Defaults to `False`.
        scaling: `"density"`, `"spectrum"` or `None`: how the window is normalised.
            Defaults to `"density"`.
        padding: `"valid"` or `"same"`. Defaults to `"valid"`.
        expand_dims: give each channel its own axis (`(batch, time, freq, channels)`), an
            image for image models. Defaults to `False`.
        data_format: `"channels_last"` (`(batch, time, channels)`) or `"channels_first"`.
            Defaults to `image_data_format()`.

    Input shape:
        `(batch, time, channels)` (channels last) or `(batch, channels, time)`.

    Output shape:
        `(batch, frames, channels * freq)` (channels last) or `(batch, channels * freq, frames)`;
        with `expand_dims`, `(batch, frames, freq, channels)` or `(batch, channels, frames,
        freq)`; `freq` is `fft_length // 2 + 1` (twice that for `"stft"`).

    Example:

    ```python
    layer = kerasish.layers.STFTSpectrogram(frame_length=256, frame_step=128, fft_length=512)
    layer(np.random.rand(3, 16000, 1).astype("float32")).shape  # (3, 124, 257)
    ```
    """

    def __init__(self, mode="log", frame_length=256, frame_step=None, fft_length=None,
                 window="hann", periodic=False, scaling="density", padding="valid",
                 expand_dims=False, data_format=None, **kwargs):
        _check_arguments(mode, frame_length, frame_step, fft_length, padding)
        stft_windows.check_scaling(scaling)
        stft_windows.check_window(window)
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = backend_config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        for side in ("real", "imag"):
            if self.mode != {"real": "imag", "imag": "real"}[side]:
                init = initializers.STFT(side, self.window, self.scaling, self.periodic)
                setattr(self, f"{side}_kernel",
                        self.add_weight(name=f"{side}_kernel", shape=shape, initializer=init))

    def _apply_conv(self, inputs, kernel):
        """`(batch, channels, freq, frames)`: every channel convolved with `kernel`."""
        if self.data_format == "channels_last":
            x = inputs.transpose(1, 2)
        else:
            x = inputs
        channels, time = x.shape[1], x.shape[2]
        x = x.reshape(-1, 1, time)
        out = conv(x, kernel.to(x.dtype), strides=self._frame_step, padding=self.padding,
                   data_format="channels_first")
        return out.reshape(-1, channels, out.shape[1], out.shape[2])

    def _adjust_shapes(self, x):
        batch, channels, freq, frames = x.shape
        if self.expand_dims:
            order = (0, 3, 2, 1) if self.data_format == "channels_last" else (0, 1, 3, 2)
            return x.permute(*order)
        x = x.reshape(batch, channels * freq, frames)
        return x.transpose(1, 2) if self.data_format == "channels_last" else x

    def call(self, inputs):
        if dtypes.standardize_dtype(inputs.dtype) not in ("float16", "float32", "float64"):
            raise TypeError("Invalid input type. Expected `float16`, `float32` or `float64`. "
                            f"Received: input type={dtypes.standardize_dtype(inputs.dtype)}")
        real = self._apply_conv(inputs, self.real_kernel) if self.mode != "imag" else None
        imag = self._apply_conv(inputs, self.imag_kernel) if self.mode != "real" else None
        if self.mode in ("real", "imag"):
            return self._adjust_shapes(real if self.mode == "real" else imag)
        if self.mode == "angle":
            return self._adjust_shapes(torch.atan2(imag, real))
        if self.mode == "stft":
            return self._adjust_shapes(torch.cat([real, imag], dim=2))
        power = torch.square(real) + torch.square(imag)
        if self.mode == "psd":
            # One-sided density: every bin but the first and last counts twice.
            inner = torch.nn.functional.pad(power[:, :, 1:-1, :], (0, 0, 1, 1))
            return self._adjust_shapes(power + inner)
        eps = backend_config.epsilon()
        magnitude = self._adjust_shapes(torch.sqrt(torch.clamp(power, min=eps)))
        if self.mode == "magnitude":
            return magnitude
        return torch.log(torch.clamp(magnitude, min=eps))

    def _frames(self, time):
        if time is None:
            return None
        if self.padding == "same":
            return (time + self._frame_step - 1) // self._frame_step
        return (time - self.frame_length) // self._frame_step + 1

    def compute_output_shape(self, input_shape):
        last = self.data_format == "channels_last"
        batch = input_shape[0]
        channels, time = (input_shape[2], input_shape[1]) if last else \
            (input_shape[1], input_shape[2])
        freq = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        frames = self._frames(time)
        if self.expand_dims:
            return (batch, frames, freq, channels) if last else (batch, channels, frames, freq)
        flat = None if channels is None else channels * freq
        return (batch, frames, flat) if last else (batch, flat, frames)

    def get_config(self):
        config = super().get_config()
        window = self.window.tolist() if hasattr(self.window, "tolist") else self.window
        config.update({"mode": self.mode, "frame_length": self.frame_length,
                       "frame_step": self.frame_step, "fft_length": self.fft_length,
                       "window": window, "periodic": self.periodic, "scaling": self.scaling,
                       "padding": self.padding, "data_format": self.data_format,
                       "expand_dims": self.expand_dims})
        return config
