"""The classic `keras.backend` (K) functions on torch tensors, checked against numpy references
(Keras 2's documented semantics) and, where Keras 3 still has them, against keras.ops."""

import numpy as np
import pytest
import torch

import kerasish.backend as K

rng = np.random.default_rng(0)
A = rng.standard_normal((3, 4)).astype("float32")
B = rng.standard_normal((3, 4)).astype("float32")
P = rng.random((3, 4)).astype("float32")

UNARY = [
    ("square", np.square, A), ("abs", np.abs, A), ("exp", np.exp, A), ("log", np.log, P),
    ("sqrt", np.sqrt, P), ("sign", np.sign, A), ("round", np.round, A * 3), ("tanh", np.tanh, A),
    ("sigmoid", lambda x: 1 / (1 + np.exp(-x)), A), ("relu", lambda x: np.maximum(x, 0), A),
    ("flatten", np.ravel, A), ("batch_flatten", lambda x: x.reshape(3, -1), A),
    ("transpose", np.transpose, A), ("softplus", lambda x: np.log1p(np.exp(x)), A),
    ("softsign", lambda x: x / (1 + np.abs(x)), A), ("ones_like", np.ones_like, A),
    ("zeros_like", np.zeros_like, A), ("stop_gradient", lambda x: x, A),
    ("softmax", lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True), A),
    ("l2_normalize", lambda x: x / np.sqrt((x ** 2).sum()), A),
]

REDUCE = [("mean", np.mean), ("sum", np.sum), ("max", np.max), ("min", np.min), ("prod", np.prod),
          ("std", np.std), ("var", np.var), ("logsumexp", lambda x, axis=None, keepdims=False:
                                                 np.log(np.exp(x).sum(axis=axis, keepdims=keepdims)))]


