"""Parity cases of the numpy reductions and statistics (kerasish.ops.np_reductions / np_stats):
axis None/int/negative/tuple/empty, keepdims, int/bool/uint8/float64 inputs, NaNs, gradients."""

import numpy as np

from tests.ops.parity import case

_rng = np.random.default_rng(1)
X = _rng.standard_normal((2, 3, 4)).astype("float32")
M = _rng.standard_normal((3, 4)).astype("float32")
I = _rng.integers(-5, 6, (2, 3, 4)).astype("int32")
IM = _rng.integers(-5, 6, (3, 4)).astype("int32")
I64 = I.astype("int64")
U8 = _rng.integers(0, 250, (2, 3, 4)).astype("uint8")
I8 = _rng.integers(-3, 4, (2, 3, 4)).astype("int8")
B = _rng.integers(0, 2, (2, 3, 4)).astype(bool)
X64 = X.astype("float64")
X16 = X.astype("float16")
NANS = X.copy()
NANS[0, 1, 2] = NANS[1, 0, 0] = NANS[1, 2, 3] = np.nan
NANS[0, 2, :] = np.nan  # a row that is all NaN
SMALL = _rng.uniform(0.5, 1.5, (2, 3, 4)).astype("float32")

_AXES = [dict(), dict(axis=0), dict(axis=-1), dict(axis=(0, 2)), dict(axis=1, keepdims=True),
         dict(axis=(-1, 0), keepdims=True)]

CASES = []


def add(*cases):
    CASES.extend(cases)


def _kw_id(kw):
    return "-".join(f"{k}{v}" for k, v in kw.items()).replace(" ", "") or "all"


def _sweep(op, x, name, grad=False, axes=_AXES, **tol):
    for kw in axes:
        add(case(op, x, _id=f"{op}-{name}-{_kw_id(kw)}", _grad=grad, **tol, **kw))


# ------------------------------------------------------------------ sum, mean, extrema, moments
for _op in ("sum", "mean", "max", "min", "amax", "amin", "std", "var", "ptp", "prod"):
    grad = _op not in ("ptp",)
    _sweep(_op, SMALL if _op == "prod" else X, "f32", grad=grad, _rtol=1e-5, _atol=1e-5)
    _sweep(_op, I, "int32", axes=_AXES[:4], _rtol=1e-5, _atol=1e-5)
    add(case(_op, X64, _id=f"{_op}-f64", _rtol=1e-5),
        case(_op, X64, axis=1, _id=f"{_op}-f64-axis", _rtol=1e-5),
        case(_op, I64, _id=f"{_op}-int64", _rtol=1e-5),
        case(_op, U8, axis=2, _id=f"{_op}-uint8", _rtol=1e-5),
        case(_op, I8, axis=0, _id=f"{_op}-int8", _rtol=1e-5),
        case(_op, X16, axis=1, _id=f"{_op}-f16", _rtol=5e-3, _atol=5e-3),
        case(_op, [[1.0, 2.0], [3.0, 5.0]], axis=0, _id=f"{_op}-list", _rtol=1e-5),
        case(_op, 3.0, _id=f"{_op}-pyfloat", _rtol=1e-5))
    if _op not in ("ptp",):
        add(case(_op, B, _id=f"{_op}-bool", _rtol=1e-5),
            case(_op, B, axis=1, _id=f"{_op}-bool-axis", _rtol=1e-5))
    if _op in ("sum", "mean", "amax", "amin", "std", "prod"):
        add(case(_op, NANS, axis=-1, _id=f"{_op}-nan", _rtol=1e-5))

