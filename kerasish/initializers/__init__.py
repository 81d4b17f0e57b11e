"""Every Keras initializer, with Keras's distributions and defaults.

An initializer is called with a Keras-layout shape and returns a torch tensor:
`GlorotUniform()((784, 32))`. Fans are computed on the Keras layout (for a conv kernel
`(*kernel_size, in, out)`), so layers that store weights in a torch layout initialise in Keras's
layout first and convert (see `kerasish.backend.layouts`).
"""

import math

import numpy as np
import torch

from kerasish.backend import dtypes
from kerasish.initializers import stft_windows as _stft
from kerasish.saving.registry import Registry


def _generator(seed):
    if seed is None:
        return None
    g = torch.Generator()
    g.manual_seed(int(seed))
    return g


def compute_fans(shape):
    """(fan_in, fan_out) of a Keras-layout weight shape.

    Example:

    >>> kerasish.initializers.compute_fans((3, 3, 16, 32))  # a Conv2D kernel: 3 * 3 * 16 in, 3 * 3 * 32 out
    (144, 288)
    """
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer:
    """Base class: `__call__(shape, dtype=None)` returns a tensor; `get_config` its arguments.

    Example:

    >>> class Halves(kerasish.initializers.Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return torch.full(shape, 0.5)
    >>> kerasish.layers.Dense(2, kernel_initializer=Halves())(np.ones((1, 2), "float32")).tolist()
    [[1.0, 1.0]]
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("dtype", None)
        return cls(**config)

    def clone(self):
        return self.__class__.from_config(self.get_config())


class Constant(Initializer):
    """Fills the weight with a constant value.

    Call it with a Keras-layout shape (and an optional dtype) to get a tensor.

    Args:
        value: a number (or an array broadcast to the shape). Defaults to `0.0`.

    Example:

    >>> kerasish.initializers.Constant(3.0)((2, 2))
    tensor([[3., 3.],
            [3., 3.]])
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return torch.full(tuple(shape), 0.0, dtype=dtypes.to_torch_dtype(dtype)) + torch.as_tensor(
            np.asarray(self.value), dtype=dtypes.to_torch_dtype(dtype))

    def get_config(self):
        value = self.value
        if isinstance(value, np.ndarray):
            value = value.tolist()
        return {"value": value}


class Zeros(Initializer):
    """Fills the weight with zeros (`"zeros"`; Keras 2's `Zero`).

    Call it with a Keras-layout shape (and an optional dtype) to get a tensor.

    Example:

    >>> kerasish.initializers.Zeros()((2,))
    tensor([0., 0.])
    """

    def __call__(self, shape, dtype=None):
        return torch.zeros(tuple(shape), dtype=dtypes.to_torch_dtype(dtype))


class Ones(Initializer):
    """Fills the weight with ones (`"ones"`; Keras 2's `One`).

    Call it with a Keras-layout shape (and an optional dtype) to get a tensor.

    Example:

    >>> kerasish.initializers.Ones()((2,))
    tensor([1., 1.])
    """

    def __call__(self, shape, dtype=None):
        return torch.ones(tuple(shape), dtype=dtypes.to_torch_dtype(dtype))


class _Seeded(Initializer):
    def __init__(self, seed=None):
        self.seed = seed

    def _empty(self, shape, dtype):
        return torch.empty(tuple(shape), dtype=dtypes.to_torch_dtype(dtype))

    def get_config(self):
        return {"seed": self.seed}


class RandomNormal(_Seeded):
    """Draws the weight from a normal distribution.

    Call it with a Keras-layout shape (and an optional dtype) to get a tensor.

    Args:
        mean: the mean. Defaults to `0.0`.
        stddev: the standard deviation. Defaults to `0.05`.
        seed: an int makes the values reproducible; `None` draws from torch's global generator.
            Defaults to `None`.

    Example:

    >>> w = kerasish.initializers.RandomNormal(stddev=1.0, seed=1)((300, 200))
    >>> round(float(w.std()), 1), w.shape
    (1.0, torch.Size([300, 200]))
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        return self._empty(shape, dtype).normal_(self.mean, self.stddev, generator=_generator(self.seed))

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(_Seeded):
    """Draws the weight from a uniform distribution on `[minval, maxval)`.

    Call it with a Keras-layout shape (and an optional dtype) to get a tensor.

    Args:
        minval: the lower bound. Defaults to `-0.05`.
        maxval: the upper bound. Defaults to `0.05`.
        seed: an int makes the values reproducible; `None` draws from torch's global generator.
            Defaults to `None`.

    Example:

    >>> w = kerasish.initializers.RandomUniform(0.0, 1.0, seed=1)((3, 4))
    >>> bool((w >= 0).all() and (w < 1).all())
    True
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None):
        return self._empty(shape, dtype).uniform_(self.minval, self.maxval, generator=_generator(self.seed))

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


