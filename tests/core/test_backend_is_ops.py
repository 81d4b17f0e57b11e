"""Keras 2's `K` functions and the activations are Keras 3's ops: same values, dtypes and shapes as
real `keras.ops` / `keras.activations` (with Keras 2's argument defaults mapped), plus the places
where Keras 2 deliberately differs."""

import numpy as np
import pytest
import torch

import kerasish.activations as activations
import kerasish.backend as K

RNG = np.random.default_rng(3)
INPUTS = {
    "f32": RNG.normal(size=(3, 4)).astype("float32"),
    "i32": RNG.integers(-4, 5, size=(3, 4)).astype("int32"),
    "bool": RNG.normal(size=(3, 4)) > 0,
}

# (K name, keras.ops name, K kwargs, ops kwargs)
REDUCTIONS = [
    ("mean", "mean", {}, {}), ("sum", "sum", {"axis": 0}, {"axis": 0}),
    # keepdims with axis=None keeps every axis (numpy's rule; Keras's torch `sum` drops it, see
    # docs/ops_math.md), so the reference names the axes.
    ("sum", "sum", {"keepdims": True}, {"axis": (0, 1), "keepdims": True}), ("max", "max", {"axis": -1}, {"axis": -1}),
    ("min", "min", {}, {}), ("prod", "prod", {"axis": 1, "keepdims": True}, {"axis": 1, "keepdims": True}),
    ("std", "std", {"axis": 0}, {"axis": 0}), ("var", "var", {}, {}),
    ("any", "any", {"keepdims": True}, {"keepdims": True}), ("all", "all", {"axis": 1}, {"axis": 1}),
    ("logsumexp", "logsumexp", {"axis": -1}, {"axis": -1}),
    ("cumsum", "cumsum", {}, {"axis": 0}), ("cumprod", "cumprod", {"axis": 1}, {"axis": 1}),
    ("argmax", "argmax", {}, {"axis": -1}), ("argmin", "argmin", {"axis": 0}, {"axis": 0}),
    ("square", "square", {}, {}), ("abs", "abs", {}, {}), ("exp", "exp", {}, {}),
    ("sign", "sign", {}, {}), ("round", "round", {}, {}), ("floor", "floor", {}, {}),
    ("transpose", "transpose", {}, {}),
]


def _same(ours, theirs):
    theirs = theirs.detach().cpu() if isinstance(theirs, torch.Tensor) else torch.as_tensor(np.asarray(theirs))
    assert ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.double().numpy(), theirs.double().numpy(), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("kind", sorted(INPUTS))
@pytest.mark.parametrize("k_name,op_name,k_kwargs,op_kwargs", REDUCTIONS,
                         ids=[f"{r[0]}{sorted(r[2].items())}" for r in REDUCTIONS])
def test_k_function_is_the_keras_op(keras, kind, k_name, op_name, k_kwargs, op_kwargs):
    x = INPUTS[kind]
    try:
        theirs = getattr(keras.ops, op_name)(x, **op_kwargs)
    except Exception:  # Keras refuses this input: so do we
        with pytest.raises(Exception):
            getattr(K, k_name)(x, **k_kwargs)
        return
    _same(getattr(K, k_name)(x, **k_kwargs), theirs)


@pytest.mark.parametrize("name", ["equal", "greater", "less_equal", "maximum", "minimum"])
def test_k_binary_functions_are_the_keras_ops(keras, name):
    x, y = INPUTS["f32"], RNG.normal(size=(3, 4)).astype("float32")
    _same(getattr(K, name)(x, y), getattr(keras.ops, name)(x, y))
    _same(getattr(K, name)(x, 0.5), getattr(keras.ops, name)(x, 0.5))


