"""Parity cases of the indexing, sorting, searching and counting ops (`np_index.py`, part of
`np_arrays`)."""

import numpy as np
import torch

from tests.ops.cases_np_arrays import b, f32, f64, i32
from tests.ops.parity import Case, assert_same, case

_x = np.arange(24, dtype="float32").reshape(2, 3, 4)
_c = np.array([[True, False, True], [False, False, True]])


# `_symbolic=False`: Keras's symbolic spec disagrees with its torch eager result (see
# cases_np_arrays.py): `nonzero` is a tuple symbolically, one tensor eagerly; `searchsorted` and
# `unravel_index` are int64 symbolically, int32 eagerly; ...


def _ix(*values):
    return torch.tensor(values)


def _calls(*args, **kwargs):
    """Compares the vectorized functions (the op's results) on `args`."""

    def compare(ours, ref):
        assert_same(ours(*args, **kwargs), ref(*args, **kwargs), Case("vectorize", args, kwargs))

    return compare


def _dot(a, b):
    return torch.sum(a * b)


def _scale_shift(x):
    return x * 2.0 + 1.0


def _two_outputs(a, b):
    return a @ b, a.sum()


CASES = [
    case("vectorize", _scale_shift, _id="vectorize_elementwise",
         _compare=_calls(torch.tensor(f32(2, 3)))),
    case("vectorize", _dot, signature="(n),(n)->()", _id="vectorize_signature",
         _compare=_calls(torch.tensor(f32(4, 3)), torch.tensor(f32(3)))),
    case("vectorize", _dot, signature="(n),(n)->()", _id="vectorize_broadcast",
         _compare=_calls(torch.tensor(f32(2, 1, 3)), torch.tensor(f32(5, 3)))),
    case("vectorize", _two_outputs, signature="(m,n),(n)->(m),()", _id="vectorize_two_outputs",
         _compare=_calls(torch.tensor(f32(4, 2, 3)), torch.tensor(f32(3)))),
    case("vectorize", _dot, signature="(n),(n)->()", _id="vectorize_no_batch",
         _compare=_calls(torch.tensor(f32(3)), torch.tensor(f32(3)))),
    case("where", _c, f32(2, 3), f32(2, 3), _id="where", _grad=True),
    case("where", _c, f32(2, 3), 0.0, _id="where_scalar"),
    case("where", _c, 1, 2, _id="where_py_ints"),
    case("where", _c, 1, 0.5, _id="where_py_mixed"),
    case("where", _c, i32(2, 3), f32(2, 3), _id="where_mixed"),
    case("where", _c, f32(2, 3).astype("float16"), 2.5, _id="where_f16_scalar"),
    case("where", _c, 3, f32(2, 3).astype("float16"), _id="where_int_f16"),
    case("where", _c, 7, f64(2, 3), _id="where_int_f64"),
    case("where", _c, b(2, 3), 1, _id="where_bool_int"),
    case("where", _c, i32(2, 3).astype("int8"), 1.5, _id="where_int8_float"),
    case("where", np.array([1, 0, 2]), f32(3), f32(3), _id="where_int_condition"),
    case("where", _c[:1], f32(2, 1), i32(3), _id="where_broadcast"),
    case("where", _c, _id="where_indices", _symbolic=False),
    case("where", np.array([0.0, 1.5, 0.0]), _id="where_indices_float", _symbolic=False),
    case("select", [_c, ~_c], [f32(2, 3), f32(2, 3)], _id="select"),
    case("select", [np.array([True, False, False]), np.array([True, True, False])],
         [i32(3), i32(3)], default=-1, _id="select_default"),
    case("select", [_c], [f32(2, 3)], default=f32(2, 3), _id="select_array_default"),
    case("take", f32(5), np.array([0, 2, 4]), _id="take_1d", _grad=True),
    case("take", f32(2, 3), np.array([1, -1]), _id="take_flat_negative"),
    case("take", f32(4, 3), np.array([[0, 1], [3, 2]]), axis=0, _id="take_embedding", _grad=True),
    case("take", f32(2, 3, 4), np.array([0, -1]), axis=-1, _id="take_neg_axis", _grad=True),
    case("take", i32(2, 3), np.array([[0, 2]]), axis=1, _id="take_axis_2d_indices"),
    case("take", f32(2, 3), 1, axis=1, _id="take_scalar_index"),
    case("take", b(3, 2), np.array([2, 0], "int32"), axis=0, _id="take_bool"),
    case("take", f32(2, 3), np.array([0.0, 1.0], "float32"), axis=1, _id="take_float_indices"),
    case("take", [[1, 2], [3, 4]], [1], axis=1, _id="take_lists"),
    case("take_along_axis", f32(3, 4), np.array([[0], [1], [3]]), axis=1,
         _id="take_along_axis", _grad=True),
    case("take_along_axis", f32(3, 4), np.array([[2, -1, 0, 0]]), axis=0,
         _id="take_along_axis_axis0"),
    case("take_along_axis", i32(2, 3, 4), np.argsort(i32(2, 3, 4), axis=-1), axis=-1,
         _id="take_along_axis_neg"),
    case("take_along_axis", f32(6), np.array([5, 0]), _id="take_along_axis_none"),
    case("get_item", torch.tensor(_x), 1, _id="get_item_int"),
    case("get_item", torch.tensor(_x), (slice(None), -1), _id="get_item_slice"),
    case("get_item", torch.tensor(_x), (Ellipsis, slice(1, None, 2)), _id="get_item_ellipsis"),
    case("get_item", torch.tensor(_x), (None, 0, slice(None, 2)), _id="get_item_newaxis"),
    case("get_item", torch.tensor(_x), _ix(1, 0), _id="get_item_tensor"),
    case("get_item", torch.tensor(_x), (0, torch.tensor([2, 0], dtype=torch.int32)),
         _id="get_item_int32_tensor"),
    case("get_item", torch.tensor(_x), torch.tensor(_x) > 10, _id="get_item_mask"),
    case("get_item", torch.tensor(_x), (slice(None), torch.tensor([True, False, True])),
         _id="get_item_bool_axis"),
    case("sort", f32(3, 4), _id="sort", _grad=True),
    case("sort", f32(3, 4), axis=0, _id="sort_axis0"),
    case("sort", i32(3, 4), axis=None, _id="sort_none"),
    case("sort", b(5), _id="sort_bool"),
    case("sort", np.array([3.0, np.nan, -np.inf, 1.0], "float32"), _id="sort_nan"),
    case("argsort", f32(3, 4), _id="argsort"),
    case("argsort", i32(3, 4, low=0, high=3), axis=0, _id="argsort_stable_ties"),
    case("argsort", f32(2, 3), axis=None, _id="argsort_none"),
    case("argsort", b(6), _id="argsort_bool"),
    case("argpartition", i32(8, low=0, high=100), 3, _id="argpartition"),
    case("argpartition", i32(3, 5, low=0, high=100), 1, axis=0, _id="argpartition_axis0"),
    case("argpartition", f32(2, 5) * 10, 2, _id="argpartition_float"),
    case("argpartition", i32(2, 3, low=0, high=50), 0, axis=None, _id="argpartition_none"),
    case("searchsorted", np.array([1.0, 2.0, 4.0], "float32"), f32(5), _id="searchsorted",
         _symbolic=False),
    case("searchsorted", np.array([1, 2, 2, 4], "int32"), np.array([2, 5, 0], "int32"),
         side="right", _id="searchsorted_right", _symbolic=False),
    case("searchsorted", np.array([1.0, 3.0], "float32"), np.array([[2.0], [3.0]], "float32"),
         _id="searchsorted_2d_values", _symbolic=False),
    case("digitize", f32(6), np.array([-1.0, 0.0, 1.0], "float32"), _id="digitize"),
    case("digitize", i32(6), np.array([-2, 0, 2], "int32"), _id="digitize_int"),
    case("digitize", b(4), np.array([0, 1], "int32"), _id="digitize_bool"),
    case("digitize", np.array([1.0, 2.0], "float32"), np.array([2.0, 1.0], "float32"),
         _id="digitize_decreasing_bins"),
    case("bincount", np.array([0, 1, 1, 3], "int32"), _id="bincount"),
    case("bincount", np.array([0, 1, 1], "int32"), minlength=5, _id="bincount_minlength"),
    case("bincount", np.array([0, 1, 1], "int32"), weights=np.array([0.5, 1.0, 2.0], "float32"),
         _id="bincount_weights"),
    case("bincount", np.array([[0, 2], [2, 2]], "int32"), _id="bincount_2d"),
    case("bincount", np.array([[0, 1], [2, 2]], "int32"),
         weights=np.array([[1, 2], [3, 4]], "int32"), minlength=4, _id="bincount_2d_weights"),
    case("histogram", f32(20), _id="histogram"),
    case("histogram", f32(20), bins=4, range=(-1.0, 1.0), _id="histogram_range"),
    case("histogram", f64(10), bins=3, _id="histogram_f64"),
    case("isin", i32(5), np.array([0, 1, 2], "int32"), _id="isin"),
    case("isin", f32(4), np.array([0.0], "float32"), invert=True, _id="isin_invert"),
    case("isin", b(4), np.array([1], "int32"), _id="isin_bool"),
    case("isin", np.array([1, 2, 3], "int32"), np.array([2, 3], "int32"), assume_unique=True,
         _id="isin_unique"),
    case("nonzero", np.array([0, 3, 0, 5]), _id="nonzero", _symbolic=False),
    case("nonzero", _c, _id="nonzero_2d", _symbolic=False),
    case("nonzero", np.zeros((2, 2), "float32"), _id="nonzero_none", _symbolic=False),
    case("unravel_index", np.array([5, 0, 7]), (2, 4), _id="unravel_index", _symbolic=False),
    case("unravel_index", np.array([[3], [11]], "int32"), (2, 3, 2), _id="unravel_index_2d"),
    case("unravel_index", 4, [3, 2], _id="unravel_index_scalar"),
    case("unique", i32(10), _id="unique"),
    case("unique", np.array([3, 1, 3, 2, 1], "int32"), return_counts=True, _id="unique_counts"),
    case("unique", np.array([3, 1, 3, 2, 1], "int32"), return_inverse=True, _id="unique_inverse"),
    case("unique", np.array([3.0, 1.0, 3.0, 2.0], "float32"), return_index=True,
         return_inverse=True, return_counts=True, _id="unique_all"),
    case("unique", np.array([[1, 2], [1, 2], [0, 5]], "int32"), axis=0, _id="unique_axis"),
    case("unique", np.array([3, 1, 3, 2], "int32"), size=5, fill_value=-1, return_counts=True,
         _id="unique_size_pad", _symbolic=False),
    case("unique", np.array([3, 1, 3, 2], "int32"), size=2, return_index=True,
         _id="unique_size_cut", _symbolic=False),
    case("unique", b(6), _id="unique_bool"),
    case("unique", np.array([2.0, np.nan, -np.inf, 2.0], "float32"), _id="unique_nonfinite"),
    case("argsort", np.array([2.0, np.nan, -np.inf, 0.0], "float32"), _id="argsort_nonfinite"),
    case("searchsorted", np.array([-np.inf, 0.0, np.inf], "float32"),
         np.array([np.inf, -1.0], "float32"), _id="searchsorted_inf", _symbolic=False),
]
