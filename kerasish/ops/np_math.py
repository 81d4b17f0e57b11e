"""numpy-style elementwise math; binary ops, reductions and statistics live in `np_binary`,
`np_reductions` and `np_stats`, re-exported here.

Result dtypes follow Keras 3 on its torch backend: an input that is not a tensor is converted with
Keras's defaults (Python int -> int32, float -> float32, numpy arrays keep their dtype) and the
torch op then promotes as torch does, except where Keras casts explicitly (noted per op). Every op
checks the common case first (torch tensors of one dtype) so that it costs little more than the
torch call.
"""

import torch

from kerasish.ops import np_binary as _binary, np_reductions as _reductions, np_stats as _stats
from kerasish.ops._utils import INT_DTYPES, INT_OR_BOOL, Tensor, cast, floatx, promote
from kerasish.ops._utils import tensor as _t
from kerasish.ops.dispatch import keras_op
from kerasish.ops.np_binary import *  # noqa: F401,F403
from kerasish.ops.np_reductions import *  # noqa: F401,F403
from kerasish.ops.np_stats import *  # noqa: F401,F403

def _named(name, fn, doc):
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    fn.__module__ = __name__
    return keras_op(fn, name=name)


# ------------------------------------------------------------------ unary ops that are torch's own
def _unary(name, torch_fn, doc):
    def op(x):
        return torch_fn(x if isinstance(x, Tensor) else _t(x))
    return _named(name, op, doc)


def _unary_float(name, torch_fn, doc):
    """Integer and bool inputs are computed (and returned) in floatx, as Keras does."""
    def op(x):
        if not isinstance(x, Tensor):
            x = _t(x)
        if x.dtype in INT_OR_BOOL:
            x = x.to(floatx())
        return torch_fn(x)
    return _named(name, op, doc)


_UNARY = {
    "arccos": (torch.arccos, "Trigonometric inverse cosine"),
    "arccosh": (torch.arccosh, "Inverse hyperbolic cosine"),
    "arcsin": (torch.arcsin, "Inverse sine"),
    "arcsinh": (torch.arcsinh, "Inverse hyperbolic sine"),
    "arctan": (torch.arctan, "Trigonometric inverse tangent"),
    "arctanh": (torch.arctanh, "Inverse hyperbolic tangent"),
    "cos": (torch.cos, "Cosine"),
    "cosh": (torch.cosh, "Hyperbolic cosine"),
    "sin": (torch.sin, "Trigonometric sine"),
    "sinh": (torch.sinh, "Hyperbolic sine"),
    "tan": (torch.tan, "Tangent"),
    "tanh": (torch.tanh, "Hyperbolic tangent"),
    "log": (torch.log, "Natural logarithm"),
    "log10": (torch.log10, "Base-10 logarithm"),
    "log1p": (torch.log1p, "`log(1 + x)`"),
    "log2": (torch.log2, "Base-2 logarithm"),
    "isfinite": (torch.isfinite, "Whether each element is finite (bool)"),
    "isinf": (torch.isinf, "Whether each element is +/- infinity (bool)"),
    "isnan": (torch.isnan, "Whether each element is NaN (bool)"),
    "isneginf": (torch.isneginf, "Whether each element is negative infinity (bool)"),
    "isposinf": (torch.isposinf, "Whether each element is positive infinity (bool)"),
    "isreal": (torch.isreal, "Whether each element has a zero imaginary part (bool)"),
    "logical_not": (torch.logical_not, "Logical NOT (bool)"),
    "negative": (torch.negative, "Numerical negative"),
    "reciprocal": (torch.reciprocal, "`1 / x`"),
    "sign": (torch.sign, "Sign (-1, 0 or 1)"),
    "signbit": (torch.signbit, "Whether the sign bit is set (bool)"),
    "sinc": (torch.sinc, "Normalized sinc `sin(pi x) / (pi x)`"),
    "angle": (torch.angle, "Argument of complex numbers (0 or pi for reals)"),
    "bitwise_invert": (torch.bitwise_not, "Bitwise NOT (of ints and bools)"),
    "bitwise_not": (torch.bitwise_not, "Bitwise NOT (of ints and bools)"),
}
_UNARY_FLOAT = {
    "exp": (torch.exp, "Exponential (ints and bools give floatx)"),
    "exp2": (torch.exp2, "`2 ** x` (ints and bools give floatx)"),
    "expm1": (torch.expm1, "`exp(x) - 1` (ints and bools give floatx)"),
}


