"""`STFT`: the convolution kernels of a short-time Fourier transform (Keras's `STFTInitializer`).

Windows are scipy's (`scipy.signal.get_window`), which Keras uses: `hann`, `hamming`, `blackman`,
`boxcar` and `bartlett` are computed here with scipy's formulas (so scipy is not required), any
other scipy window name works when scipy is installed.
"""

import numpy as np
import torch

from kerasish.backend import dtypes

# scipy's `general_cosine` coefficients.
_COSINE_WINDOWS = {
    "hann": (0.5, 0.5), "hanning": (0.5, 0.5), "han": (0.5, 0.5),
    "hamming": (0.54, 1.0 - 0.54), "hamm": (0.54, 1.0 - 0.54), "ham": (0.54, 1.0 - 0.54),
    "blackman": (0.42, 0.50, 0.08), "black": (0.42, 0.50, 0.08), "blk": (0.42, 0.50, 0.08),
}
_OTHER_WINDOWS = ("boxcar", "box", "ones", "rect", "rectangular", "bartlett", "bart", "brt",
                  "triangle", "triang", "tri")


def _scipy_get_window(name, length, periodic):
    try:
        from scipy import signal
    except ImportError:  # pragma: no cover - scipy is in the test extra
        raise ValueError(
            f"The window {name!r} needs scipy (`pip install scipy`); without it the windows are "
            f"{sorted(set(_COSINE_WINDOWS) | set(_OTHER_WINDOWS))}. Received: window={name!r}"
        ) from None
    return np.asarray(signal.get_window(name, length, periodic), dtype="float64")


def get_window(name, length, periodic=False):
    """scipy's `get_window(name, length, fftbins=periodic)` as a float64 numpy array.

    Raises:
        ValueError: for an unknown window name.
    """
    if not isinstance(name, str):
        raise TypeError(f"`window` must be a string here. Received: window={name!r}")
    key = name.lower()
    if key not in _COSINE_WINDOWS and key not in _OTHER_WINDOWS:
        return _scipy_get_window(name, length, periodic)
    if length <= 1:
        return np.ones(length, dtype="float64")
    # A periodic window of n points is the symmetric one of n + 1 points, truncated.
    points = length + 1 if periodic else length
    if key in _COSINE_WINDOWS:
        fac = np.linspace(-np.pi, np.pi, points)
        w = np.zeros(points)
        for k, a in enumerate(_COSINE_WINDOWS[key]):
            w += a * np.cos(k * fac)
    elif key in ("bartlett", "bart", "brt"):
        n = np.arange(0, points)
        w = np.where(np.less_equal(n, (points - 1) / 2.0), 2.0 * n / (points - 1),
                     2.0 - 2.0 * n / (points - 1))
    elif key in ("triangle", "triang", "tri"):
        n = np.arange(1, (points + 1) // 2 + 1)
        if points % 2 == 0:
            half = (2 * n - 1.0) / points
            w = np.r_[half, half[::-1]]
        else:
            half = 2 * n / (points + 1.0)
            w = np.r_[half, half[-2::-1]]
    else:
        w = np.ones(points)
    return w[:length]


def check_window(window):
    """Fails early (as Keras does) on an unknown window name."""
    if isinstance(window, str):
        get_window(window, 1)


def check_scaling(scaling):
    if scaling is not None and scaling not in ("density", "spectrum"):
        raise ValueError("Scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                         f"Received: scaling={scaling!r}")


def stft_kernel(side, window, scaling, periodic, shape, dtype):
    """The `(frame_length, 1, fft_length // 2 + 1)` kernel, computed in Keras's float order."""
    frame_length, _, bins = shape
    tdtype = dtypes.to_torch_dtype(dtype)
    win, scale = None, 1
    if window is not None:
        win = get_window(window, frame_length, periodic) if isinstance(window, str) else window
        win = torch.as_tensor(np.asarray(win), dtype=tdtype)
        if win.ndim != 1 or win.shape[-1] != frame_length:
            raise ValueError("The shape of `window` must be equal to [frame_length]. Received: "
                             f"window shape={tuple(win.shape)}")
        win = win.reshape(frame_length, 1, 1)
        if scaling == "density":
            scale = torch.sqrt(torch.sum(torch.square(win)))
        elif scaling == "spectrum":
            scale = torch.sum(torch.abs(win))
    freq = torch.arange(bins, dtype=tdtype).reshape(1, 1, bins) / ((bins - 1) * 2)
    time = torch.arange(frame_length, dtype=tdtype).reshape(frame_length, 1, 1)
    args = (-2 * time * freq) * torch.arccos(torch.tensor(-1, dtype=tdtype))
    kernel = torch.cos(args) if side == "real" else torch.sin(args)
    if win is not None:
        kernel = kernel * win / scale
    return kernel
