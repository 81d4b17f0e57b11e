"""Normalization layers vs Keras 3, in training and inference, including BatchNormalization's
moving statistics after training steps and a full `fit` step."""

import numpy as np
import pytest

import kerasish
from kerasish import layers
from tests.conftest import assert_close
from tests.layers.parity_utils import assert_layer_parity, build_pair

RNG = np.random.default_rng(0)


def _x(shape, scale=3.0, shift=1.5):
    return (RNG.standard_normal(shape) * scale + shift).astype("float32")


@pytest.mark.parametrize("shape,cfg", [
    ((8, 5), dict()),
    ((4, 5, 6, 3), dict(momentum=0.9)),
    ((4, 3, 5, 6), dict(axis=1, epsilon=1e-5, center=False)),
    ((4, 6, 3), dict(axis=-2, scale=False)),
])
def test_batch_normalization_training_and_moving_stats(keras, shape, cfg):
    x = _x(shape)
    k_layer, n_layer = build_pair(keras, "BatchNormalization", cfg, x)
    # Non-trivial gamma/beta and moving statistics, so every term of the formula is exercised.
    weights = [RNG.uniform(0.5, 1.5, w.shape).astype("float32") for w in k_layer.get_weights()]
    k_layer.set_weights(weights)
    n_layer.set_weights(weights)
    for _ in range(3):  # several updates: the moving statistics compound
        xb = _x(shape)
        assert_close(n_layer(xb, training=True).detach().numpy(),
                     np.asarray(k_layer(xb, training=True).detach()), rtol=1e-5, atol=1e-5)
    for actual, expected in zip(n_layer.get_weights(), k_layer.get_weights()):
        assert_close(actual, expected, rtol=1e-5, atol=1e-6)
    xi = _x(shape)
    assert_close(n_layer(xi, training=False).detach().numpy(),
                 np.asarray(k_layer(xi, training=False).detach()), rtol=1e-5, atol=1e-5)


def test_batch_normalization_weights_and_trainability(keras):
    layer = layers.BatchNormalization()
    layer(np.zeros((2, 4), "float32"))
    assert [w._keras_name for w in layer.weights] == ["gamma", "beta", "moving_mean",
                                                      "moving_variance"]
    assert len(layer.trainable_weights) == 2 and len(layer.non_trainable_weights) == 2


def test_frozen_batch_normalization_runs_in_inference_mode(keras):
    x = _x((8, 4))
    k_layer, n_layer = build_pair(keras, "BatchNormalization", {}, x)
    k_layer.trainable = False
    n_layer.trainable = False
    before = n_layer.get_weights()
    assert_close(n_layer(x, training=True).detach().numpy(),
                 np.asarray(k_layer(x, training=True).detach()))
    for a, b in zip(n_layer.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_batch_normalization_fit_step_matches_keras(keras):
    x = _x((16, 6))
    y = RNG.standard_normal((16, 1)).astype("float32")
    k_model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4),
                                keras.layers.BatchNormalization(), keras.layers.Dense(1)])
    n_model = kerasish.models.Sequential([layers.Dense(4, input_shape=(6,)),
                                          layers.BatchNormalization(), layers.Dense(1)])
    n_model.set_weights(k_model.get_weights())
    for model in (k_model, n_model):
        model.compile(optimizer="sgd", loss="mse")
        model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    for actual, expected in zip(n_model.get_weights(), k_model.get_weights()):
        assert_close(actual, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shape,cfg", [
    ((4, 6), dict()),
    ((2, 3, 5), dict(axis=[1, 2], epsilon=1e-5)),
    ((2, 3, 5), dict(axis=-1, center=False)),
])
def test_layer_normalization(keras, shape, cfg):
    x = _x(shape)
    k_layer, n_layer = build_pair(keras, "LayerNormalization", cfg, x)
    weights = [RNG.uniform(0.5, 1.5, w.shape).astype("float32") for w in k_layer.get_weights()]
    k_layer.set_weights(weights)
    n_layer.set_weights(weights)
    assert_close(n_layer(x).detach().numpy(), np.asarray(k_layer(x).detach()), atol=1e-5)


@pytest.mark.parametrize("shape,cfg", [
    ((2, 5, 6), dict(groups=3)),
    ((2, 4, 4, 4), dict(groups=2, axis=1, scale=False)),
    ((2, 5, 4), dict(groups=-1)),
])
def test_group_normalization(keras, shape, cfg):
    assert_layer_parity(keras, "GroupNormalization", cfg, _x(shape), atol=1e-5)


@pytest.mark.parametrize("axis", [-1, [1, 2]])
def test_unit_normalization(keras, axis):
    x = _x((3, 4, 5))
    x[0] = 0.0
    assert_layer_parity(keras, "UnitNormalization", dict(axis=axis), x)