def test_k_nn_functions_are_the_keras_ops(keras):
    x = INPUTS["f32"]
    target = np.eye(4, dtype="float32")[[0, 1, 3]]
    probs = np.asarray(torch.softmax(torch.as_tensor(x), -1))
    _same(K.softmax(x), keras.ops.softmax(x))
    _same(K.elu(x), keras.ops.elu(x))
    _same(K.softplus(x), keras.ops.softplus(x))
    _same(K.one_hot(np.array([0, 2, 1]), 4), keras.ops.one_hot(np.array([0, 2, 1]), 4))
    _same(K.categorical_crossentropy(target, probs), keras.ops.categorical_crossentropy(target, probs))
    _same(K.sparse_categorical_crossentropy(np.array([[0], [1], [3]]), x, from_logits=True),
          keras.ops.sparse_categorical_crossentropy(np.array([0, 1, 3]), x, from_logits=True))
    _same(K.binary_crossentropy(target, probs), keras.ops.binary_crossentropy(target, probs))
    _same(K.gather(x, np.array([2, 0])), keras.ops.take(x, np.array([2, 0]), axis=0))
    _same(K.repeat_elements(x, 2, 1), keras.ops.repeat(x, 2, axis=1))
    _same(K.permute_dimensions(x, (1, 0)), keras.ops.transpose(x, (1, 0)))
    kernel = RNG.normal(size=(3, 3, 2, 4)).astype("float32")
    img = RNG.normal(size=(2, 6, 6, 2)).astype("float32")
    _same(K.conv2d(img, kernel, (2, 2), "same"), keras.ops.conv(img, kernel, 2, "same"))
    _same(K.pool2d(img, (2, 2), (2, 2), "valid", pool_mode="max"), keras.ops.max_pool(img, 2, 2, "valid"))


@pytest.mark.parametrize("name,kwargs", [
    ("relu", {}), ("relu6", {}), ("leaky_relu", {}), ("elu", {}), ("selu", {}), ("celu", {}),
    ("gelu", {}), ("gelu", {"approximate": True}), ("sigmoid", {}), ("hard_sigmoid", {}),
    ("hard_silu", {}), ("silu", {}), ("mish", {}), ("tanh", {}), ("hard_tanh", {}), ("softplus", {}),
    ("softsign", {}), ("exponential", {}), ("log_sigmoid", {}), ("tanh_shrink", {}),
    ("soft_shrink", {}), ("hard_shrink", {}), ("squareplus", {}), ("sparse_plus", {}),
    ("sparse_sigmoid", {}), ("glu", {}), ("softmax", {}), ("softmax", {"axis": (0, 1)}),
    ("log_softmax", {}), ("relu", {"negative_slope": 0.1, "max_value": 1.0}),
])
def test_activations_match_keras_on_numpy_and_tensors(keras, name, kwargs):
    x = RNG.normal(size=(3, 6)).astype("float32") * 2
    theirs = getattr(keras.activations, name)(x, **kwargs)
    _same(getattr(activations, name)(x, **kwargs), theirs)  # numpy in, as Keras takes it
    _same(getattr(activations, name)(torch.as_tensor(x), **kwargs), theirs)


def test_keras2_differences_are_kept():
    x = np.array([[-4.0, 9.0]], "float32")
    np.testing.assert_array_equal(K.sqrt(x).numpy(), [[0.0, 3.0]])  # negatives give 0, not nan
    np.testing.assert_array_equal(K.clip(x, 1.0, 0.0).numpy(), [[1.0, 1.0]])  # max < min: the min
    assert K.mean(np.ones((2, 2))).dtype == torch.float32  # float64 data becomes floatx
    a, b = np.ones((2, 3, 4), "float32"), np.ones((5, 4, 2), "float32")
    assert tuple(K.dot(a, b).shape) == (2, 3, 5, 2)  # numpy's dot, as Keras 2
    # TensorFlow's 'same' average pooling averages real inputs only, also for uneven windows.
    img = torch.arange(20.0).reshape(1, 4, 5, 1)
    out = K.pool2d(img, (2, 3), (1, 1), "same", pool_mode="avg")
    assert out[0, 0, 0, 0].item() == pytest.approx((0 + 1 + 5 + 6) / 4)
