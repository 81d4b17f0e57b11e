"""The array ops where kerasish goes beyond Keras's torch backend (which raises or ignores an
argument there), their argument errors, and their runs on meta tensors (symbolic shapes)."""

import numpy as np
import pytest
import torch

from kerasish import ops


def test_einsum_promotes_mixed_dtypes():
    a = torch.arange(6, dtype=torch.int32).reshape(2, 3)
    b = torch.linspace(0, 1, 12).reshape(3, 4)
    out = ops.einsum("ij,jk->ik", a, b)
    assert out.dtype == torch.float32
    torch.testing.assert_close(out, a.float() @ b)
    wide = ops.einsum("i,i->", torch.ones(3, dtype=torch.float64), torch.ones(3))
    assert wide.dtype == torch.float32 and float(wide) == 3.0  # Keras narrows 64-bit results


def test_einsum_of_bools_is_bool_as_matmul():
    a = torch.tensor([[True, False], [False, False]])
    out = ops.einsum("ij,jk->ik", a, a)
    assert out.dtype == torch.bool
    assert out.tolist() == ops.matmul(a, a).tolist() == [[True, False], [False, False]]


def test_vectorize_excluded_and_keywords_pass_unchanged():
    seen = []

    def f(x, table, scale=1.0):
        seen.append(table)
        return x * scale + table["shift"]

    vf = ops.vectorize(f, excluded={1})
    out = vf(torch.tensor([1.0, 2.0, 3.0]), {"shift": 10.0}, scale=2.0)
    assert out.tolist() == [12.0, 14.0, 16.0]
    assert all(t == {"shift": 10.0} for t in seen)


def test_vectorize_checks_its_signature():
    vf = ops.vectorize(lambda a, b: (a * b).sum(), signature="(n),(n)->()")
    with pytest.raises(ValueError, match="inconsistent sizes"):
        vf(torch.ones(2, 3), torch.ones(4))
    with pytest.raises(ValueError, match="signature"):
        ops.vectorize(lambda a: a, signature="n->()")
    with pytest.raises(ValueError, match="callable"):
        ops.vectorize(3)


def test_bincount_rows_of_different_maxima_share_one_length():
    x = np.array([[0, 1], [2, 2]], "int32")
    out = ops.bincount(x)
    assert out.dtype == torch.int32
    assert out.tolist() == [[1, 1, 0], [0, 0, 2]]


def test_repeat_with_count_lists_and_arrays():
    x = torch.tensor([[1, 2], [3, 4]])
    assert ops.repeat(x, [1, 2], axis=0).tolist() == [[1, 2], [3, 4], [3, 4]]
    assert ops.repeat(x, np.array([2, 0]), axis=1).tolist() == [[1, 1], [3, 3]]
    assert ops.repeat(x, [2]).tolist() == [1, 1, 2, 2, 3, 3, 4, 4]


_x = np.zeros((2, 3), "float32")

ERRORS = [
    (lambda: ops.reshape(_x, (-1, -1)), ValueError, "newshape"),
    (lambda: ops.reshape(_x, (2, -3)), ValueError, "newshape"),
    (lambda: ops.pad(_x, ((1, 1), (1, 1)), mode="wrap"), ValueError, "mode"),
    (lambda: ops.pad(_x, ((1, 1), (1, 1)), mode="reflect", constant_values=1), ValueError,
     "constant_values"),
    (lambda: ops.pad(_x, ((1, 1), (1, 1), (1, 1))), ValueError, "pad_width"),
    (lambda: ops.array_split(_x, 1.5), TypeError, "indices_or_sections"),
    (lambda: ops.array_split(_x, 0), ValueError, "indices_or_sections"),
    (lambda: ops.split(_x, 4), ValueError, "indices_or_sections"),
    (lambda: ops.where(_x > 0, _x), ValueError, "x2"),
    (lambda: ops.select(_x > 0, [_x]), ValueError, "condlist"),
    (lambda: ops.select([], []), ValueError, "condlist"),
    (lambda: ops.histogram(_x[0], bins=2.0), TypeError, "bins"),
    (lambda: ops.histogram(_x[0], bins=-1), ValueError, "bins"),
    (lambda: ops.histogram(_x[0], range=(1.0, 0.0)), ValueError, "range"),
    (lambda: ops.histogram(_x), ValueError, "x.shape"),
    (lambda: ops.diagonal(_x, axis1=1, axis2=-1), ValueError, "axis1"),
    (lambda: ops.rot90(_x[0]), ValueError, "array.ndim"),
    (lambda: ops.rot90(_x, axes=(0, 0)), ValueError, "axes"),
    (lambda: ops.cross(_x, _x, axisa=0), ValueError, "axisa"),
    (lambda: ops.cross(_x[:, :2], _x[:, :2]), ValueError, "x1.shape"),
    (lambda: ops.searchsorted(_x, _x), ValueError, "sorted_sequence.shape"),
    (lambda: ops.searchsorted(_x[0], _x[0], side="middle"), ValueError, "side"),
    (lambda: ops.correlate(_x[0], _x[0], mode="circular"), ValueError, "mode"),
    (lambda: ops.vander(_x), ValueError, "x.shape"),
    (lambda: ops.vander(_x[0], N=2.0), TypeError, "N="),
    (lambda: ops.vander(_x[0], increasing=1), TypeError, "increasing"),
    (lambda: ops.eye(2.0), TypeError, "N="),
    (lambda: ops.zeros("abc"), TypeError, "shape"),
    (lambda: ops.linspace(0, 1, axis=1), ValueError, "axis"),
    (lambda: ops.bincount([0, 1], sparse=True), ValueError, "sparse"),
    (lambda: ops.expand_dims(_x, 5), ValueError, "axis"),
    (lambda: ops.meshgrid(_x[0], indexing="ji"), ValueError, "indexing"),
    (lambda: ops.einsum("i->i", _x[0], bogus=1), ValueError, "bogus"),
    (lambda: ops.diff(_x, n=1.5), TypeError, "n="),
]


