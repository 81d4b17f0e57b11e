"""`ops.core` behaviour beyond value parity: gradients, meta tensors, errors."""

import numpy as np
import pytest
import torch

from kerasish import ops


def test_custom_gradient_matches_keras(keras):
    def make(lib):
        @lib.ops.custom_gradient
        def log1pexp(x):
            e = lib.ops.exp(x)

            def grad(*args, upstream=None):
                return lib.ops.multiply(upstream, 1.0 - 1.0 / lib.ops.add(1, e))

            return lib.ops.log(1 + e), grad

        return log1pexp

    import kerasish

    grads = []
    for lib in (kerasish, keras):
        x = torch.tensor([0.0, 2.0, 100.0], requires_grad=True)
        y = make(lib)(x)
        (g,) = torch.autograd.grad(y.sum(), x)
        grads.append((y.detach().numpy(), g.numpy()))
    np.testing.assert_allclose(grads[0][0], grads[1][0])
    np.testing.assert_allclose(grads[0][1], grads[1][1])
    assert np.isfinite(grads[0][1]).all()


def test_custom_gradient_with_two_inputs_and_upstream_only_signature():
    @ops.custom_gradient
    def f(a, b):
        return a * b, lambda upstream: (upstream * 10.0, upstream * 20.0)

    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
    ga, gb = torch.autograd.grad(f(a, b).sum(), (a, b))
    assert ga.tolist() == [10.0, 10.0] and gb.tolist() == [20.0, 20.0]


def test_custom_gradient_wrong_number_of_gradients_is_a_clear_error():
    @ops.custom_gradient
    def f(a, b):
        return a * b, lambda upstream: upstream

    a = torch.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="gradient"):
        torch.autograd.grad(f(a, torch.ones(2)).sum(), a)


def test_stop_gradient_blocks_gradients():
    x = torch.ones(3, requires_grad=True)
    y = (ops.stop_gradient(x * 2) + x).sum()
    (g,) = torch.autograd.grad(y, x)
    assert g.tolist() == [1.0, 1.0, 1.0]


def test_control_flow_on_meta_tensors_keeps_specs():
    m = torch.empty(4, 3, device="meta")
    assert ops.cond(m.sum() > 0, lambda: m * 2, lambda: m[:1]).shape == (4, 3)
    assert ops.while_loop(lambda v: v.sum() < 3, lambda v: v + 1, m).shape == (4, 3)
    assert ops.fori_loop(0, 3, lambda i, v: v + i, m).shape == (4, 3)
    assert ops.map(lambda r: r.sum(), m).shape == (4,)
    assert ops.scan(lambda c, r: (c + r, r * 2), torch.empty(3, device="meta"), m)[1].shape == (4, 3)
    assert ops.associative_scan(lambda a, b: a + b, m).shape == (4, 3)
    assert ops.saturate_cast(m, "int8").dtype == torch.int8


def test_vectorized_map_falls_back_when_vmap_cannot_trace():
    x = torch.arange(6.0).reshape(3, 2)

    def data_dependent(row):
        return row * 2 if row.sum() > 4 else row

    out = ops.vectorized_map(data_dependent, x)
    assert out.tolist() == [[0.0, 1.0], [4.0, 6.0], [8.0, 10.0]]


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="reduction"):
        ops.scatter_update(np.zeros(3), np.array([[0]]), np.ones(1), reduction="median")
    with pytest.raises(ValueError, match="length"):
        ops.scan(lambda c, x: (c, x), 0.0)
    with pytest.raises(TypeError, match="callable"):
        ops.scan(3, 0.0, length=2)
    with pytest.raises(ValueError, match="branches"):
        ops.switch(0, [], 1.0)
    with pytest.raises(ValueError, match="sparse"):
        ops.convert_to_tensor([1.0], sparse=True)


@pytest.mark.parametrize("floatx", ["float32", "float64", "float16"])
def test_conversion_dtypes_follow_keras_under_each_floatx(keras, floatx):
    import kerasish

    values = [1.5, [1, 2], [1.0, 2], [True, False], [np.int64(3), 1], [np.float64(1.0)], 7, True,
              [1, 2.5, True], np.float32(2.0)]
    kerasish.config.set_floatx(floatx)
    keras.config.set_floatx(floatx)
    try:
        for v in values:
            assert ops.convert_to_tensor(v).dtype == keras.ops.convert_to_tensor(v).dtype, v
    finally:
        kerasish.config.set_floatx("float32")
        keras.config.set_floatx("float32")