add(
    case("sum", X, axis=(), _id="sum-empty-axis"),
    case("sum", I, axis=[0, 1], _id="sum-axis-list"),
    case("mean", X, axis=(), _id="mean-empty-axis"),
    case("mean", I, axis=(), _id="mean-int-empty-axis"),
    case("mean", np.ones((2, 0), "float32"), axis=1, _id="mean-empty-dim"),
    case("sum", [X, X], axis=0, _id="sum-list-of-arrays"),
    case("max", X, axis=1, initial=0.5, _id="max-initial", _grad=True),
    case("max", I, initial=100, _id="max-int-initial"),
    case("min", X, axis=(0, 1), initial=-0.5, _id="min-initial"),
    case("max", np.zeros((0, 3), "float32"), axis=0, initial=2.0, _id="max-empty-initial"),
    case("amax", X, axis=(), _id="amax-empty-axis"),
    case("amin", I, axis=(), _id="amin-empty-axis"),
    case("max", X, axis=(), _id="max-empty-axis"),
    case("sum", [[1, 2], [3, 4]], axis=1, _id="sum-nested-list"),
    case("cumsum", X, axis=1, dtype="float64", _id="cumsum-dtype-f64"),
    case("prod", I, axis=2, dtype="int64", _id="prod-dtype-int64"),
    case("var", X, axis=(), _id="var-empty-axis"),
    case("var", I, axis=(), _id="var-int-empty-axis"),
    case("ptp", X, axis=(), _id="ptp-empty-axis"),
    case("prod", I, dtype="float32", _id="prod-dtype"),
    case("prod", I8, axis=1, dtype="int16", _id="prod-dtype-int16"),
    case("prod", X, axis=(0, 1), dtype="float64", _id="prod-dtype-f64", _rtol=1e-5),
    case("std", X64, axis=(0, 2), keepdims=True, _id="std-f64-keepdims"),
)

# ------------------------------------------------------------------ logic, arg, count
for _op in ("all", "any"):
    _sweep(_op, B, "bool")
    add(case(_op, I, axis=1, _id=f"{_op}-int"),
        case(_op, X, axis=-1, _id=f"{_op}-float"),
        case(_op, NANS, _id=f"{_op}-nan"),
        case(_op, I, axis=(), _id=f"{_op}-empty-axis"),
        case(_op, [True, False], _id=f"{_op}-list"))
for _op in ("argmax", "argmin", "nanargmax", "nanargmin"):
    for kw in (dict(), dict(axis=0), dict(axis=-1), dict(axis=1, keepdims=True)):
        add(case(_op, X, _id=f"{_op}-f32-{_kw_id(kw)}", **kw),
            case(_op, I, _id=f"{_op}-int-{_kw_id(kw)}", **kw))
    add(case(_op, B, axis=2, _id=f"{_op}-bool"),
        case(_op, X64, axis=1, _id=f"{_op}-f64"),
        case(_op, U8, axis=1, _id=f"{_op}-uint8"),
        case(_op, np.array([3.0, 1.0, 3.0, 1.0], "float32"), _id=f"{_op}-ties"),
        case(_op, NANS[1], axis=1, _id=f"{_op}-nan"))
add(case("nanargmax", NANS, axis=-1, _id="nanargmax-all-nan-row"),
    case("nanargmin", NANS, axis=2, keepdims=True, _id="nanargmin-all-nan-row-keepdims"))
for kw in (dict(), dict(axis=0), dict(axis=-1), dict(axis=(0, 1)), dict(axis=())):
    add(case("count_nonzero", IM, _id=f"count_nonzero-int-{_kw_id(kw)}", **kw),
        case("count_nonzero", M > 0, _id=f"count_nonzero-bool-{_kw_id(kw)}", **kw))
add(case("count_nonzero", I, axis=(1, 2), _id="count_nonzero-3d-tuple"),
    case("count_nonzero", NANS, _id="count_nonzero-nan"))

