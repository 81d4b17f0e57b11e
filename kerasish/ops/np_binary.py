"""numpy-style binary ops: arithmetic, comparisons, logic, bitwise ops (re-exported by `np_math`).

Two tensors go straight to the torch op (torch promotes them the way Keras's torch backend does);
non-tensors are converted with Keras's defaults first. Ops where Keras promotes explicitly (with
Python numbers as weak types) do so through the cached `promote`.
"""

import torch

from kerasish.ops._utils import INT_DTYPES, WIDE_DTYPES, Tensor, cast, dtype_of, floatx, promote
from kerasish.ops._utils import pair, scalar_ok
from kerasish.ops._utils import tensor as _t
from kerasish.ops.dispatch import keras_op


_NUMBERS = (int, float)


def _named(name, fn, doc):
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    fn.__module__ = __name__
    return keras_op(fn, name=name)


# Each table op's docstring example: its inputs and the output they give (run by tests/docs).
_EXAMPLES = {
    "add": ("[1, 2]", "[3, 4]", "tensor([4, 6], dtype=torch.int32)"),
    "multiply": ("[1, 2]", "[3, 4]", "tensor([3, 8], dtype=torch.int32)"),
    "power": ("[2, 3]", "[3, 2]", "tensor([8, 9], dtype=torch.int32)"),
    "equal": ("[1, 2, 3]", "[3, 2, 1]", "tensor([False,  True, False])"),
    "not_equal": ("[1, 2, 3]", "[3, 2, 1]", "tensor([ True, False,  True])"),
    "greater": ("[1, 2, 3]", "[3, 2, 1]", "tensor([False, False,  True])"),
    "greater_equal": ("[1, 2, 3]", "[3, 2, 1]", "tensor([False,  True,  True])"),
    "less": ("[1, 2, 3]", "[3, 2, 1]", "tensor([ True, False, False])"),
    "less_equal": ("[1, 2, 3]", "[3, 2, 1]", "tensor([ True,  True, False])"),
    "logical_and": ("[True, True, False]", "[True, False, False]", "tensor([ True, False, False])"),
    "logical_or": ("[True, True, False]", "[True, False, False]", "tensor([ True,  True, False])"),
    "logical_xor": ("[True, True, False]", "[True, False, False]", "tensor([False,  True, False])"),
    "gcd": ("[12, 18]", "[8, 12]", "tensor([4, 6], dtype=torch.int32)"),
    "lcm": ("[4, 6]", "[6, 8]", "tensor([12, 24], dtype=torch.int32)"),
    "bitwise_and": ("[12, 10]", "[10, 6]", "tensor([8, 2], dtype=torch.int32)"),
    "bitwise_or": ("[12, 10]", "[10, 6]", "tensor([14, 14], dtype=torch.int32)"),
    "bitwise_xor": ("[12, 10]", "[10, 6]", "tensor([ 6, 12], dtype=torch.int32)"),
    "maximum": ('[1.0, float("nan")]', "[2.0, 0.0]", "tensor([2., nan])"),
    "minimum": ('[1.0, float("nan")]', "[2.0, 0.0]", "tensor([1., nan])"),
    "fmax": ('[1.0, float("nan")]', "[2.0, 0.0]", "tensor([2., 0.])"),
    "fmin": ('[1.0, float("nan")]', "[2.0, 0.0]", "tensor([1., 0.])"),
}


def _doc(name, what, a="x1", b="x2"):
    x1, x2, output = _EXAMPLES[name]
    return (f"{what}, element-wise (with broadcasting).\n\nArgs:\n    {a}: First input tensor.\n"
            f"    {b}: Second input tensor.\n\nReturns:\n    The output tensor.\n\nExample:\n\n"
            f">>> {a} = ops.convert_to_tensor({x1})\n>>> {b} = ops.convert_to_tensor({x2})\n"
            f">>> ops.{name}({a}, {b})\n{output}\n")