# Each table op's docstring example: its input and the output it gives (run by tests/docs).
_EXAMPLES = {
    "arccos": ("[1.0, 0.0]", "tensor([0.0000, 1.5708])"),
    "arccosh": ("[1.0, 2.0]", "tensor([0.0000, 1.3170])"),
    "arcsin": ("[0.0, 1.0]", "tensor([0.0000, 1.5708])"),
    "arcsinh": ("[0.0, 1.0]", "tensor([0.0000, 0.8814])"),
    "arctan": ("[0.0, 1.0]", "tensor([0.0000, 0.7854])"),
    "arctanh": ("[0.0, 0.5]", "tensor([0.0000, 0.5493])"),
    "cos": ("[0.0, 1.0]", "tensor([1.0000, 0.5403])"),
    "cosh": ("[0.0, 1.0]", "tensor([1.0000, 1.5431])"),
    "sin": ("[0.0, 1.0]", "tensor([0.0000, 0.8415])"),
    "sinh": ("[0.0, 1.0]", "tensor([0.0000, 1.1752])"),
    "tan": ("[0.0, 1.0]", "tensor([0.0000, 1.5574])"),
    "tanh": ("[0.0, 1.0]", "tensor([0.0000, 0.7616])"),
    "log": ("[1.0, 2.0]", "tensor([0.0000, 0.6931])"),
    "log10": ("[1.0, 100.0]", "tensor([0., 2.])"),
    "log1p": ("[0.0, 1.0]", "tensor([0.0000, 0.6931])"),
    "log2": ("[1.0, 8.0]", "tensor([0., 3.])"),
    "isfinite": ('[1.0, float("inf"), float("nan")]', "tensor([ True, False, False])"),
    "isinf": ('[1.0, float("inf"), float("-inf")]', "tensor([False,  True,  True])"),
    "isnan": ('[1.0, float("nan")]', "tensor([False,  True])"),
    "isneginf": ('[1.0, float("inf"), float("-inf")]', "tensor([False, False,  True])"),
    "isposinf": ('[1.0, float("inf"), float("-inf")]', "tensor([False,  True, False])"),
    "isreal": ("[1.0, 1j]", "tensor([ True, False])"),
    "logical_not": ("[True, False]", "tensor([False,  True])"),
    "negative": ("[1, -2]", "tensor([-1,  2], dtype=torch.int32)"),
    "reciprocal": ("[2.0, 4.0]", "tensor([0.5000, 0.2500])"),
    "sign": ("[-2.0, 0.0, 3.0]", "tensor([-1.,  0.,  1.])"),
    "signbit": ("[-1.0, 0.0, 1.0]", "tensor([ True, False, False])"),
    "sinc": ("[0.0, 0.5]", "tensor([1.0000, 0.6366])"),
    "angle": ("[-1.0, 2.0]", "tensor([3.1416, 0.0000])"),
    "bitwise_invert": ("[0, 5]", "tensor([-1, -6], dtype=torch.int32)"),
    "bitwise_not": ("[0, 5]", "tensor([-1, -6], dtype=torch.int32)"),
    "exp": ("[0, 1]", "tensor([1.0000, 2.7183])"),
    "exp2": ("[0, 3]", "tensor([1., 8.])"),
    "expm1": ("[0.0, 1.0]", "tensor([0.0000, 1.7183])"),
}


def _one_line(name, what):
    x, output = _EXAMPLES[name]
    return (f"{what}, element-wise.\n\nArgs:\n    x: Input tensor.\n\nReturns:\n"
            f"    A tensor of the shape of `x`.\n\nExample:\n\n"
            f">>> ops.{name}(ops.convert_to_tensor({x}))\n{output}\n")


for _name, (_fn, _what) in _UNARY.items():
    globals()[_name] = _unary(_name, _fn, _one_line(_name, _what))
