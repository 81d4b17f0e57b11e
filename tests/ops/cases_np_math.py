"""Parity cases of the elementwise numpy ops (kerasish.ops.np_math / np_binary): values, dtypes
(int/bool/float64/uint8 inputs, Python numbers), broadcasting, nan/inf, gradients."""

import numpy as np

from tests.ops.parity import case

_rng = np.random.default_rng(0)
F = _rng.standard_normal((3, 4)).astype("float32")
G = _rng.standard_normal((3, 4)).astype("float32")
ROW = _rng.standard_normal((4,)).astype("float32")
POS = _rng.uniform(0.2, 3.0, (3, 4)).astype("float32")
UNIT = _rng.uniform(-0.9, 0.9, (3, 4)).astype("float32")
I = _rng.integers(-6, 7, (3, 4)).astype("int32")
J = _rng.integers(1, 5, (3, 4)).astype("int32")
I64 = I.astype("int64")
IPOS = _rng.integers(1, 9, (3, 4)).astype("int32")
U8 = _rng.integers(0, 200, (3, 4)).astype("uint8")
B = _rng.integers(0, 2, (3, 4)).astype(bool)
B2 = _rng.integers(0, 2, (3, 4)).astype(bool)
F64 = _rng.standard_normal((3, 4))
F16 = F.astype("float16")
SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -2.5, 3.0], dtype="float32")

CASES = []


def add(*cases):
    CASES.extend(cases)


# ------------------------------------------------------------------ unary
# op -> (float input for values and gradients, whether int/bool inputs are allowed by torch)
_UNARY = {
    "arccos": UNIT, "arcsin": UNIT, "arctanh": UNIT, "arccosh": POS + 1.0, "arcsinh": F,
    "arctan": F, "cos": F, "cosh": F, "sin": F, "sinh": F, "tan": UNIT, "tanh": F, "log": POS,
    "log10": POS, "log1p": POS, "log2": POS, "exp": F, "exp2": F, "expm1": F, "sqrt": POS,
    "square": F, "absolute": F, "abs": F, "fabs": F, "negative": F, "reciprocal": POS,
    "sign": F, "sinc": F, "cbrt": F, "deg2rad": F, "rad2deg": F, "i0": F, "trunc": F * 3,
    "ceil": F * 3, "floor": F * 3, "round": F * 3, "conj": F, "conjugate": F, "real": F,
    "angle": F, "isfinite": F, "isinf": F, "isnan": F, "isneginf": F, "isposinf": F,
    "isreal": F, "signbit": F, "logical_not": F,
}
_NO_GRAD = {"isfinite", "isinf", "isnan", "isneginf", "isposinf", "isreal", "signbit",
            "logical_not", "sign", "trunc", "ceil", "floor", "round", "angle", "cbrt"}
_NO_BOOL = {"negative", "sign", "round", "trunc", "real", "conj", "conjugate", "ceil", "floor",
            "i0", "deg2rad", "rad2deg"}
_NO_INT = {"i0"}
_NO_PYTHON = {"conj", "conjugate", "real"}  # Keras takes only tensors and arrays there
_ATOL = {"exp2": 1e-5, "cosh": 1e-5, "sinh": 1e-5, "exp": 1e-5, "rad2deg": 1e-4, "i0": 1e-5}

for _op, _x in _UNARY.items():
    _tol = dict(_atol=_ATOL.get(_op, 1e-6))
    add(case(_op, _x, _id=f"{_op}-f32", _grad=_op not in _NO_GRAD, **_tol),
        case(_op, _x.astype("float64"), _id=f"{_op}-f64", **_tol),
        case(_op, SPECIAL, _id=f"{_op}-nan-inf", _rtol=1e-4, **_tol))
    if _op not in _NO_PYTHON:
        add(case(_op, float(_x.flat[0]), _id=f"{_op}-pyfloat", **_tol))
    if _op not in _NO_INT:
        add(case(_op, IPOS if _op in ("log", "log10", "log2", "log1p", "sqrt", "reciprocal",
                                      "arccosh") else I, _id=f"{_op}-int32", _rtol=1e-4, **_tol),
            case(_op, IPOS.astype("int64"), _id=f"{_op}-int64", _rtol=1e-4, **_tol),
            case(_op, U8, _id=f"{_op}-uint8", _rtol=1e-4, _atol=1e-3))
        if _op not in _NO_PYTHON:
            add(case(_op, 2, _id=f"{_op}-pyint", **_tol))
    if _op not in _NO_BOOL:
        add(case(_op, B, _id=f"{_op}-bool", **_tol))