def _binary(name, torch_fn, what):
    def op(x1, x2):
        if isinstance(x1, Tensor) and (isinstance(x2, Tensor) or scalar_ok(x1, x2)):
            return torch_fn(x1, x2)
        return torch_fn(*pair(x1, x2))
    return _named(name, op, _doc(name, what))


def _binary_tensors(name, torch_fn, what):
    # Ops whose torch function takes only tensors.
    def op(x1, x2):
        return torch_fn(*pair(x1, x2))
    return _named(name, op, _doc(name, what))


def _bitwise(name, torch_fn, what):
    def op(x, y):
        return torch_fn(*pair(x, y))
    return _named(name, op, _doc(name, what, "x", "y"))


_BINARY = {
    "add": (torch.add, "`x1 + x2`"),
    "multiply": (torch.multiply, "`x1 * x2`"),
    "power": (torch.pow, "`x1 ** x2`"),
    "equal": (torch.eq, "`x1 == x2` (bool)"),
    "not_equal": (torch.ne, "`x1 != x2` (bool)"),
    "greater": (torch.gt, "`x1 > x2` (bool)"),
    "greater_equal": (torch.ge, "`x1 >= x2` (bool)"),
    "less": (torch.lt, "`x1 < x2` (bool)"),
    "less_equal": (torch.le, "`x1 <= x2` (bool)"),
}
_BINARY_TENSORS = {
    "logical_and": (torch.logical_and, "Logical AND (bool)"),
    "logical_or": (torch.logical_or, "Logical OR (bool)"),
    "logical_xor": (torch.logical_xor, "Logical XOR (bool)"),
    "gcd": (torch.gcd, "Greatest common divisor of integers"),
    "lcm": (torch.lcm, "Least common multiple of integers"),
}
_BITWISE = {
    "bitwise_and": (torch.bitwise_and, "Bitwise AND of ints and bools"),
    "bitwise_or": (torch.bitwise_or, "Bitwise OR of ints and bools"),
    "bitwise_xor": (torch.bitwise_xor, "Bitwise XOR of ints and bools"),
}

for _name, (_fn, _what) in _BINARY.items():
    globals()[_name] = _binary(_name, _fn, _what)
for _name, (_fn, _what) in _BINARY_TENSORS.items():
    globals()[_name] = _binary_tensors(_name, _fn, _what)
for _name, (_fn, _what) in _BITWISE.items():
    globals()[_name] = _bitwise(_name, _fn, _what)


@keras_op
def subtract(x1, x2):
    """`x1 - x2`, element-wise (a bool operand takes the other's dtype).

    Example:

    >>> ops.subtract(ops.convert_to_tensor([1.0, 4.0]), ops.convert_to_tensor([2.0, 3.0]))
    tensor([-1.,  1.])
    """
    if isinstance(x1, Tensor) and x1.dtype is not torch.bool and (
            isinstance(x2, Tensor) and x2.dtype is not torch.bool
            or type(x2) is not bool and scalar_ok(x1, x2)):
        return torch.subtract(x1, x2)
    x1, x2 = pair(x1, x2)
    if x1.dtype == torch.bool:
        x1 = x1.to(x2.dtype)
    if x2.dtype == torch.bool:
        x2 = x2.to(x1.dtype)
    return torch.subtract(x1, x2)


@keras_op
def divide(x1, x2):
    """`x1 / x2`, element-wise (true division: integers give floats).

    Example:

    >>> ops.divide(ops.convert_to_tensor([1, 2]), 2)  # [0.5, 1.0]
    tensor([0.5000, 1.0000])
    """
    # Python numbers stay Python numbers, so torch treats them as weak scalars (as Keras does).
    if isinstance(x1, Tensor) and isinstance(x2, (Tensor, int, float)):
        return torch.divide(x1, x2)
    return torch.divide(*_keep_numbers(x1, x2))


@keras_op
def true_divide(x1, x2):
    """Alias of `divide`.

    Example:

    >>> ops.true_divide(ops.convert_to_tensor([1.0, 4.0]), ops.convert_to_tensor([2.0, 3.0]))
    tensor([0.5000, 1.3333])
    """
    return divide(x1, x2)