for _name, (_fn, _what) in _UNARY_FLOAT.items():
    globals()[_name] = _unary_float(_name, _fn, _one_line(_name, _what))


# ------------------------------------------------------------------ unary ops with Keras's casts
_CLAMP_FAST = (torch.float32, torch.float64, torch.bfloat16)
_NUMBERS = (int, float)


@keras_op
def absolute(x):
    """Absolute value, element-wise (bools are returned as they are).

    Example:

    >>> ops.absolute(ops.convert_to_tensor([-1.2, 1.2]))  # [1.2, 1.2]
    tensor([1.2000, 1.2000])
    """
    if not isinstance(x, Tensor):
        x = _t(x)
    return x if x.dtype == torch.bool else torch.abs(x)


@keras_op
def abs(x):  # noqa: A001 (Keras's name)
    """Alias of `absolute`.

    Example:

    >>> ops.abs(ops.convert_to_tensor([-1, 2]))
    tensor([1, 2], dtype=torch.int32)
    """
    return absolute(x)


@keras_op
def fabs(x):
    """Absolute value as a float, element-wise (ints and bools give floatx; complex is refused).

    Example:

    >>> ops.abs(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0.5000, 1.0000])
    """
    x = _t(x)
    if x.is_complex():
        raise TypeError(f"`ops.fabs` does not support complex inputs. Received: x.dtype={x.dtype}")
    if x.dtype in INT_OR_BOOL:
        x = x.to(floatx())
    return torch.abs(x)


@keras_op
def sqrt(x):
    """Non-negative square root, element-wise (int64 gives floatx; other ints give float32).

    Example:

    >>> ops.sqrt(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0.7071, 1.0000])
    """
    x = _t(x)
    if x.dtype == torch.int64:
        x = x.to(floatx())
    return torch.sqrt(x)


@keras_op
def square(x):
    """`x * x`, element-wise (bools give int32).

    Example:

    >>> ops.square(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0.2500, 1.0000])
    """
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.square(x)


@keras_op
def trunc(x):
    """Rounds towards zero, element-wise (keeps the dtype).

    Example:

    >>> ops.trunc(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0., 1.])
    """
    x = _t(x)
    return x if x.dtype == torch.bool else torch.trunc(x)


def _rounding_dtype(dtype):
    # Keras: int64 -> floatx, every other int/bool -> result_type(x, float), floats unchanged.
    return floatx() if dtype == torch.int64 else promote(dtype, float)


@keras_op
def ceil(x):
    """Ceiling, element-wise (ints and bools give floats).

    Example:

    >>> ops.ceil(ops.convert_to_tensor([0.5, 1.0]))
    tensor([1., 1.])
    """
    x = _t(x)
    out_dtype = _rounding_dtype(x.dtype)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    elif x.dtype == torch.float16 and x.device.type == "cpu":
        x = x.to(torch.float32)
    return cast(torch.ceil(x), out_dtype)


@keras_op
def floor(x):
    """Floor, element-wise (ints and bools give floats).

    Example:

    >>> ops.floor(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0., 1.])
    """
    x = _t(x)
    return torch.floor(cast(x, _rounding_dtype(x.dtype)))


@keras_op
def round(x, decimals=0):  # noqa: A001 (Keras's name)
    """Rounds to `decimals` decimals (half to even); integers keep their dtype.

    Example:

    >>> ops.round(ops.convert_to_tensor([0.5, 1.5, 2.67]), decimals=0)  # [0., 2., 3.]
    tensor([0., 2., 3.])
    """
    x = _t(x)
    if x.dtype in INT_DTYPES:
        return torch.round(x.to(floatx()), decimals=decimals).to(x.dtype)
    return torch.round(x, decimals=decimals)


@keras_op
def cbrt(x):
    """Cube root, element-wise (ints give float32, int64 gives float64).

    Example:

    >>> ops.cbrt(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0.7937, 1.0000])
    """
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    elif x.dtype == torch.int64:
        x = x.to(torch.float64)
    return torch.sign(x) * torch.abs(x) ** (1.0 / 3.0)


