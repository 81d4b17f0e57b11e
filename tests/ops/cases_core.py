"""Parity cases of `ops.core`: conversion, casts, slicing/scatter and control flow."""

import numpy as np
import torch

from tests.ops.parity import case

rng = np.random.default_rng(7)
F = rng.standard_normal((3, 4)).astype("float32")
I = np.arange(12, dtype="int32").reshape(3, 4)


def _add(a, b):
    return a + b


def _pair_add(a, b):
    return (a[0] + b[0], a[1] * b[1])


CASES = [
    # conversion and dtypes
    case("convert_to_tensor", [1, 2], _id="convert_to_tensor-int-list"),
    case("convert_to_tensor", [1.0, 2], _id="convert_to_tensor-mixed-list"),
    case("convert_to_tensor", [True, False], _id="convert_to_tensor-bool-list"),
    case("convert_to_tensor", 3, _id="convert_to_tensor-int"),
    case("convert_to_tensor", 2**40, _id="convert_to_tensor-big-int"),
    case("convert_to_tensor", 1.5, _id="convert_to_tensor-float"),
    case("convert_to_tensor", True, _id="convert_to_tensor-bool"),
    case("convert_to_tensor", np.arange(3, dtype="int64"), _id="convert_to_tensor-int64-array"),
    case("convert_to_tensor", np.ones(3), _id="convert_to_tensor-float64-array"),
    case("convert_to_tensor", np.arange(3, dtype="uint32"), _id="convert_to_tensor-uint32-array"),
    case("convert_to_tensor", F, dtype="float16", _id="convert_to_tensor-dtype", _rtol=1e-3),
    case("convert_to_numpy", F),
    case("shape", F, _symbolic=False),
    case("dtype", I, _symbolic=False),
    case("is_tensor", F, _symbolic=False),
    case("cast", F, "int32", _id="cast-float-int"),
    case("cast", I, "float16", _id="cast-int-half"),
    case("cast", I > 4, "float32", _id="cast-bool-float"),
    case("cast", F, "float32", _id="cast-same", _grad=True),
    case("saturate_cast", np.array([-5.0, 0.4, 254.6, 300.0, np.inf, -np.inf], "float32"), "uint8",
         _id="saturate_cast-float-uint8"),
    case("saturate_cast", np.array([-200.0, 5.0, 200.0], "float32"), "int8",
         _id="saturate_cast-float-int8"),
    case("saturate_cast", np.array([-7, 3, 1000], "int32"), "uint8", _id="saturate_cast-int-uint8"),
    case("saturate_cast", np.array([1e6, -1e6, 3.0]), "float16", _id="saturate_cast-f64-f16"),
    # slicing and scattering
    case("slice", F, (1, 1), (2, 2), _id="slice-static"),
    case("slice", I, np.array([0, 2], "int32"), (3, 2), _id="slice-tensor-starts"),
    case("slice_update", F, (1, 0), np.ones((2, 3), "float32"), _id="slice_update-static"),
    case("slice_update", I, np.array([1, 2], "int32"), np.full((2, 2), -1, "int32"),
         _id="slice_update-tensor-starts"),
    case("scatter", np.array([[0, 1], [2, 3], [0, 1]]), np.array([1.0, 2.0, 3.0], "float32"), (3, 4),
         _id="scatter-repeated"),
    case("scatter", np.array([[1], [0]]), np.ones((2, 4), "float32"), (3, 4), _id="scatter-rows"),
    case("scatter_update", F, np.array([[0, 0], [2, 3]]), np.array([9.0, 8.0], "float32"),
         _id="scatter_update-replace"),
    case("scatter_update", F, np.array([[0, 0], [0, 0], [1, 2]]), np.array([1.0, 2.0, 3.0], "float32"),
         reduction="add", _id="scatter_update-add"),
    case("scatter_update", F, np.array([[0, 0], [1, 2]]), np.array([5.0, -5.0], "float32"),
         reduction="max", _id="scatter_update-max"),
    case("scatter_update", F, np.array([[0, 0], [1, 2]]), np.array([5.0, -5.0], "float32"),
         reduction="min", _id="scatter_update-min"),
    case("scatter_update", F, np.array([[0, 0], [0, 0]]), np.array([2.0, 3.0], "float32"),
         reduction="mul", _id="scatter_update-mul"),
    case("scatter_update", I, np.array([[1]]), np.array([[7, 7, 7, 7]], "int32"),
         _id="scatter_update-row"),
    case("unstack", torch.tensor(F), _id="unstack"),  # Keras converts no numpy input here,
    case("unstack", torch.tensor(F), axis=1, _id="unstack-axis1"),
    # control flow
    case("cond", np.array(True), lambda: np.float32(1.0), lambda: np.float32(2.0),
         _id="cond-true", _symbolic=False),
    case("switch", 1, [lambda x: x + 1, lambda x: x * 2], F, _id="switch"),
    case("switch", 7, [lambda x: x + 1, lambda x: x * 2], F, _id="switch-clamped-high"),
    case("switch", -3, [lambda x: x + 1, lambda x: x * 2], F, _id="switch-clamped-low"),
    case("while_loop", lambda i, s: i < 5, lambda i, s: (i + 1, s * 2), (0, np.float32(1.0)),
         _id="while_loop"),
    case("while_loop", lambda x: x.sum() < 100, lambda x: x * 2, np.ones(3, "float32"),
         maximum_iterations=3, _id="while_loop-max-iterations"),
    case("fori_loop", 0, 5, lambda i, v: v + i, np.zeros(2, "float32"), _id="fori_loop"),
    case("scan", lambda c, x: (c + x, c * x), np.float32(0.0), np.arange(5, dtype="float32"),
         _id="scan"),
    case("scan", lambda c, x: (c + x, c * x), np.float32(1.0), np.arange(5, dtype="float32"),
         reverse=True, _id="scan-reverse"),
    case("scan", lambda c, x: (c * 2, None), np.ones(2, "float32"), None, length=3,
         _id="scan-length"),
    case("scan", lambda c, x: ((c[0] + x["a"], c[1]), x["b"] * c[0]),
         (np.float32(0.0), np.int32(1)), {"a": F, "b": F}, _id="scan-nested"),
    # Keras's torch backend returns float32 here (its interleave pads with float zeros); kerasish
    # keeps the integer dtype, as Keras does on JAX and TensorFlow: values compared, not dtypes.
    case("associative_scan", _add, np.arange(7, dtype="int32"), _id="associative_scan-odd",
         _dtype=False),
    case("associative_scan", _add, F, axis=1, _id="associative_scan-axis1"),
    case("associative_scan", _add, np.arange(8, dtype="float32"), reverse=True,
         _id="associative_scan-reverse"),
    case("associative_scan", _pair_add, (np.arange(6, dtype="float32"), np.full(6, 2.0, "float32")),
         _id="associative_scan-pair"),
    case("map", lambda x: x * 2, F, _id="map"),
    case("map", lambda x: {"s": x.sum(), "m": x.max()}, F, _id="map-dict"),
    # Keras converts no numpy input in these two.
    case("vectorized_map", lambda x: x * x + 1, torch.tensor(F), _id="vectorized_map"),
    case("stop_gradient", torch.tensor(F)),
]