add(
    case("round", F * 10, decimals=1, _id="round-decimals", _rtol=1e-5),
    case("round", np.array([0.5, 1.5, 2.5, -0.5], "float32"), _id="round-half-even"),
    case("round", I * 17, decimals=-1, _id="round-int-decimals"),
    case("conj", (F + 1j * G).astype("complex64"), _id="conj-complex"),
    case("real", (F + 1j * G).astype("complex64"), _id="real-complex"),
    case("imag", (F + 1j * G).astype("complex64"), _id="imag-complex"),
    case("imag", (F + 1j * G).astype("complex128"), _id="imag-complex128"),
    case("angle", (F + 1j * G).astype("complex64"), _id="angle-complex"),
    case("isreal", np.array([1 + 0j, 1 + 1j], "complex64"), _id="isreal-complex"),
    case("bitwise_invert", I, _id="bitwise_invert-int"),
    case("bitwise_invert", B, _id="bitwise_invert-bool"),
    case("bitwise_not", U8, _id="bitwise_not-uint8"),
    case("bitwise_not", I64, _id="bitwise_not-int64"),
    case("sqrt", F16, _id="sqrt-f16", _rtol=1e-3),
    case("exp", F16, _id="exp-f16", _rtol=1e-3),
    case("ceil", F16, _id="ceil-f16"),
    case("nan_to_num", SPECIAL, _id="nan_to_num-default"),
    case("nan_to_num", SPECIAL, nan=-1.0, posinf=9.0, neginf=-9.0, _id="nan_to_num-values"),
    case("nan_to_num", SPECIAL.astype("float64"), nan=5.0, _id="nan_to_num-f64"),
    case("nan_to_num", I, _id="nan_to_num-int"),
    case("nan_to_num", F, _id="nan_to_num-grad", _grad=True),
    case("clip", F, -0.5, 0.5, _id="clip-f32", _grad=True),
    case("clip", I, -2, 3, _id="clip-int"),
    case("clip", I, -2.5, 3.5, _id="clip-int-float-bounds"),
    case("clip", B, 0, 1, _id="clip-bool"),
    case("clip", F64, -1, 1, _id="clip-f64"),
    case("clip", F16, -0.5, 0.5, _id="clip-f16"),
    case("clip", F, ROW - 0.5, ROW + 0.5, _id="clip-broadcast-bounds", _grad=True),
    case("clip", U8, 10, 100, _id="clip-uint8"),
)

# ------------------------------------------------------------------ binary
_ARITH = ["add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum", "fmax",
          "fmin", "power", "mod", "fmod", "floor_divide", "arctan2", "hypot", "logaddexp",
          "logaddexp2", "divide_no_nan", "heaviside", "nextafter"]
_CMP = ["equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
        "logical_or", "logical_xor"]
_DIFF = {"add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum", "fmax",
         "fmin", "arctan2", "hypot", "logaddexp", "logaddexp2", "divide_no_nan"}
_SECOND = {"power": POS, "mod": POS, "fmod": POS, "floor_divide": POS}
_FIRST = {"power": POS}
_BOOL_OK = {"add", "multiply", "maximum", "minimum", "fmax", "fmin", "logical_and", "logical_or",
            "logical_xor", "equal", "not_equal", "greater", "less", "greater_equal", "less_equal",
            "arctan2", "logaddexp", "logaddexp2", "divide", "true_divide",
            "heaviside", "nextafter", "divide_no_nan"}

for _op in _ARITH + _CMP:
    a, b = _FIRST.get(_op, F), _SECOND.get(_op, G)
    ib = J if _op in ("mod", "fmod", "floor_divide", "power") else I
    tol = dict(_rtol=1e-5, _atol=1e-5)
    add(case(_op, a, b, _id=f"{_op}-f32", _grad=_op in _DIFF, **tol),
        case(_op, a, b[0], _id=f"{_op}-broadcast", _grad=_op in _DIFF, **tol),
        case(_op, a.astype("float64"), b.astype("float64"), _id=f"{_op}-f64", **tol),
        case(_op, a, b.astype("float64"), _id=f"{_op}-f32-f64", **tol),
        case(_op, I if _op != "power" else IPOS, ib, _id=f"{_op}-int32", **tol),
        case(_op, I64, ib, _id=f"{_op}-int64-int32", **tol),
        case(_op, I, b, _id=f"{_op}-int-float", **tol),
        case(_op, a, 2, _id=f"{_op}-pyint", **tol),
        case(_op, a, 1.5, _id=f"{_op}-pyfloat", **tol),
        case(_op, I if _op != "power" else IPOS, 2, _id=f"{_op}-int-pyint", **tol),
        case(_op, I if _op != "power" else IPOS, 1.5, _id=f"{_op}-int-pyfloat", **tol),
        case(_op, 3.0, b, _id=f"{_op}-pyfloat-first", **tol),
        case(_op, U8, J if _op in ("mod", "fmod", "floor_divide") else ib,
             _id=f"{_op}-uint8-int32", **tol),
        case(_op, U8, 3, _id=f"{_op}-uint8-pyint", **tol),
        case(_op, F16, 2.0, _id=f"{_op}-f16-pyfloat", _rtol=2e-3, _atol=2e-3))
    if _op in _BOOL_OK:
        add(case(_op, B, B2, _id=f"{_op}-bool", **tol),
            case(_op, B, I, _id=f"{_op}-bool-int", **tol),
            case(_op, B, 1.5, _id=f"{_op}-bool-pyfloat", **tol))

