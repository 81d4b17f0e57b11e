"""Parity cases of the `ops.math` family."""

import numpy as np

from tests.ops.parity import case

rng = np.random.default_rng(11)
F = rng.standard_normal((4, 3)).astype("float32")
SIG = rng.standard_normal((2, 64)).astype("float32")
RE, IM = rng.standard_normal((3, 8)).astype("float32"), rng.standard_normal((3, 8)).astype("float32")
IDS = np.array([0, 0, 2, 1], "int32")
SPD = (F.T @ F + np.eye(3)).astype("float32")


def _stft_pair(length, stride, fft_length, center=True, window="hann"):
    import torch

    x = torch.tensor(SIG)
    z = torch.stft(x, n_fft=fft_length, hop_length=stride, win_length=length,
                   window=torch.hann_window(length, periodic=True) if window == "hann"
                   else torch.ones(length), center=center, return_complex=True).swapaxes(-2, -1)
    return (z.real.numpy().copy(), z.imag.numpy().copy())


CASES = [
    case("segment_sum", F, IDS, _grad=True),
    case("segment_sum", F, IDS, num_segments=5, _id="segment_sum-num_segments"),
    case("segment_sum", np.arange(4, dtype="int32"), np.array([0, 0, 1, 1]), _id="segment_sum-int"),
    case("segment_sum", F, np.array([0, -1, 1, 7]), num_segments=3, _id="segment_sum-out-of-range"),
    case("segment_max", F, IDS),
    case("segment_max", F, IDS, num_segments=4, _id="segment_max-empty-segment"),
    case("segment_min", F, IDS),
    case("segment_prod", F, IDS, _rtol=1e-5),
    case("top_k", F, 2),
    case("top_k", F, 3, sorted=False, _id="top_k-unsorted"),
    case("in_top_k", np.array([0, 2, 1, 1]), F, 1),
    case("in_top_k", np.array([0, 2, 1, 1]), F, 2, _id="in_top_k-2"),
    case("logsumexp", F, _grad=True),
    case("logsumexp", F, axis=1, keepdims=True, _id="logsumexp-axis1"),
    case("cdist", F, F[:2], _grad=True, _rtol=1e-4),
    case("extract_sequences", SIG, 16, 8),
    case("rsqrt", np.abs(F) + 0.1, _grad=True),
    case("erf", F, _grad=True),
    case("erfc", F),
    case("erfinv", np.clip(F, -0.9, 0.9), _grad=True),
    case("logdet", SPD, _rtol=1e-4),
    case("view_as_complex", F[:, :2].copy()),
    case("view_as_real", (RE + 1j * IM).astype("complex64")),
    case("fft", (RE, IM), _rtol=1e-4, _atol=1e-4),
    case("fft2", (RE, IM), _rtol=1e-4, _atol=1e-4),
    case("ifft2", (RE, IM), _rtol=1e-4, _atol=1e-5),
    case("rfft", SIG, _rtol=1e-4, _atol=1e-4),
    case("rfft", SIG, fft_length=32, _id="rfft-length", _rtol=1e-4, _atol=1e-4),
    case("irfft", (RE, IM), _rtol=1e-4, _atol=1e-5),
    case("irfft", (RE, IM), fft_length=10, _id="irfft-length", _rtol=1e-4, _atol=1e-5),
    case("stft", SIG, 16, 4, 16, _rtol=1e-4, _atol=1e-4),
    case("stft", SIG, 12, 4, 16, center=False, _id="stft-not-centered", _rtol=1e-4, _atol=1e-4),
    case("stft", SIG, 16, 8, 32, window="hamming", _id="stft-hamming", _rtol=1e-4, _atol=1e-4),
    case("stft", SIG, 16, 8, 16, window=None, _id="stft-no-window", _rtol=1e-4, _atol=1e-4),
    case("istft", _stft_pair(16, 4, 16), 16, 4, 16, _rtol=1e-4, _atol=1e-5),
    case("istft", _stft_pair(16, 4, 16), 16, 4, 16, length=60, _id="istft-length", _rtol=1e-4,
         _atol=1e-5),
    case("istft", _stft_pair(12, 4, 16, center=False), 12, 4, 16, center=False,
         _id="istft-not-centered", _rtol=1e-4, _atol=1e-4),
    case("istft", _stft_pair(16, 8, 16, window=None), 16, 8, 16, window=None,
         _id="istft-no-window", _rtol=1e-4, _atol=1e-4),
]