_TWO_SIGMA_CDF = math.erf(2.0 / math.sqrt(2.0))  # erf of the bound: P(|z| < 2) = 0.9545


def _truncated_normal(t, mean, stddev, seed):
    # Keras truncates at two standard deviations. Inverse CDF in one pass: torch's trunc_normal_
    # redraws the whole tensor until no value falls outside, ~10x slower on big kernels (EfficientNetV2-L
    # initialises 118M values this way).
    t.uniform_(-_TWO_SIGMA_CDF, _TWO_SIGMA_CDF, generator=_generator(seed)).erfinv_()
    t.mul_(stddev * math.sqrt(2.0)).add_(mean)
    return t.clamp_(mean - 2 * stddev, mean + 2 * stddev)  # erfinv's last ulp must not cross the bound


class TruncatedNormal(_Seeded):
    """Draws the weight from a normal distribution, redrawing values more than two standard
    deviations from the mean (Keras's truncation).

    Call it with a Keras-layout shape (and an optional dtype) to get a tensor.

    Args:
        mean: the mean. Defaults to `0.0`.
        stddev: the standard deviation before truncation. Defaults to `0.05`.
        seed: an int makes the values reproducible; `None` draws from torch's global generator.
            Defaults to `None`.

    Example:

    >>> w = kerasish.initializers.TruncatedNormal(stddev=1.0, seed=1)((100, 100))
    >>> bool(w.abs().max() <= 2.0)
    True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        return _truncated_normal(self._empty(shape, dtype), self.mean, self.stddev, self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class VarianceScaling(_Seeded):
    """Draws the weight with a variance scaled to its fans: `scale / n`, where `n` is the
    fan-in, the fan-out or their mean (fans from the Keras layout: a conv kernel
    `(*kernel_size, in, out)` has fan-in `prod(kernel_size) * in`). Glorot, He and LeCun are
    presets of it.

    Call it with a Keras-layout shape (and an optional dtype) to get a tensor.

    Args:
        scale: the scale factor (positive). Defaults to `1.0`.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`. Defaults to `"fan_in"`.
        distribution: `"truncated_normal"`, `"untruncated_normal"` or `"uniform"` (uniform
            on `[-limit, limit]` with `limit = sqrt(3 * scale / n)`). Defaults to
            `"truncated_normal"`.
        seed: an int makes the values reproducible; `None` draws from torch's global generator.
            Defaults to `None`.

    Example:

    >>> init = kerasish.initializers.VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform", seed=1)
    >>> w = init((50, 10))
    >>> bool(w.abs().max() <= (3 * 2.0 / 50) ** 0.5)
    True
    """

    _MODES = ("fan_in", "fan_out", "fan_avg")
    _DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        super().__init__(seed)
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        if mode not in self._MODES:
            raise ValueError(f"Invalid `mode` argument: expected one of {self._MODES}. Received: mode={mode}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in self._DISTRIBUTIONS:
            raise ValueError(
                f"Invalid `distribution` argument: expected one of {self._DISTRIBUTIONS}. "
                f"Received: distribution={distribution}"
            )
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        t = self._empty(shape, dtype)
        g = _generator(self.seed)
        if self.distribution == "truncated_normal":
            # Std of a standard normal truncated to (-2, 2).
            return _truncated_normal(t, 0.0, math.sqrt(scale) / 0.87962566103423978, self.seed)
        if self.distribution == "untruncated_normal":
            return t.normal_(0.0, math.sqrt(scale), generator=g)
        limit = math.sqrt(3.0 * scale)
        return t.uniform_(-limit, limit, generator=g)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed}


def _variance_scaling_preset(name, scale, mode, distribution):
    def __init__(self, seed=None, input_axes=None, output_axes=None):
        # Keras 3.15 writes `input_axes`/`output_axes` (None by default) into these configs.
        if input_axes is not None or output_axes is not None:
            raise ValueError(
                f"`{name}`: custom fan axes are not supported by kerasish. "
                f"Received: input_axes={input_axes}, output_axes={output_axes}"
            )
        VarianceScaling.__init__(self, scale=scale, mode=mode, distribution=distribution, seed=seed)

    def get_config(self):
        return {"seed": self.seed}

    doc = f"""`VarianceScaling(scale={scale}, mode={mode!r}, distribution={distribution!r})`.

    Args:
        seed: an int makes the values reproducible; `None` draws from torch's global generator.
            Defaults to `None`.

    Example:

    >>> w = kerasish.initializers.{name}(seed=1)((64, 32))
    >>> w.shape
    torch.Size([64, 32])
    """
    return type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config, "__doc__": doc})


GlorotUniform = _variance_scaling_preset("GlorotUniform", 1.0, "fan_avg", "uniform")
GlorotNormal = _variance_scaling_preset("GlorotNormal", 1.0, "fan_avg", "truncated_normal")
HeUniform = _variance_scaling_preset("HeUniform", 2.0, "fan_in", "uniform")
HeNormal = _variance_scaling_preset("HeNormal", 2.0, "fan_in", "truncated_normal")
LecunUniform = _variance_scaling_preset("LecunUniform", 1.0, "fan_in", "uniform")
LecunNormal = _variance_scaling_preset("LecunNormal", 1.0, "fan_in", "truncated_normal")


class Orthogonal(_Seeded):
    """Fills the weight with a (semi-)orthogonal matrix, times `gain`: the Q factor of the QR
    decomposition of a normal draw, on the shape flattened to `(prod(shape[:-1]), shape[-1])`.

    Call it with a Keras-layout shape (and an optional dtype) to get a tensor.

    Args:
        gain: the multiplier. Defaults to `1.0`.
        seed: an int makes the values reproducible; `None` draws from torch's global generator.
            Defaults to `None`.

    Example:

    >>> w = kerasish.initializers.Orthogonal(seed=1)((3, 3))
    >>> torch.allclose(w @ w.T, torch.eye(3), atol=1e-6)
    True
    """

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError(f"The tensor to initialize must be at least two-dimensional. Received: shape={shape}")
        num_rows = int(np.prod(shape[:-1]))
        num_cols = shape[-1]
        flat = (max(num_cols, num_rows), min(num_cols, num_rows))
        a = torch.empty(flat, dtype=torch.float64).normal_(generator=_generator(self.seed))
        q, r = torch.linalg.qr(a)
        q = q * torch.sign(torch.diagonal(r))
        if num_rows < num_cols:
            q = q.T
        return (self.gain * q.reshape(shape)).to(dtypes.to_torch_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    """Fills a 2D weight with the identity matrix, times `gain` (ones on the main diagonal of a
    non-square one).

    Call it with a Keras-layout shape (and an optional dtype) to get a tensor.

    Args:
        gain: the multiplier. Defaults to `1.0`.

    Example:

    >>> kerasish.initializers.Identity(gain=2.0)((2, 3))
    tensor([[2., 0., 0.],
            [0., 2., 0.]])
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(f"Identity matrix initializer can only be used for 2D matrices. Received: shape={tuple(shape)}")
        return self.gain * torch.eye(*shape, dtype=dtypes.to_torch_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}


class STFT(Initializer):
    """Kernels of a short-time Fourier transform as a convolution (used by `STFTSpectrogram`).

    The kernel for shape `(T, 1, F // 2 + 1)` holds `cos` (side `"real"`) or `sin` (side
    `"imag"`) of `-2 pi t f / F`, multiplied by the window and divided by its L2 norm
    (`scaling="density"`) or L1 norm (`"spectrum"`).

    Args:
        side: `"real"` or `"imag"`. Defaults to `"real"`.
        window: a scipy window name (`"hann"`, `"hamming"`, ...), an array of `T` values, or
            `None` for no window. Defaults to `"hann"`.
        scaling: `"density"`, `"spectrum"` or `None`. Defaults to `"density"`.
        periodic: whether the window is periodic (scipy's `fftbins`). Defaults to `False`.

    Example:

    >>> kernel = kerasish.initializers.STFT("real", "hann")(shape=(128, 1, 65))
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"side should be 'real' or 'imag'. Received: side={side!r}")
        _stft.check_window(window)
        _stft.check_scaling(scaling)
        self.side, self.window, self.scaling, self.periodic = side, window, scaling, periodic

    def __call__(self, shape, dtype=None):
        if len(tuple(shape)) != 3:
            raise ValueError("The STFT initializer takes a shape (frame_length, 1, fft_length // 2"
                             f" + 1). Received: shape={tuple(shape)}")
        return _stft.stft_kernel(self.side, self.window, self.scaling, self.periodic,
                                 tuple(shape), dtype)

    def get_config(self):
        window = self.window.tolist() if isinstance(self.window, np.ndarray) else self.window
        return {"side": self.side, "window": window, "periodic": self.periodic,
                "scaling": self.scaling}


