"""Activation, noise and regularization layers vs Keras 3 (deterministic parts: inference mode,
the penalty values, and the statistics of the noise in training)."""

import warnings

import numpy as np
import pytest
import torch

from kerasish import layers
from tests.conftest import assert_close
from tests.layers.parity_utils import assert_layer_parity

RNG = np.random.default_rng(0)


def _x(shape):
    return (RNG.standard_normal(shape) * 3).astype("float32")


@pytest.mark.parametrize("name,cfg", [
    ("ReLU", dict()),
    ("ReLU", dict(max_value=2.0, negative_slope=0.1, threshold=0.5)),
    ("ReLU", dict(max_value=6.0)),
    ("LeakyReLU", dict()),
    ("LeakyReLU", dict(negative_slope=0.01)),
    ("ELU", dict(alpha=0.7)),
    ("Softmax", dict()),
    ("Softmax", dict(axis=1)),
    ("Softmax", dict(axis=[1, 2])),
])
def test_activation_layers(keras, name, cfg):
    assert_layer_parity(keras, name, cfg, _x((2, 3, 4)))


@pytest.mark.parametrize("cfg", [dict(), dict(shared_axes=[1, 2])], ids=str)
def test_prelu(keras, cfg):
    k_layer, n_layer = assert_layer_parity(keras, "PReLU", cfg, _x((2, 3, 4, 2)))
    alpha = RNG.uniform(0.1, 0.5, k_layer.get_weights()[0].shape).astype("float32")
    k_layer.set_weights([alpha])
    n_layer.set_weights([alpha])
    x = _x((2, 3, 4, 2))
    assert_close(n_layer(x).detach().numpy(), np.asarray(k_layer(x).detach()))


def test_softmax_mask(keras):
    x = _x((2, 3, 4))
    mask = RNG.random((2, 3, 4)) > 0.4
    mask[0, 0] = False  # a fully masked row gives zeros, not a uniform distribution
    expected = keras.layers.Softmax()(x, mask=mask)
    actual = layers.Softmax()(x, mask=torch.as_tensor(mask))
    assert_close(actual.numpy(), np.asarray(expected))


def test_leaky_relu_keras2_alpha():
    with pytest.warns(UserWarning, match="negative_slope"):
        layer = layers.LeakyReLU(alpha=0.1)
    assert layer.negative_slope == 0.1
    assert layers.LeakyReLU().negative_slope == 0.3


@pytest.mark.parametrize("name,cfg", [
    ("SpatialDropout1D", dict(rate=0.5)), ("SpatialDropout2D", dict(rate=0.5)),
    ("GaussianNoise", dict(stddev=0.5)), ("GaussianDropout", dict(rate=0.5)),
    ("AlphaDropout", dict(rate=0.5)),
])
def test_noise_layers_are_identity_in_inference(keras, name, cfg):
    shape = (2, 5, 5, 3) if name == "SpatialDropout2D" else (2, 5, 3)
    assert_layer_parity(keras, name, cfg, _x(shape))


def test_spatial_dropout_drops_whole_channels():
    x = np.ones((64, 5, 5, 8), "float32")
    y = layers.SpatialDropout2D(0.5)(x, training=True).numpy()
    per_channel = y.reshape(64, 25, 8)
    assert np.all(per_channel.min(axis=1) == per_channel.max(axis=1))
    assert set(np.unique(y)) == {0.0, 2.0}


def test_noise_statistics_in_training():
    torch.manual_seed(0)
    x = np.ones((200, 500), "float32")
    noisy = layers.GaussianNoise(0.5)(x, training=True).numpy()
    assert abs(noisy.mean() - 1.0) < 0.01 and abs(noisy.std() - 0.5) < 0.01
    dropped = layers.GaussianDropout(0.2)(x, training=True).numpy()
    assert abs(dropped.mean() - 1.0) < 0.01 and abs(dropped.std() - 0.5) < 0.01
    # AlphaDropout keeps a standard-normal input's mean 0 and variance 1.
    z = np.random.default_rng(0).standard_normal((200, 500)).astype("float32")
    alpha = layers.AlphaDropout(0.3)(z, training=True).numpy()
    assert abs(alpha.mean()) < 0.02 and abs(alpha.std() - 1.0) < 0.02


def test_activity_regularization_penalty(keras):
    x = _x((4, 3))
    k_layer = keras.layers.ActivityRegularization(l1=0.1, l2=0.01)
    k_layer(x)
    n_layer = layers.ActivityRegularization(l1=0.1, l2=0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = n_layer(x)
    assert_close(out.numpy(), x)
    assert_close(float(sum(n_layer.losses)), float(sum(np.asarray(v) for v in k_layer.losses)))