@pytest.mark.parametrize("name,ref,x", UNARY, ids=[u[0] for u in UNARY])
def test_unary(name, ref, x):
    out = getattr(K, name)(x)
    np.testing.assert_allclose(K.get_value(out), ref(x), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,ref", REDUCE, ids=[r[0] for r in REDUCE])
@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), (0, True), (-1, True)])
def test_reductions(name, ref, axis, keepdims):
    out = getattr(K, name)(A, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(K.get_value(out), ref(A, axis=axis, keepdims=keepdims), rtol=1e-5, atol=1e-6)


def test_binary_and_comparisons():
    np.testing.assert_allclose(K.get_value(K.maximum(A, B)), np.maximum(A, B))
    np.testing.assert_allclose(K.get_value(K.minimum(A, B)), np.minimum(A, B))
    np.testing.assert_allclose(K.get_value(K.pow(P, 3)), P ** 3, rtol=1e-5)
    np.testing.assert_array_equal(K.get_value(K.equal(A, A)), np.ones_like(A, dtype=bool))
    np.testing.assert_array_equal(K.get_value(K.greater(A, B)), A > B)
    np.testing.assert_allclose(K.get_value(K.clip(A, -0.5, 0.5)), np.clip(A, -0.5, 0.5))
    np.testing.assert_array_equal(K.get_value(K.argmax(A)), A.argmax(-1))
    np.testing.assert_array_equal(K.get_value(K.argmin(A, axis=0)), A.argmin(0))
    assert K.get_value(K.cast(A, "int32")).dtype == np.int32


def test_shapes_and_structure():
    t = K.constant(A)
    assert K.int_shape(t) == (3, 4) and K.ndim(t) == 2 and K.dtype(t) == "float32"
    np.testing.assert_array_equal(K.get_value(K.shape(t)), [3, 4])
    assert K.int_shape(K.expand_dims(t, 1)) == (3, 1, 4)
    assert K.int_shape(K.squeeze(K.expand_dims(t, -1), -1)) == (3, 4)
    assert K.int_shape(K.reshape(t, (2, -1))) == (2, 6)
    assert K.int_shape(K.concatenate([t, t], axis=0)) == (6, 4)
    assert K.int_shape(K.stack([t, t], axis=1)) == (3, 2, 4)
    assert K.int_shape(K.permute_dimensions(t, (1, 0))) == (4, 3)
    assert K.int_shape(K.repeat(t, 5)) == (3, 5, 4)
    assert K.int_shape(K.tile(t, (2, 1))) == (6, 4)
    np.testing.assert_array_equal(K.get_value(K.repeat_elements(t, 2, axis=0)), np.repeat(A, 2, axis=0))
    assert K.int_shape(K.ones((2, 3))) == (2, 3) and K.int_shape(K.zeros((2,))) == (2,)
    np.testing.assert_array_equal(K.get_value(K.one_hot(torch.tensor([0, 2]), 3)), [[1, 0, 0], [0, 0, 1]])


def test_dot_and_batch_dot_follow_keras2():
    x = rng.standard_normal((2, 3, 4)).astype("float32")
    y = rng.standard_normal((4, 5)).astype("float32")
    np.testing.assert_allclose(K.get_value(K.dot(x, y)), x @ y, rtol=1e-5)
    y3 = rng.standard_normal((6, 4, 5)).astype("float32")
    assert K.int_shape(K.dot(x, y3)) == (2, 3, 6, 5)
    a = rng.standard_normal((8, 5)).astype("float32")
    b = rng.standard_normal((8, 5)).astype("float32")
    np.testing.assert_allclose(K.get_value(K.batch_dot(a, b, axes=1)), (a * b).sum(1, keepdims=True), rtol=1e-5)
    c = rng.standard_normal((8, 3, 5)).astype("float32")
    d = rng.standard_normal((8, 5, 2)).astype("float32")
    np.testing.assert_allclose(K.get_value(K.batch_dot(c, d)), c @ d, rtol=1e-5)


def test_crossentropies_match_keras(keras):
    target = np.eye(4, dtype="float32")[[0, 2, 1]]
    probs = np.array([[0.7, 0.1, 0.1, 0.1], [0.2, 0.2, 0.5, 0.1], [0.25, 0.25, 0.25, 0.25]], "float32")
    ours = K.get_value(K.categorical_crossentropy(target, probs))
    ref = keras.ops.convert_to_numpy(keras.ops.categorical_crossentropy(target, probs))
    np.testing.assert_allclose(ours, ref, rtol=1e-6)
    ours = K.get_value(K.sparse_categorical_crossentropy(np.array([0, 2, 1]), probs))
    np.testing.assert_allclose(ours, ref, rtol=1e-6)
    ours = K.get_value(K.binary_crossentropy(target, probs))
    ref = keras.ops.convert_to_numpy(keras.ops.binary_crossentropy(target, probs))
    np.testing.assert_allclose(ours, ref, rtol=1e-6)


def test_variables_and_values():
    v = K.variable(np.ones((2, 2)))
    K.set_value(v, np.full((2, 2), 3.0))
    np.testing.assert_array_equal(K.get_value(v), np.full((2, 2), 3.0))
    assert K.batch_get_value([v])[0].shape == (2, 2)
    assert K.epsilon() == 1e-7 and K.floatx() == "float32" and K.image_data_format() == "channels_last"
    K.set_epsilon(1e-5)
    try:
        assert K.epsilon() == 1e-5
    finally:
        K.set_epsilon(1e-7)
    with pytest.raises(ValueError, match="floatx"):
        K.set_floatx("float8")
    with pytest.raises(ValueError, match="data_format"):
        K.set_image_data_format("nhwc")


def test_switch_random_and_learning_phase():
    cond = torch.tensor([True, False, True])
    np.testing.assert_array_equal(K.get_value(K.switch(cond, torch.ones(3), torch.zeros(3))), [1, 0, 1])
    r = K.random_uniform((1000,), 2.0, 3.0, seed=1)
    assert 2.0 <= float(r.min()) and float(r.max()) <= 3.0
    np.testing.assert_array_equal(K.get_value(K.random_normal((5,), seed=3)), K.get_value(K.random_normal((5,), seed=3)))
    assert K.learning_phase() == 0
    assert K.in_train_phase(1, 2, training=True) == 1 and K.in_test_phase(1, 2, training=True) == 2


def test_backend_functions_on_symbolic_tensors_build_graph_ops():
    """Keras 2 VAEs write their loss with K on model tensors and pass it to add_loss."""
    import kerasish
    from kerasish.layers import Dense, Input

    x = Input((6,))
    z = Dense(3)(x)
    y = K.sum(K.square(z), axis=-1, keepdims=True) + K.mean(K.exp(z))
    model = kerasish.Model(x, y)
    data = rng.standard_normal((5, 6)).astype("float32")
    zv = data @ model.layers[1].get_weights()[0] + model.layers[1].get_weights()[1]
    expected = (zv ** 2).sum(-1, keepdims=True) + np.exp(zv).mean()
    np.testing.assert_allclose(model.predict(data, verbose=0), expected, rtol=1e-5)

    model.add_loss(K.mean(K.square(z)))
    model.compile(optimizer="sgd")
    history = model.fit(data, epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]


def test_loss_functions_on_symbolic_tensors():
    import kerasish
    from kerasish.layers import Dense, Input

    x = Input((4,))
    out = Dense(4, activation="sigmoid")(x)
    model = kerasish.Model(x, out)
    model.add_loss(K.mean(4 * kerasish.losses.binary_crossentropy(x, out)))
    model.compile(optimizer="adam")
    data = (rng.random((32, 4)) > 0.5).astype("float32")
    history = model.fit(data, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert kerasish.losses.get("bce") is kerasish.losses.binary_crossentropy


def test_pool2d_honours_padding_and_mode():
    # 3x3 input, 2x2 windows, stride 2: 'valid' keeps one window, 'same' pads the end to 4x4
    # and averages the real inputs only (TensorFlow's rule, Keras 2's K.pool2d).
    x = np.arange(9, dtype="float32").reshape(1, 3, 3, 1)
    valid = K.pool2d(x, (2, 2), strides=(2, 2), padding="valid", pool_mode="avg")
    np.testing.assert_allclose(valid.numpy().ravel(), [2.0])
    same = K.pool2d(x, (2, 2), strides=(2, 2), padding="same", pool_mode="avg")
    np.testing.assert_allclose(same.numpy().ravel(), [2.0, 3.5, 6.5, 8.0])
    top = K.pool2d(x, (2, 2), strides=(2, 2), padding="same", pool_mode="max")
    np.testing.assert_allclose(top.numpy().ravel(), [4.0, 5.0, 7.0, 8.0])
    first = K.pool2d(np.moveaxis(x, -1, 1), (2, 2), strides=(2, 2), padding="same",
                     data_format="channels_first")
    np.testing.assert_allclose(first.numpy().ravel(), [4.0, 5.0, 7.0, 8.0])
    with pytest.raises(ValueError, match="pool_mode="):
        K.pool2d(x, (2, 2), pool_mode="min")
    with pytest.raises(ValueError, match="padding="):
        K.pool2d(x, (2, 2), padding="full")
