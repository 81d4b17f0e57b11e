"""`MelSpectrogram`: raw audio to (decibel) Mel spectrograms."""

import torch

from kerasish.backend import dtypes
from kerasish.layers.layer import Layer
from kerasish.ops.math import stft

# HTK's mel scale: mel(f) = 1127 ln(1 + f / 700).
_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(hertz):
    return _MEL_HIGH_FREQUENCY_Q * torch.log(1.0 + hertz / _MEL_BREAK_FREQUENCY_HERTZ)


def _linspace(start, stop, num):
    # Keras's torch linspace for tensor endpoints (the arithmetic decides the last bits).
    steps = torch.arange(num, dtype=start.dtype, device=start.device) / (num - 1)
    return start[None] + steps * (stop - start)[None]


def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sampling_rate=8000,
                                lower_edge_hertz=125.0, upper_edge_hertz=3800.0,
                                dtype=torch.float32, device=None):
    """`(num_spectrogram_bins, num_mel_bins)` triangular filters, peak 1, on the HTK mel scale.

    Right-multiplying a linear spectrogram `(..., num_spectrogram_bins)` by it gives the Mel
    spectrogram; the DC bin gets no weight (HTK's convention).
    """
    zero = torch.tensor(0.0, dtype=dtype, device=device)
    nyquist = torch.tensor(float(sampling_rate), dtype=dtype, device=device) / 2.0
    linear = _linspace(zero, nyquist, num_spectrogram_bins)[1:]
    bins_mel = _hertz_to_mel(linear).unsqueeze(1)
    low = _hertz_to_mel(torch.tensor(float(lower_edge_hertz), dtype=dtype, device=device))
    high = _hertz_to_mel(torch.tensor(float(upper_edge_hertz), dtype=dtype, device=device))
    edges = _linspace(low, high, num_mel_bins + 2)
    # Band i spans edges i..i+2, peaking at edge i+1.
    lower, center, upper = (edges[i:i + num_mel_bins].reshape(1, num_mel_bins) for i in range(3))
    lower_slopes = (bins_mel - lower) / (center - lower)
    upper_slopes = (upper - bins_mel) / (upper - center)
    weights = torch.maximum(zero, torch.minimum(lower_slopes, upper_slopes))
    return torch.nn.functional.pad(weights, (0, 0, 1, 0))


class MelSpectrogram(Layer):
    """Converts raw audio `(..., samples)` to Mel spectrograms `(..., num_mel_bins, frames)`.

    The signal is cut into frames (centred, reflect-padded), transformed with an FFT, raised to
    `mag_exp`, mapped onto `num_mel_bins` Mel bands (HTK's formula) and, by default, expressed
    in decibels relative to `ref_power`, clipped at `top_db` below the batch's maximum.
    The layer has no weights and runs on numpy inputs in a data pipeline as well.

    Args:
        fft_length: FFT size. Defaults to `2048`.
        sequence_stride: samples between frames. Defaults to `512`.
        sequence_length: window length, at most `fft_length`. Defaults to `fft_length`.
        window: `"hann"`, `"hamming"`, an array of `sequence_length` values, or `None`.
            Defaults to `"hann"`.
        sampling_rate: samples per second. Defaults to `16000`.
        num_mel_bins: Mel bands. Defaults to `128`.
        min_freq: lowest band edge in Hz. Defaults to `20.0`.
        max_freq: highest band edge in Hz. Defaults to `sampling_rate / 2`.
        power_to_db: convert to decibels. Defaults to `True`.
        top_db: dynamic range kept below the maximum, in dB. Defaults to `80.0`.
        mag_exp: exponent of the magnitude (1 magnitude, 2 power). Defaults to `2.0`.
        min_power: floor of the power and of `ref_power`. Defaults to `1e-10`.
        ref_power: reference power: `10 log10(S / ref_power)`. Defaults to `1.0`.

    Example:

    ```python
    layer = kerasish.layers.MelSpectrogram(num_mel_bins=80, sampling_rate=8000,
                                           sequence_stride=128, fft_length=2048)
    layer(np.random.rand(2, 16000).astype("float32")).shape  # (2, 80, 126)
    ```
    """

    def __init__(self, fft_length=2048, sequence_stride=512, sequence_length=None,
                 window="hann", sampling_rate=16000, num_mel_bins=128, min_freq=20.0,
                 max_freq=None, power_to_db=True, top_db=80.0, mag_exp=2.0, min_power=1e-10,
                 ref_power=1.0, **kwargs):
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError("`fft_length` must be greater than or equal to `sequence_length`. "
                             f"Received: sequence_length={self.sequence_length}, "
                             f"fft_length={self.fft_length}")
        if isinstance(window, str) and window not in ("hann", "hamming"):
            raise ValueError('If a string is passed to `window`, it must be one of `"hann"`, '
                             f'`"hamming"`. Received: window={window!r}')
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        super().__init__(**kwargs)

    def call(self, inputs):
        # torch's FFT (like TF's and JAX's) takes only float32 and float64.
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") else "float32"
        x = inputs.to(dtypes.to_torch_dtype(dtype))
        real, imag = stft(x, self.sequence_length, self.sequence_stride, self.fft_length,
                          window=self.window, center=True)
        spec = torch.pow(torch.sqrt(torch.square(real) + torch.square(imag)), self.mag_exp)
        matrix = linear_to_mel_weight_matrix(self.num_mel_bins, spec.shape[-1],
                                             self.sampling_rate, self.min_freq, self.max_freq,
                                             device=spec.device)
        out = torch.tensordot(spec, matrix.to(spec.dtype), dims=1)
        if self.power_to_db:
            out = self._dbscale(out)
        out = out.swapaxes(-1, -2)
        return out.to(dtypes.to_torch_dtype(self.compute_dtype))

    def _dbscale(self, x):
        log_spec = 10.0 * torch.log10(torch.clamp(x, min=self.min_power))
        ref = torch.abs(torch.tensor(self.ref_power, dtype=x.dtype))
        log_spec = log_spec - 10.0 * torch.log10(torch.clamp(ref, min=self.min_power))
        # Keras clips against the maximum of the whole batch, not of each example.
        return torch.maximum(log_spec, torch.max(log_spec) - self.top_db)

    def _frames(self, samples):
        if samples is None:
            return None
        # Centred frames: one every stride from sample 0 (Keras's own formula is off by one
        # when samples + 1 is a multiple of the stride).
        return 1 + samples // self.sequence_stride

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        return input_shape[:-1] + (self.num_mel_bins, self._frames(input_shape[-1]))

    def get_config(self):
        config = super().get_config()
        window = self.window.tolist() if hasattr(self.window, "tolist") else self.window
        config.update({"fft_length": self.fft_length, "sequence_stride": self.sequence_stride,
                       "sequence_length": self.sequence_length, "window": window,
                       "sampling_rate": self.sampling_rate, "num_mel_bins": self.num_mel_bins,
                       "min_freq": self.min_freq, "max_freq": self.max_freq,
                       "power_to_db": self.power_to_db, "top_db": self.top_db,
                       "mag_exp": self.mag_exp, "min_power": self.min_power,
                       "ref_power": self.ref_power})
        return config
