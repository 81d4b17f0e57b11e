"""Normalization, Discretization and CategoryEncoding against real Keras 3 on torch (these run
there without TensorFlow): outputs, dtypes and adapted state."""

import itertools

import numpy as np
import torch

import kerasish


def _same(actual, expected, rtol=1e-6, atol=1e-6):
    expected = expected.detach().cpu() if isinstance(expected, torch.Tensor) else \
        torch.as_tensor(np.asarray(expected))
    assert isinstance(actual, torch.Tensor)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    np.testing.assert_allclose(actual.numpy(), expected.numpy(), rtol=rtol, atol=atol)


NORMALIZATION_CASES = [({}, False), ({"axis": None}, False), ({"axis": (1, 2)}, False),
                       ({"axis": 1}, True), ({"invert": True}, False), ({"axis": -1}, True)]


def test_normalization_adapt_matches_keras(keras, rng):
    # One test over the cases: the `keras` fixture's setup costs ~1 s per test.
    for kwargs, batches in NORMALIZATION_CASES:
        _check_normalization_adapt(keras, rng, kwargs, batches)


def _check_normalization_adapt(keras, rng, kwargs, batches):
    x = rng.normal(3.0, 2.0, size=(12, 3, 4)).astype("float32")
    data = [x[:5], x[5:9], x[9:]] if batches else x
    ours, ref = kerasish.layers.Normalization(**kwargs), keras.layers.Normalization(**kwargs)
    ours.adapt(data)
    # Keras's `adapt` on a list of batches needs TensorFlow (a tf.data check); its batch merge is
    # exact, so the reference adapts on the whole array.
    ref.adapt(x)
    _same(ours.adapt_mean.detach(), ref.adapt_mean.value, rtol=1e-5)
    _same(ours.adapt_variance.detach(), ref.adapt_variance.value, rtol=1e-5)
    y = rng.normal(size=(2, 3, 4)).astype("float32")
    _same(ours(y), ref(y), rtol=1e-5, atol=1e-5)


def test_normalization_given_statistics_match_keras(keras, rng):
    y = rng.normal(size=(2, 3, 4)).astype("float32")
    cases = [(2.0, 4.0, -1), ([1.0, 2.0, 3.0, 4.0], [1.0, 4.0, 9.0, 0.0], -1),
             ([[1.0] * 4] * 3, [[2.0] * 4] * 3, (1, 2))]
    for (mean, variance, axis), invert in itertools.product(cases, (False, True)):
        kw = dict(mean=mean, variance=variance, axis=axis, invert=invert)
        _same(kerasish.layers.Normalization(**kw)(y), keras.layers.Normalization(**kw)(y),
              rtol=1e-5, atol=1e-5)


def test_normalization_weights_and_config_match_keras(keras, rng):
    x = rng.normal(size=(10, 3)).astype("float32")
    ours, ref = kerasish.layers.Normalization(), keras.layers.Normalization()
    ours.adapt(x)
    ref.adapt(x)
    assert [w.name for w in ours.weights] == [w.name for w in ref.weights]
    for a, b in zip(ours.get_weights(), ref.get_weights()):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-5)
    ours_config, ref_config = ours.get_config(), ref.get_config()
    for key in ("axis", "invert", "mean", "variance"):
        assert ours_config[key] == ref_config[key]


DISCRETIZATION_CASES = [
    {"num_bins": 4}, {"num_bins": 7, "epsilon": 0.05}, {"num_bins": 3, "output_mode": "one_hot"},
    {"num_bins": 5, "output_mode": "multi_hot"}, {"num_bins": 5, "output_mode": "count"},
]


def test_discretization_adapt_matches_keras(keras, rng):
    x = rng.exponential(size=(300, 1)).astype("float32")
    batches = [x[:100], x[100:250], x[250:]]
    for kwargs, data in itertools.product(DISCRETIZATION_CASES, (x, batches)):
        ours, ref = kerasish.layers.Discretization(**kwargs), keras.layers.Discretization(**kwargs)
        ours.adapt(data)
        # Keras's `adapt` needs TensorFlow (a tf.data check); its summary steps do not.
        ref.reset_state()
        for batch in (data if isinstance(data, list) else [data]):
            ref.update_state(batch)
        ref.finalize_state()
        np.testing.assert_allclose(ours.bin_boundaries, ref.bin_boundaries, rtol=1e-6)
        y = np.concatenate([x[:6, 0], np.array(ref.bin_boundaries[:2], "float32")])[None, :]
        _same(ours(y), ref(y))


def test_discretization_boundaries_match_keras(keras):
    boundaries = [-1.0, 0.1, 0.5, 2.0]
    y = np.array([[-3.0, -1.0, 0.1, 0.099999, 0.5, 2.0, 7.0]], "float32")
    for output_mode in ("int", "one_hot", "multi_hot", "count"):
        kw = dict(bin_boundaries=boundaries, output_mode=output_mode)
        _same(kerasish.layers.Discretization(**kw)(y), keras.layers.Discretization(**kw)(y))
    kw = dict(bin_boundaries=boundaries)
    _same(kerasish.layers.Discretization(**kw)(y[0]), keras.layers.Discretization(**kw)(y[0]))


def test_category_encoding_matches_keras(keras):
    inputs = [np.array([3, 2, 0, 1]), np.array([[0, 1], [0, 0], [1, 2], [3, 1]]),
              np.array([[1], [3], [0]]), np.array(2)]
    for output_mode, x in itertools.product(("one_hot", "multi_hot", "count"), inputs):
        kw = dict(num_tokens=4, output_mode=output_mode)
        _same(kerasish.layers.CategoryEncoding(**kw)(x), keras.layers.CategoryEncoding(**kw)(x))


def test_category_encoding_count_weights_match_keras(keras):
    x = np.array([[0, 1, 1], [2, 2, 3]])
    w = np.array([[0.5, 1.0, 2.0], [1.0, 1.5, 3.0]], "float32")
    kw = dict(num_tokens=5, output_mode="count")
    _same(kerasish.layers.CategoryEncoding(**kw)(x, count_weights=w),
          keras.layers.CategoryEncoding(**kw)(x, count_weights=w))