# ------------------------------------------------------------------ cumulative
for _op in ("cumsum", "cumprod", "nancumsum", "nancumprod"):
    x = SMALL if "prod" in _op else X
    add(case(_op, x, _id=f"{_op}-f32", _grad=True, _rtol=1e-5, _atol=1e-5),
        case(_op, x, axis=1, _id=f"{_op}-axis1", _grad=True, _rtol=1e-5, _atol=1e-5),
        case(_op, x, axis=-1, _id=f"{_op}-axis-neg", _rtol=1e-5),
        case(_op, I, axis=0, _id=f"{_op}-int32"),
        case(_op, I64, axis=2, _id=f"{_op}-int64"),
        case(_op, B, axis=1, _id=f"{_op}-bool"),
        case(_op, U8, axis=0, _id=f"{_op}-uint8"),
        case(_op, X64, axis=1, _id=f"{_op}-f64", _rtol=1e-5),
        case(_op, X16, axis=1, _id=f"{_op}-f16", _rtol=5e-3, _atol=5e-3),
        case(_op, I, axis=1, dtype="float32", _id=f"{_op}-dtype"),
        case(_op, X, axis=0, dtype="int32", _id=f"{_op}-dtype-int"),
        case(_op, [1, 2, 3], _id=f"{_op}-list"))
    if _op.startswith("nan"):
        add(case(_op, NANS, axis=-1, _id=f"{_op}-nan", _rtol=1e-5),
            case(_op, NANS, _id=f"{_op}-nan-flat", _rtol=1e-5))

# ------------------------------------------------------------------ nan-ignoring reductions
for _op in ("nanmax", "nanmin", "nanmean", "nansum", "nanprod", "nanvar", "nanstd"):
    x = np.where(np.isnan(NANS), np.nan, SMALL).astype("float32") if _op == "nanprod" else NANS
    grad = _op in ("nanmean", "nansum", "nanprod")
    _sweep(_op, x, "nan", grad=grad, _rtol=1e-5, _atol=1e-5)
    add(case(_op, X, axis=1, _id=f"{_op}-f32", _grad=_op != "nanvar", _rtol=1e-5, _atol=1e-5),
        case(_op, I, axis=1, _id=f"{_op}-int32", _rtol=1e-5),
        case(_op, X64, axis=0, _id=f"{_op}-f64", _rtol=1e-5),
        case(_op, np.where(np.isnan(NANS), np.nan, X64), _id=f"{_op}-nan-f64", _rtol=1e-5))
    if _op not in ("nanmax", "nanmin"):
        add(case(_op, NANS, axis=(), _id=f"{_op}-empty-axis"))
add(case("nansum", U8, axis=1, _id="nansum-uint8"),
    case("nansum", I8, _id="nansum-int8"),
    case("nansum", B, axis=0, _id="nansum-bool"),
    case("nanprod", I, axis=(0, 2), _id="nanprod-int-axes"),
    case("nanmean", B, axis=1, _id="nanmean-bool"),
    case("nanmax", I, axis=(1, 2), _id="nanmax-int-axes"))

# ------------------------------------------------------------------ statistics
for _op, qs in (("quantile", (0.3, [0.1, 0.5, 0.9])), ("percentile", (30.0, [10.0, 50.0, 90.0])),
                ("nanquantile", (0.3, [0.1, 0.5, 0.9])),
                ("nanpercentile", (30, [10.0, 50.0, 90.0]))):
    x = NANS if _op.startswith("nan") else X
    for q in qs:
        qn = "vec" if isinstance(q, list) else "scalar"
        for kw in (dict(), dict(axis=1), dict(axis=-1, keepdims=True), dict(axis=(0, 2)),
                   dict(axis=(0, 2), keepdims=True), dict(keepdims=True)):
            add(case(_op, x, q, _id=f"{_op}-{qn}-{_kw_id(kw)}", _rtol=1e-5, _atol=1e-5, **kw))
    add(case(_op, X, qs[0], axis=1, _id=f"{_op}-grad", _grad=True, _rtol=1e-5, _atol=1e-5),
        case(_op, I, qs[0], axis=1, _id=f"{_op}-int"),
        case(_op, X64, qs[0], axis=1, _id=f"{_op}-f64"),
        case(_op, X, np.array(qs[1], "float32"), axis=2, _id=f"{_op}-array-q", _rtol=1e-5))
    for method in ("lower", "higher", "midpoint", "nearest"):
        add(case(_op, x, qs[1], axis=1, method=method, _id=f"{_op}-{method}", _rtol=1e-5))