def _shift(torch_fn, x, y):
    if isinstance(y, int):
        return torch_fn(_t(x), y)
    return torch_fn(*pair(x, y))


@keras_op
def bitwise_left_shift(x, y):
    """Shifts the bits of integers `x` left by `y`, element-wise.

    Example:

    >>> ops.bitwise_left_shift(ops.convert_to_tensor([12, 5]), 1)
    tensor([24, 10], dtype=torch.int32)
    """
    return _shift(torch.bitwise_left_shift, x, y)


@keras_op
def left_shift(x, y):
    """Alias of `bitwise_left_shift`.

    Example:

    >>> ops.left_shift(ops.convert_to_tensor([12, 5]), 1)
    tensor([24, 10], dtype=torch.int32)
    """
    return _shift(torch.bitwise_left_shift, x, y)


@keras_op
def bitwise_right_shift(x, y):
    """Shifts the bits of integers `x` right by `y`, element-wise.

    Example:

    >>> ops.bitwise_right_shift(ops.convert_to_tensor([12, 5]), 1)
    tensor([6, 2], dtype=torch.int32)
    """
    return _shift(torch.bitwise_right_shift, x, y)


@keras_op
def right_shift(x, y):
    """Alias of `bitwise_right_shift`.

    Example:

    >>> ops.right_shift(ops.convert_to_tensor([12, 5]), 1)
    tensor([6, 2], dtype=torch.int32)
    """
    return _shift(torch.bitwise_right_shift, x, y)


def _keep_numbers(x1, x2):
    """Operands other than Python numbers as tensors (a converted one on the other's device)."""
    n1, n2 = isinstance(x1, _NUMBERS), isinstance(x2, _NUMBERS)
    if n1 and n2:
        return x1, x2
    if n1:
        return x1, _t(x2)
    if n2:
        return _t(x1), x2
    return pair(x1, x2)


# ------------------------------------------------------------------ explicitly promoted ops
def _promoted(x1, x2):
    """Both operands in Keras's result dtype, Python numbers counting as weak types."""
    if isinstance(x1, Tensor) and isinstance(x2, Tensor) and x1.dtype == x2.dtype \
            and x1.dtype not in WIDE_DTYPES:
        return x1, x2
    x1, x2 = _keep_numbers(x1, x2)
    dtype = promote(dtype_of(x1), dtype_of(x2))
    x1, x2 = pair(x1, x2)
    return cast(x1, dtype), cast(x2, dtype)


def _minmax(name, torch_fn, what):
    def op(x1, x2):
        return torch_fn(*_promoted(x1, x2))
    return _named(name, op, _doc(name, what))


_MINMAX = {
    "maximum": (torch.maximum, "Maximum (NaN wins)"),
    "minimum": (torch.minimum, "Minimum (NaN wins)"),
    "fmax": (torch.fmax, "Maximum ignoring NaN"),
    "fmin": (torch.fmin, "Minimum ignoring NaN"),
}
for _name, (_fn, _what) in _MINMAX.items():
    globals()[_name] = _minmax(_name, _fn, _what)


@keras_op
def floor_divide(x1, x2):
    """`x1 // x2`, element-wise, in Keras's promoted dtype.

    Example:

    >>> ops.floor_divide(ops.convert_to_tensor([1.0, 4.0]), ops.convert_to_tensor([2.0, 3.0]))
    tensor([0., 1.])
    """
    if isinstance(x1, Tensor) and isinstance(x2, Tensor) and x1.dtype == x2.dtype \
            and x1.dtype not in WIDE_DTYPES:
        return torch.floor_divide(x1, x2)
    x1, x2 = _keep_numbers(x1, x2)
    dtype = promote(dtype_of(x1), dtype_of(x2))
    if not isinstance(x1, Tensor) and not isinstance(x2, Tensor):
        x1 = _t(x1)
    return cast(torch.floor_divide(x1, x2), dtype)


