"""The numpy math ops beyond the parity tables: bad arguments raise clear errors that name what
was received; Keras variables take the fast paths; where kerasish follows numpy, not Keras's torch
backend."""

import numpy as np
import pytest
import torch

from kerasish import ops

X = torch.ones(2, 3)


@pytest.mark.parametrize("call, error, match", [
    (lambda: ops.sum(X, axis=2), ValueError, r"out of bounds.*Received: axis=2"),
    (lambda: ops.mean(X, axis=(0, 5)), ValueError, r"Received: axis=\(0, 5\)"),
    (lambda: ops.max(X, axis=-3), ValueError, r"Received: axis=-3"),
    (lambda: ops.argmax(X, axis=3), ValueError, r"Received: axis=3"),
    (lambda: ops.argmax(X, axis=(0, 1)), TypeError, r"Received: axis=\(0, 1\)"),
    (lambda: ops.cumsum(X, axis=4), ValueError, r"Received: axis=4"),
    (lambda: ops.count_nonzero(X, axis=9), ValueError, r"Received: axis=9"),
    (lambda: ops.prod(X, axis=3), ValueError, r"ops.prod.*Received: axis="),
    (lambda: ops.quantile(X, 0.5, axis=4), ValueError, r"ops.quantile.*Received: axis="),
    (lambda: ops.sum(X, axis="0"), TypeError, r"Received: axis='0'"),
    (lambda: ops.max(torch.ones(0, 3)), ValueError, r"ops.max.*initial.*Received: x.shape"),
    (lambda: ops.min(np.zeros((2, 0))), ValueError, r"ops.min.*Received: x.shape"),
    (lambda: ops.quantile(X, 0.5, method="cubic"), ValueError, r"Received: method='cubic'"),
    (lambda: ops.ldexp(X, X), TypeError, r"ops.ldexp.*Received: x2.dtype"),
    (lambda: ops.fabs(torch.ones(2, dtype=torch.complex64)), TypeError, r"Received: x.dtype"),
    (lambda: ops.imag(X), ValueError, r"ops.imag.*Received: x.dtype"),
    (lambda: ops.hamming(4.0), TypeError, r"ops.hamming.*Received: x=4.0"),
    (lambda: ops.kaiser(torch.ones(3, dtype=torch.int32), 1.0), TypeError, r"ops.kaiser"),
    (lambda: ops.average(X, axis=0, weights=[1.0, 2.0, 3.0]), ValueError,
     r"ops.average.*Received: weights.shape=\(3,\)"),
    (lambda: ops.average(X, weights=torch.ones(3)), ValueError, r"Received: weights.shape"),
])
def test_bad_arguments_raise_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_ldexp_refuses_float_exponents_as_keras_does(keras):
    with pytest.raises(TypeError):
        keras.ops.ldexp(np.ones(2, "float32"), np.ones(2, "float32"))
    with pytest.raises(TypeError):
        ops.ldexp(np.ones(2, "float32"), np.ones(2, "float32"))


def test_average_with_1d_weights_along_a_leading_axis_follows_numpy():
    # Keras's torch backend broadcasts 1-D weights along the last axis here; numpy (and Keras's
    # other backends) weigh along `axis`.
    x = np.arange(12, dtype="float32").reshape(3, 4)
    w = np.array([1.0, 2.0, 3.0], "float32")
    np.testing.assert_allclose(ops.average(x, axis=0, weights=w).numpy(),
                               np.average(x, axis=0, weights=w), rtol=1e-6)


def test_keepdims_with_axis_none_keeps_every_axis_as_numpy_does():
    # Keras's torch backend returns a scalar for some of these; its symbolic shapes (and numpy)
    # keep the reduced axes.
    x = np.arange(6, dtype="float32").reshape(2, 3)
    for name in ("sum", "max", "min", "amax", "amin", "prod", "ptp", "mean", "nanmax", "nansum"):
        out = getattr(ops, name)(x, keepdims=True)
        ref = getattr(np, name)(x, keepdims=True)
        assert tuple(out.shape) == ref.shape == (1, 1), name
        np.testing.assert_allclose(out.numpy(), ref, rtol=1e-6, err_msg=name)


def test_count_nonzero_keeps_the_axis_order_of_numpy():
    # Keras's torch backend transposes the result of 3-D and larger inputs (`.T`).
    x = np.arange(24).reshape(2, 3, 4) % 3
    np.testing.assert_array_equal(ops.count_nonzero(x, axis=0).numpy(), np.count_nonzero(x, axis=0))