add(
    case("subtract", B, I, _id="subtract-bool-int"),
    case("subtract", F, B, _id="subtract-float-bool"),
    case("mod", B, B2 | True, _id="mod-bool"),
    case("maximum", SPECIAL, 0.0, _id="maximum-nan"),
    case("fmax", SPECIAL, 0.0, _id="fmax-nan"),
    case("fmin", SPECIAL, 0.0, _id="fmin-nan"),
    case("minimum", SPECIAL, 0.0, _id="minimum-nan"),
    case("divide", F, np.zeros_like(F), _id="divide-by-zero"),
    case("divide_no_nan", F, np.where(B, 0, G).astype("float32"), _id="divide_no_nan-zeros",
         _grad=True),
    case("divide_no_nan", I, np.where(B, 0, J).astype("int32"), _id="divide_no_nan-int"),
    case("equal", SPECIAL, SPECIAL, _id="equal-nan"),
    case("power", I, 2, _id="power-int-square"),
    case("power", F, 2.0, _id="power-grad-pyfloat", _grad=True),
    case("floor_divide", 7, 2, _id="floor_divide-pyints"),
    case("floor_divide", 7.5, 2, _id="floor_divide-pyfloat-int"),
    case("heaviside", np.array([-1.0, 0.0, 2.0], "float32"), 0.5, _id="heaviside-zero"),
    case("heaviside", I64, I64, _id="heaviside-int64"),
    case("hypot", I64, I64, _id="hypot-int64"),
    case("arctan2", I, J, _id="arctan2-ints"),
    case("logaddexp", F16, F16, _id="logaddexp-f16", _rtol=2e-3),
    case("ldexp", F, J, _id="ldexp-f32-int", _grad=True),
    case("ldexp", I, J, _id="ldexp-int-int"),
    case("ldexp", F64, J, _id="ldexp-f64-int"),
    case("ldexp", F, 3, _id="ldexp-pyint"),
    case("ldexp", F16, J.astype("int8"), _id="ldexp-f16-int8", _rtol=1e-3),
    case("gcd", I, J, _id="gcd-int"),
    case("gcd", I64, 6, _id="gcd-int64-pyint"),
    case("lcm", IPOS, J, _id="lcm-int"),
    case("lcm", U8, J.astype("uint8"), _id="lcm-uint8"),
    case("isclose", F, F + 1e-7, _id="isclose-close"),
    case("isclose", F, G, _id="isclose-far"),
    case("isclose", SPECIAL, SPECIAL, equal_nan=True, _id="isclose-equal_nan"),
    case("isclose", SPECIAL, SPECIAL, _id="isclose-nan"),
    case("isclose", F, F + 0.01, rtol=0.1, atol=0.01, _id="isclose-tols"),
    case("isclose", I, I, _id="isclose-int"),
    case("isclose", I, F, _id="isclose-int-float"),
    case("isclose", F64, F64[0], _id="isclose-broadcast-f64"),
    case("allclose", F, F + 1e-7, _id="allclose-true"),
    case("allclose", F, G, _id="allclose-false"),
    case("allclose", SPECIAL, SPECIAL, equal_nan=True, _id="allclose-equal_nan"),
    case("allclose", I, I + 1, _id="allclose-int"),
    case("nextafter", F, G, _id="nextafter-f32"),
    case("nextafter", F64, 0.0, _id="nextafter-f64"),
)
for _op in ("bitwise_and", "bitwise_or", "bitwise_xor"):
    add(case(_op, I, J, _id=f"{_op}-int32"),
        case(_op, B, B2, _id=f"{_op}-bool"),
        case(_op, U8, J.astype("uint8"), _id=f"{_op}-uint8"),
        case(_op, I64, 5, _id=f"{_op}-int64-pyint"),
        case(_op, I, I64, _id=f"{_op}-int32-int64"),
        case(_op, x=I, y=J, _id=f"{_op}-kwargs"))