def _remainder(torch_fn, x1, x2):
    x1, x2 = pair(x1, x2)
    if x1.dtype == torch.bool and x2.dtype == torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return torch_fn(x1, x2)


@keras_op
def mod(x1, x2):
    """Remainder of `x1 / x2` with the sign of `x2` (Python's `%`), element-wise.

    Example:

    >>> ops.mod(ops.convert_to_tensor([1.0, 4.0]), ops.convert_to_tensor([2.0, 3.0]))
    tensor([1., 1.])
    """
    return _remainder(torch.remainder, x1, x2)


@keras_op
def fmod(x1, x2):
    """Remainder of `x1 / x2` with the sign of `x1` (C's `fmod`), element-wise.

    Example:

    >>> ops.fmod(ops.convert_to_tensor([1.0, 4.0]), ops.convert_to_tensor([2.0, 3.0]))
    tensor([1., 1.])
    """
    return _remainder(torch.fmod, x1, x2)


def _float_pair(x1, x2):
    """Both operands (tensors) in `result_type(x1, x2, float)`."""
    x1, x2 = pair(x1, x2)
    dtype = promote(x1.dtype, x2.dtype, float)
    return cast(x1, dtype), cast(x2, dtype), dtype


def _cpu_f16(torch_fn, x1, x2, dtype):
    # torch's CPU kernels of these ops lack float16: compute in float32, return float16.
    if dtype == torch.float16 and x1.device.type == "cpu":
        return torch_fn(x1.float(), x2.float()).to(dtype)
    return torch_fn(x1, x2)


@keras_op
def arctan2(x1, x2):
    """Element-wise arc tangent of `x1 / x2`, choosing the quadrant (result is a float).

    Example:

    >>> ops.arctan2(ops.convert_to_tensor([1.0]), ops.convert_to_tensor([-1.0]))  # [2.356]
    tensor([2.3562])
    """
    x1, x2, dtype = _float_pair(x1, x2)
    return _cpu_f16(torch.arctan2, x1, x2, dtype)


@keras_op
def logaddexp(x1, x2):
    """`log(exp(x1) + exp(x2))`, computed stably, element-wise.

    Example:

    >>> ops.logaddexp(ops.convert_to_tensor([1.0, 4.0]), ops.convert_to_tensor([2.0, 3.0]))
    tensor([2.3133, 4.3133])
    """
    x1, x2, dtype = _float_pair(x1, x2)
    return _cpu_f16(torch.logaddexp, x1, x2, dtype)


@keras_op
def logaddexp2(x1, x2):
    """`log2(2**x1 + 2**x2)`, computed stably, element-wise.

    Example:

    >>> ops.logaddexp2(ops.convert_to_tensor([1.0, 4.0]), ops.convert_to_tensor([2.0, 3.0]))
    tensor([2.5850, 4.5850])
    """
    x1, x2, dtype = _float_pair(x1, x2)
    return _cpu_f16(torch.logaddexp2, x1, x2, dtype)


def _int_to_float(x1, x2):
    # hypot/heaviside: integer results become floatx (int64: float64).
    x1, x2 = pair(x1, x2)
    dtype = promote(x1.dtype, x2.dtype)
    if dtype == torch.int64:
        dtype = torch.float64
    elif dtype in INT_DTYPES:
        dtype = floatx()
    return cast(x1, dtype), cast(x2, dtype)


@keras_op
def hypot(x1, x2):
    """`sqrt(x1**2 + x2**2)`, element-wise (ints give floats).

    Example:

    >>> ops.hypot(ops.convert_to_tensor([1.0, 4.0]), ops.convert_to_tensor([2.0, 3.0]))
    tensor([2.2361, 5.0000])
    """
    return torch.hypot(*_int_to_float(x1, x2))