def test_nancumsum_keeps_infinities_as_numpy_does():
    # Keras's torch backend replaces inf by the largest float (it goes through nan_to_num).
    x = np.array([1.0, np.nan, np.inf, 2.0], "float32")
    np.testing.assert_array_equal(ops.nancumsum(x).numpy(), np.nancumsum(x))
    np.testing.assert_array_equal(ops.nancumprod(-x).numpy(), np.nancumprod(-x))


def test_variables_take_the_tensor_paths_and_give_plain_tensors():
    from kerasish import Variable

    v = Variable(np.ones((2, 3), "float32"))
    for out in (ops.add(v, v), ops.multiply(v, 2.0), ops.sum(v, axis=0), ops.mean(v), ops.exp(v),
                ops.maximum(v, 0.5), ops.clip(v, 0, 0.5)):
        assert type(out) is torch.Tensor and out.dtype == torch.float32
    (grad,) = torch.autograd.grad(ops.sum(ops.square(v)), [v])
    np.testing.assert_allclose(grad.numpy(), 2 * np.ones((2, 3)))


_FLOATX_CALLS = [
    ("add", (np.ones(3, "int32"), 1.5)), ("add", (np.ones(3, "float32"), 1.5)),
    ("multiply", (np.ones(3, "bool"), 2.5)), ("greater", (np.ones(3, "int32"), 0.5)),
    ("subtract", (np.ones(3, "int32"), 1.5)), ("divide", (np.ones(3, "int32"), 2.0)),
    ("maximum", (np.ones(3, "int32"), 1.5)), ("divide_no_nan", (np.ones(3, "int32"), 2)),
    ("exp", (np.ones(3, "int32"),)), ("ceil", (np.ones(3, "int32"),)),
    ("mean", (np.ones(3, "int32"),)), ("sqrt", (np.ones(3, "int64"),)),
    ("arctan2", (np.ones(3, "int32"), 1)), ("hypot", (np.ones(3, "int32"), 2)),
    ("var", (np.ones(3, "int32"),)), ("quantile", (np.ones(3, "int32"), 0.5)),
    ("percentile", (np.ones(3, "float32"), 50)), ("clip", (np.ones(3, "int32"), 0.5, 2.5)),
]


def test_dtypes_follow_floatx_as_in_keras(keras):
    import kerasish

    ours_before, theirs_before = kerasish.config.floatx(), keras.config.floatx()
    try:
        kerasish.config.set_floatx("float64")
        keras.config.set_floatx("float64")
        for name, args in _FLOATX_CALLS:
            ours, ref = getattr(ops, name)(*args), getattr(keras.ops, name)(*args)
            assert ours.dtype == ref.dtype, (name, ours.dtype, ref.dtype)
            np.testing.assert_allclose(ours.numpy(), ref.numpy(), rtol=1e-6, err_msg=name)
    finally:
        kerasish.config.set_floatx(ours_before)
        keras.config.set_floatx(theirs_before)


def test_keras_tensors_anywhere_reach_the_symbolic_handler():
    # The eager fast fronts must never run on a KerasTensor argument.
    from kerasish.backend.keras_tensor import KerasTensor
    from kerasish.ops import dispatch

    seen = []
    before = dispatch._HANDLER[0]
    dispatch.set_symbolic_handler(lambda name, fn, args, kwargs: seen.append(name) or name)
    try:
        kt, t = KerasTensor((None, 3)), torch.ones(2, 3)
        calls = [(ops.sum, (kt,), {}), (ops.exp, (kt,), {}), (ops.add, (t, kt), {}),
                 (ops.add, (kt, 1.0), {}), (ops.bitwise_and, (t.int(), kt), {}),
                 (ops.clip, (t, kt, 1.0), {}), (ops.clip, (t, 0.0, kt), {}),
                 (ops.quantile, (t, kt), {}), (ops.quantile, (t,), {"q": kt}),
                 (ops.average, (t,), {"weights": kt}), (ops.isclose, (t, kt), {"rtol": 0.1}),
                 (ops.mean, ([t, kt],), {}), (ops.maximum, (t,), {"x2": kt})]
        for fn, args, kwargs in calls:
            assert fn(*args, **kwargs) == fn.__keras_op_name__
        assert len(seen) == len(calls)
    finally:
        dispatch.set_symbolic_handler(before)