@pytest.mark.parametrize("call, error, words", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_bad_arguments_say_what_was_received(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value) and "Received" in str(info.value)


def _meta(*shape, dtype=torch.float32):
    return torch.empty(shape, dtype=dtype, device="meta")


META = [
    (lambda: ops.reshape(_meta(2, 6), (3, -1)), [(3, 4)]),
    (lambda: ops.transpose(_meta(2, 3, 4)), [(4, 3, 2)]),
    (lambda: ops.concatenate([_meta(2, 3), _meta(1, 3)]), [(3, 3)]),
    (lambda: ops.matmul(_meta(5, 2, 3), _meta(3, 4)), [(5, 2, 4)]),
    (lambda: ops.matmul(_meta(2, 3, dtype=torch.int8), _meta(3, 4, dtype=torch.int8)), [(2, 4)]),
    (lambda: ops.take(_meta(4, 3), _meta(2, 5, dtype=torch.int32), axis=0), [(2, 5, 3)]),
    (lambda: ops.take(_meta(2, 3, 4), _meta(5, dtype=torch.int64), axis=-1), [(2, 3, 5)]),
    (lambda: ops.where(_meta(2, 3, dtype=torch.bool), _meta(2, 3), 0.0), [(2, 3)]),
    (lambda: ops.pad(_meta(2, 3), ((1, 1), (2, 2)), mode="reflect"), [(4, 7)]),
    (lambda: ops.repeat(_meta(2, 3), [1, 2], axis=0), [(3, 3)]),
    (lambda: ops.repeat(_meta(2, 3), 2), [(12,)]),
    (lambda: ops.split(_meta(6, 2), [1, 4]), [(1, 2), (3, 2), (2, 2)]),
    (lambda: ops.histogram(_meta(10), bins=4), [(4,), (5,)]),
    (lambda: ops.unique(_meta(10), size=3, return_counts=True), [(3,), (3,)]),
    (lambda: ops.einsum("ij,jk->ik", _meta(2, 3), _meta(3, 4, dtype=torch.int32)), [(2, 4)]),
    (lambda: ops.tensordot(_meta(2, 3), _meta(3, 4), axes=1), [(2, 4)]),
    (lambda: ops.argpartition(_meta(3, 5), 1), [(3, 5)]),
    (lambda: ops.correlate(_meta(5), _meta(3), mode="same"), [(5,)]),
    # Constants (numbers, lists, arrays) next to a meta tensor follow it to its device.
    (lambda: ops.concatenate([_meta(1, 3), [[1.0, 2.0, 3.0]]]), [(2, 3)]),
    (lambda: ops.append(_meta(2, 3), 1.0), [(7,)]),
    (lambda: ops.where(_meta(2, dtype=torch.bool), _meta(2), 1.0), [(2,)]),
    (lambda: ops.select([_meta(2, dtype=torch.bool)], [_meta(2)], 0.0), [(2,)]),
    (lambda: ops.matmul(_meta(2, 3), np.ones((3, 1), "float32")), [(2, 1)]),
    (lambda: ops.einsum("ij,j->i", _meta(2, 3), [1.0, 2.0, 3.0]), [(2,)]),
    (lambda: ops.take(_meta(2, 3), [0, 2], axis=1), [(2, 2)]),
    (lambda: ops.full_like(_meta(2, 3), 7), [(2, 3)]),
    (lambda: ops.full((2, 3), _meta()), [(2, 3)]),
    (lambda: ops.trapezoid(_meta(2, 3), dx=0.5), [(2,)]),
    (lambda: ops.isin(_meta(4), [1.0, 2.0]), [(4,)]),
]


@pytest.mark.parametrize("call, shapes", META, ids=[str(i) for i in range(len(META))])
def test_shape_static_ops_run_on_meta_tensors(call, shapes):
    out = call()
    outs = out if isinstance(out, (list, tuple)) else [out]
    assert [tuple(o.shape) for o in outs] == shapes
    assert all(o.device.type == "meta" for o in outs)


@pytest.mark.parametrize("call, name", [
    (lambda kt: ops.reshape(torch.ones(2, 3), (kt, 3)), "reshape"),
    (lambda kt: ops.where(torch.ones(2, dtype=torch.bool), kt, torch.ones(2)), "where"),
    (lambda kt: ops.take(torch.ones(4, 3), kt, axis=0), "take"),
    (lambda kt: ops.matmul(torch.ones(2, 3), kt), "matmul"),
    (lambda kt: ops.concatenate([torch.ones(2, 3), kt]), "concatenate"),
    (lambda kt: ops.transpose(kt), "transpose"),
])
def test_eager_fast_paths_leave_symbolic_calls_to_the_dispatcher(call, name):
    from kerasish.backend.keras_tensor import KerasTensor
    from kerasish.ops import dispatch

    saved = dispatch._HANDLER[0]
    dispatch.set_symbolic_handler(lambda op_name, fn, args, kwargs: ("symbolic", op_name))
    try:
        assert call(KerasTensor((3, 2), dtype="int32")) == ("symbolic", name)
    finally:
        dispatch.set_symbolic_handler(saved)


def test_vectorize_refuses_an_empty_batch_clearly():
    with pytest.raises(ValueError, match="empty batch"):
        ops.vectorize(lambda a: a * 2)(torch.ones(0, 3))