@keras_op
def heaviside(x1, x2):
    """Heaviside step: 0 where `x1 < 0`, `x2` where `x1 == 0`, 1 where `x1 > 0`.

    Example:

    >>> ops.heaviside(ops.convert_to_tensor([1.0, 4.0]), ops.convert_to_tensor([2.0, 3.0]))
    tensor([1., 1.])
    """
    return torch.heaviside(*_int_to_float(x1, x2))


@keras_op
def ldexp(x1, x2):
    """`x1 * 2**x2`, element-wise; `x2` must be an integer tensor.

    Example:

    >>> ops.ldexp(ops.convert_to_tensor([1.0, 3.0]), ops.convert_to_tensor([2, 1]))  # [4., 6.]
    tensor([4., 6.])
    """
    x1, x2 = pair(x1, x2)
    if x2.dtype not in INT_DTYPES:
        raise TypeError(
            "`ops.ldexp`: the exponent `x2` must be an integer tensor. "
            f"Received: x2.dtype={x2.dtype}"
        )
    return cast(torch.ldexp(x1, x2), promote(x1.dtype, x2.dtype, float))


@keras_op
def nextafter(x1, x2):
    """The next floating-point value after `x1` towards `x2` (computed in float64).

    Example:

    >>> ops.nextafter(ops.convert_to_tensor([1.0, 4.0]), ops.convert_to_tensor([2.0, 3.0]))
    tensor([1., 4.])
    """
    x1, x2 = pair(x1, x2)
    dtype = promote(x1.dtype, x2.dtype, float)
    return torch.nextafter(x1.to(torch.float64), x2.to(torch.float64)).to(dtype)


@keras_op
def divide_no_nan(x1, x2):
    """`x1 / x2`, with 0 wherever `x2` is 0.

    Example:

    >>> ops.divide_no_nan(ops.convert_to_tensor([1.0, 2.0]), ops.convert_to_tensor([0.0, 4.0]))
    tensor([0.0000, 0.5000])
    """
    dtype = promote(dtype_of(x1), dtype_of(x2), float)
    x1, x2 = pair(x1, x2)
    x1, x2 = cast(x1, dtype), cast(x2, dtype)
    zero = x2 == 0
    return torch.where(zero, 0, torch.divide(x1, torch.where(zero, 1, x2)))


def _close(x1, x2, rtol, atol, equal_nan):
    x1, x2 = pair(x1, x2)
    dtype = promote(x1.dtype, x2.dtype)
    x1, x2 = cast(x1, dtype), cast(x2, dtype)
    if dtype.is_floating_point:
        return torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)
    return torch.eq(x1, x2)


@keras_op
def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Whether `|x1 - x2| <= atol + rtol * |x2|`, element-wise (bool).

    Args:
        x1: First input tensor.
        x2: Second input tensor.
        rtol: Relative tolerance.
        atol: Absolute tolerance.
        equal_nan: Whether two NaNs count as close.

    Returns:
        A bool tensor.

    Example:

    >>> ops.isclose(ops.convert_to_tensor([1.0, 4.0]), ops.convert_to_tensor([2.0, 3.0]))
    tensor([False, False])
    """
    return _close(x1, x2, rtol, atol, equal_nan)


@keras_op
def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Whether every element of `x1` is close to `x2` (see `isclose`): a scalar bool tensor.

    Example:

    >>> ops.allclose(ops.convert_to_tensor([1.0, 4.0]), ops.convert_to_tensor([1.0, 4.0]) + 1e-9)
    tensor(True)
    """
    return torch.all(_close(x1, x2, rtol, atol, equal_nan))


__all__ = sorted(list(_BINARY) + list(_BINARY_TENSORS) + list(_BITWISE) + list(_MINMAX) + [
    "subtract", "divide", "true_divide", "bitwise_left_shift", "left_shift", "bitwise_right_shift",
    "right_shift", "floor_divide", "mod", "fmod", "arctan2", "logaddexp", "logaddexp2", "hypot",
    "heaviside", "ldexp", "nextafter", "divide_no_nan", "isclose", "allclose",
])