_ALL = [Constant, Zeros, Ones, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
        GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, Orthogonal,
        Identity, STFT]
_ALIASES = {
    # Keras 3 snake_case names
    "constant": "Constant", "zeros": "Zeros", "ones": "Ones", "random_normal": "RandomNormal",
    "random_uniform": "RandomUniform", "truncated_normal": "TruncatedNormal",
    "variance_scaling": "VarianceScaling", "glorot_uniform": "GlorotUniform",
    "glorot_normal": "GlorotNormal", "he_uniform": "HeUniform", "he_normal": "HeNormal",
    "lecun_uniform": "LecunUniform", "lecun_normal": "LecunNormal", "orthogonal": "Orthogonal",
    "identity": "Identity", "stft": "STFT", "STFTInitializer": "STFT",
    # Keras 1/2 names
    "zero": "Zeros", "one": "Ones", "uniform": "RandomUniform", "normal": "RandomNormal",
    "Zero": "Zeros", "One": "Ones", "IdentityInitializer": "Identity", "OrthogonalInitializer": "Orthogonal",
}

_REGISTRY = Registry("initializer", {c.__name__: c for c in _ALL}, _ALIASES, base=Initializer)


def get(identifier):
    """An initializer from a name (`"glorot_uniform"`), a config dict, a callable or an instance.

    Example:

    >>> type(kerasish.initializers.get("glorot_uniform")).__name__
    'GlorotUniform'
    >>> kerasish.initializers.get({"class_name": "Constant", "config": {"value": 2.0}})((2,))
    tensor([2., 2.])
    """
    return _REGISTRY.get(identifier)