for _op in ("median", "nanmedian"):
    x = NANS if _op == "nanmedian" else X
    _sweep(_op, x, "f32", _rtol=1e-5, _atol=1e-5)
    add(case(_op, X, axis=1, _id=f"{_op}-grad", _grad=True),
        case(_op, I, _id=f"{_op}-int"),
        case(_op, I, axis=1, _id=f"{_op}-int-axis"),
        case(_op, X64, axis=-1, _id=f"{_op}-f64"),
        case(_op, [1.0, 3.0, 2.0, 4.0], _id=f"{_op}-even-count"))
add(case("nanmedian", NANS, axis=(), _id="nanmedian-empty-axis"))

add(
    case("average", X, _id="average-all", _grad=True),
    case("average", X, axis=1, _id="average-axis"),
    case("average", X, axis=-1, weights=X[0, 0] ** 2, _id="average-weights-last-axis", _grad=True,
         _rtol=1e-5),
    case("average", X[0, 0], weights=np.array([1.0, 2.0, 3.0, 4.0], "float32"),
         _id="average-1d-weights"),
    case("average", I, axis=0, _id="average-int"),
    case("average", I[0, 0], weights=[1, 2, 3, 4], _id="average-int-int-weights"),
    case("average", X64, axis=2, _id="average-f64"),
    case("average", B, _id="average-bool"),
    case("average", X, axis=(), _id="average-empty-axis"),
    case("corrcoef", M, _id="corrcoef-f32", _grad=True, _rtol=1e-5, _atol=1e-5),
    case("corrcoef", M.astype("float64"), _id="corrcoef-f64"),
    case("corrcoef", IM, _id="corrcoef-int32", _rtol=1e-5),
    case("corrcoef", IM.astype("int64"), _id="corrcoef-int64"),
    case("corrcoef", M[0], _id="corrcoef-1d"),
)
for _op in ("bartlett", "blackman", "hamming", "hanning"):
    add(case(_op, 7, _id=f"{_op}-odd", _symbolic=False),
        case(_op, 8, _id=f"{_op}-even", _symbolic=False),
        case(_op, 1, _id=f"{_op}-one", _symbolic=False))
add(case("kaiser", 7, 14.0, _id="kaiser-odd", _symbolic=False, _rtol=1e-5),
    case("kaiser", 8, beta=0.5, _id="kaiser-even", _symbolic=False, _rtol=1e-5),
    case("kaiser", 1, 5, _id="kaiser-one", _symbolic=False))

# Ties and bounds: how gradients split between equal extrema must match Keras too.
TIES = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, -1.0]], "float32")
for _op in ("max", "min", "amax", "amin", "nanmax", "nanmin", "ptp", "median", "argmax"):
    for kw in (dict(), dict(axis=1), dict(axis=0, keepdims=True)):
        add(case(_op, TIES, _id=f"{_op}-ties-{_kw_id(kw)}", _grad=_op != "argmax", **kw))
add(case("max", TIES, axis=1, initial=2.0, _id="max-ties-initial", _grad=True),
    case("quantile", TIES, 0.5, axis=1, method="nearest", _id="quantile-ties", _grad=True),
    case("std", np.ones((2, 3), "float32"), axis=1, _id="std-constant"),
    case("var", np.ones((2, 3), "float32"), axis=1, _id="var-constant", _grad=True))

CX = (X + 1j * SMALL).astype("complex64")
for _op in ("sum", "mean", "prod", "cumsum", "var", "std"):
    add(case(_op, CX, axis=1, _id=f"{_op}-complex64", _rtol=1e-4, _atol=1e-5))