for _op in ("bitwise_left_shift", "left_shift", "bitwise_right_shift", "right_shift"):
    add(case(_op, IPOS, J, _id=f"{_op}-int32"),
        case(_op, IPOS, 2, _id=f"{_op}-pyint"),
        case(_op, U8, J.astype("uint8"), _id=f"{_op}-uint8"),
        case(_op, IPOS.astype("int64"), J, _id=f"{_op}-int64-int32"),
        case(_op, x=IPOS, y=1, _id=f"{_op}-kwargs"))

# Python numbers next to tensors: the fast paths that hand them to torch as weak scalars must give
# what Keras's conversion to 0-d int32/float32/bool tensors gives.
I8 = I.astype("int8")
for _op in ("add", "multiply", "subtract", "power", "equal", "greater", "less_equal"):
    add(case(_op, B, 2, _id=f"{_op}-bool-pyint"),
        case(_op, B, True, _id=f"{_op}-bool-pybool") if _op not in ("subtract", "power") else
        case(_op, I, True, _id=f"{_op}-int-pybool"),
        case(_op, I8, 100, _id=f"{_op}-int8-pyint"),
        case(_op, I8, 300, _id=f"{_op}-int8-pyint-overflow"),
        case(_op, U8, 200, _id=f"{_op}-uint8-pyint-200"),
        case(_op, F16, 3, _id=f"{_op}-f16-pyint", _rtol=1e-3),
        case(_op, F64, 0.1, _id=f"{_op}-f64-pyfloat"),
        case(_op, I64, -7, _id=f"{_op}-int64-pyint-negative"),
        case(_op, I, 2**31 - 1, _id=f"{_op}-int-pyint-max"))
add(case("clip", F, -1, 1, _id="clip-f32-int-bounds", _grad=True),
    case("clip", F16, -1, 1.5, _id="clip-f16-mixed-bounds"),
    case("clip", F, np.float32(-0.1), 0.2, _id="clip-f32-numpy-bound"),
    case("clip", I, 0.5, 2, _id="clip-int-mixed-bounds"))
EDGES = np.array([-1.0, -0.5, 0.0, 0.5, 1.0, 2.0], "float32")
add(case("clip", EDGES, -0.5, 1.0, _id="clip-at-bounds", _grad=True),
    case("clip", EDGES, 0, 1, _id="clip-at-int-bounds", _grad=True),
    case("abs", EDGES, _id="abs-at-zero", _grad=True),
    case("sqrt", np.abs(EDGES), _id="sqrt-at-zero", _grad=True),
    case("maximum", EDGES, 0.5, _id="maximum-ties", _grad=True),
    case("minimum", EDGES, EDGES[::-1].copy(), _id="minimum-ties", _grad=True),
    case("fmax", EDGES, 0.0, _id="fmax-ties", _grad=True),
    case("hypot", EDGES, EDGES, _id="hypot-at-zero", _grad=True),
    case("power", np.abs(EDGES), 0.5, _id="power-at-zero", _grad=True),
    case("cbrt", EDGES, _id="cbrt-at-zero", _grad=True))

# Complex inputs (Keras's torch backend hands them to torch as they are).
C = (F + 1j * G).astype("complex64")
for _op in ("abs", "absolute", "exp", "sqrt", "square", "negative", "log", "sin", "tanh",
            "isfinite", "isnan", "reciprocal", "conjugate", "angle", "real", "imag"):
    add(case(_op, C, _id=f"{_op}-complex64", _rtol=1e-4, _atol=1e-5))
for _op in ("add", "subtract", "multiply", "divide", "equal", "power"):
    add(case(_op, C, G, _id=f"{_op}-complex-float", _rtol=1e-4, _atol=1e-5),
        case(_op, C, 2.0, _id=f"{_op}-complex-pyfloat", _rtol=1e-4, _atol=1e-5),
        case(_op, C.astype("complex128"), C, _id=f"{_op}-complex128", _rtol=1e-4, _atol=1e-5))
add(case("isclose", F, 0.5, _id="isclose-pyfloat"),
    case("isclose", I, 2, _id="isclose-int-pyint"),
    case("isclose", I, 2.0, _id="isclose-int-pyfloat"),
    case("allclose", F, F.astype("float64"), _id="allclose-f32-f64"),
    case("allclose", I, I.astype("float32"), _id="allclose-int-float"),
    case("isclose", C, C, _id="isclose-complex"))