def serialize(initializer):
    """The config dict of an initializer (`deserialize` rebuilds it).

    Args:
        initializer: an `Initializer` instance.

    Returns:
        A dict with `"module"`, `"class_name"`, `"config"` and `"registered_name"`.

    Example:

    >>> kerasish.initializers.serialize(kerasish.initializers.RandomNormal(stddev=0.1, seed=3))["config"]
    {'mean': 0.0, 'stddev': 0.1, 'seed': 3}
    """
    return _REGISTRY.serialize(initializer)


def deserialize(config, custom_objects=None):
    """An initializer rebuilt from its config dict (the inverse of `serialize`).

    Args:
        config: a dict from `serialize` (or a name).
        custom_objects: optional dict of names to custom initializer classes.

    Returns:
        An `Initializer` instance.

    Example:

    >>> kerasish.initializers.deserialize(kerasish.initializers.serialize(kerasish.initializers.Constant(0.5))).value
    0.5
    """
    return _REGISTRY.deserialize(config, custom_objects)


# Keras 2 function-style aliases: `initializers.glorot_uniform(seed=1)`.
constant, zeros, ones = Constant, Zeros, Ones
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, glorot_uniform, glorot_normal = VarianceScaling, GlorotUniform, GlorotNormal
he_uniform, he_normal, lecun_uniform, lecun_normal = HeUniform, HeNormal, LecunUniform, LecunNormal
orthogonal, identity = Orthogonal, Identity
stft = STFTInitializer = STFT
OrthogonalInitializer, IdentityInitializer = Orthogonal, Identity
Zero, One = Zeros, Ones