@keras_op
def deg2rad(x):
    """Degrees to radians, element-wise (int64 gives float64).

    Example:

    >>> ops.deg2rad(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0.0087, 0.0175])
    """
    x = _t(x)
    out = torch.deg2rad(x)
    return out.to(torch.float64) if x.dtype == torch.int64 else out


@keras_op
def rad2deg(x):
    """Radians to degrees, element-wise (int64 gives float64).

    Example:

    >>> ops.rad2deg(ops.convert_to_tensor([0.5, 1.0]))
    tensor([28.6479, 57.2958])
    """
    x = _t(x)
    out = torch.rad2deg(x)
    return out.to(torch.float64) if x.dtype == torch.int64 else out


@keras_op
def i0(x):
    """Modified Bessel function of the first kind, order 0 (ints give floatx; int64 float64).

    Example:

    >>> ops.i0(ops.convert_to_tensor([0.5, 1.0]))
    tensor([1.0635, 1.2661])
    """
    x = _t(x)
    if x.dtype in (torch.int64, torch.float64):
        dtype = torch.float64
    elif x.dtype in (torch.bfloat16, torch.float16):
        dtype = x.dtype
    else:
        dtype = floatx()
    return torch.i0(cast(x, dtype))


@keras_op
def conjugate(x):
    """Complex conjugate, element-wise (real inputs are returned unchanged).

    Example:

    >>> ops.conjugate(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0.5000, 1.0000])
    """
    return torch.conj(_t(x)).resolve_conj()


@keras_op
def conj(x):
    """Alias of `conjugate`.

    Example:

    >>> ops.conj(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0.5000, 1.0000])
    """
    return conjugate(x)


@keras_op
def real(x):
    """Real part of complex numbers, element-wise.

    Example:

    >>> ops.real(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0.5000, 1.0000])
    """
    return torch.real(_t(x))


@keras_op
def imag(x):
    """Imaginary part of complex numbers, element-wise (refused for real inputs, as in Keras).

    Example:

    >>> ops.imag(ops.convert_to_tensor([1 + 2j, 3.0]))
    tensor([2., 0.])
    """
    x = _t(x)
    if not x.is_complex():
        raise ValueError(f"`ops.imag` needs a complex input. Received: x.dtype={x.dtype}")
    return torch.imag(x)


@keras_op
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """Replaces NaN with `nan`, +inf with `posinf` and -inf with `neginf` (by default the largest
    and smallest finite values of the dtype).

    Example:

    >>> ops.nan_to_num(ops.convert_to_tensor([float("nan"), 1.0]), nan=-1.0)  # [-1., 1.]
    tensor([-1.,  1.])
    """
    return torch.nan_to_num(_t(x), nan=nan, posinf=posinf, neginf=neginf)


@keras_op
def clip(x, x_min, x_max):
    """Clips values to `[x_min, x_max]` (bools are clipped as int32).

    Example:

    >>> ops.clip(ops.convert_to_tensor([-1.0, 0.5, 2.0]), 0, 1)  # [0., 0.5, 1.]
    tensor([0.0000, 0.5000, 1.0000])
    """
    x = _t(x)
    if x.dtype in _CLAMP_FAST and type(x_min) in _NUMBERS and type(x_max) in _NUMBERS:
        # Python bounds leave a float tensor's dtype alone, as Keras's 0-d tensors do; this
        # skips torch's much slower tensor-bounds kernel.
        return torch.clip(x, min=x_min, max=x_max)
    x_min, x_max = _t(x_min), _t(x_max)
    if x.dtype == torch.float16 and x.device.type == "cpu":
        return torch.clip(x.to(torch.float32), min=x_min, max=x_max).to(torch.float16)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.clip(x, min=x_min, max=x_max)


__all__ = sorted(
    list(_UNARY) + list(_UNARY_FLOAT) + _binary.__all__ + _reductions.__all__ + _stats.__all__ + [
        "absolute", "abs", "fabs", "sqrt", "square", "trunc", "ceil", "floor", "round", "cbrt",
        "deg2rad", "rad2deg", "i0", "conjugate", "conj", "real", "imag", "nan_to_num", "clip",
    ]
)
