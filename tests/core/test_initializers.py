"""Initializers draw from Keras's distributions (same moments and shape of distribution)."""

import numpy as np
import pytest
from scipy import stats

import kerasish

SHAPE = (300, 200)

CASES = [
    ("glorot_uniform", {}),
    ("glorot_normal", {}),
    ("he_uniform", {}),
    ("he_normal", {}),
    ("lecun_uniform", {}),
    ("lecun_normal", {}),
    ("RandomNormal", {"mean": 0.5, "stddev": 0.2}),
    ("RandomUniform", {"minval": -1.0, "maxval": 3.0}),
    ("TruncatedNormal", {"mean": 0.0, "stddev": 1.0}),
    ("VarianceScaling", {"scale": 2.0, "mode": "fan_out", "distribution": "untruncated_normal"}),
    ("VarianceScaling", {"scale": 0.5, "mode": "fan_avg", "distribution": "uniform"}),
    ("orthogonal", {}),
]


def _make(lib, name, kwargs):
    if kwargs:
        return getattr(lib.initializers, name)(**kwargs)
    return lib.initializers.get(name)


@pytest.mark.parametrize("name,kwargs", CASES)
def test_distribution_matches_keras(keras, name, kwargs):
    ours = _make(kerasish, name, kwargs)(SHAPE).numpy().ravel()
    ref = keras.ops.convert_to_numpy(_make(keras, name, kwargs)(SHAPE)).ravel()
    # Two independent samples of 60,000 values from the same distribution.
    result = stats.ks_2samp(ours, ref)
    assert result.pvalue > 1e-3, f"{name}: KS statistic {result.statistic:.4f}"
    np.testing.assert_allclose(ours.std(), ref.std(), rtol=0.03)
    np.testing.assert_allclose(ours.mean(), ref.mean(), atol=0.02 * max(ref.std(), 1e-3) + 0.01)


@pytest.mark.parametrize("name", ["zeros", "ones", "identity"])
def test_deterministic_initializers(keras, name):
    ours = kerasish.initializers.get(name)((4, 4)).numpy()
    ref = keras.ops.convert_to_numpy(keras.initializers.get(name)((4, 4)))
    np.testing.assert_array_equal(ours, ref)


def test_constant_and_conv_fans(keras):
    np.testing.assert_array_equal(kerasish.initializers.Constant(3.0)((2, 3)).numpy(), np.full((2, 3), 3.0))
    # Conv kernels: fans from the Keras layout (kh, kw, in, out).
    assert kerasish.initializers.compute_fans((3, 3, 8, 16)) == (72, 144)
    ours = kerasish.initializers.HeNormal()((3, 3, 16, 64)).numpy()
    ref = keras.ops.convert_to_numpy(keras.initializers.HeNormal()((3, 3, 16, 64)))
    np.testing.assert_allclose(ours.std(), ref.std(), rtol=0.05)


def test_seeded_initializer_is_reproducible():
    a = kerasish.initializers.GlorotUniform(seed=7)((5, 5))
    b = kerasish.initializers.GlorotUniform(seed=7)((5, 5))
    assert np.array_equal(a.numpy(), b.numpy())


def test_dense_defaults_are_glorot_uniform_and_zeros():
    layer = kerasish.layers.Dense(50)
    layer.build((None, 400))
    kernel, bias = layer.get_weights()
    limit = np.sqrt(6.0 / (400 + 50))
    assert kernel.min() >= -limit and kernel.max() <= limit
    assert kernel.std() > 0.8 * limit / np.sqrt(3)
    np.testing.assert_array_equal(bias, np.zeros(50))


def test_unknown_initializer_lists_close_names():
    with pytest.raises(ValueError, match="glorot_uniform"):
        kerasish.initializers.get("glorot_unifrom")


def test_config_round_trip():
    for name, kwargs in CASES:
        init = _make(kerasish, name, kwargs)
        clone = type(init).from_config(init.get_config())
        assert clone.get_config() == init.get_config()
