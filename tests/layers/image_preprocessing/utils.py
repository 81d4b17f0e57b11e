"""Shared helpers for the image preprocessing layer tests: run a layer in real Keras and kerasish
on the same input (and seed) and compare the outputs, tensors and dicts alike."""

import numpy as np
import torch

import kerasish


def numpy(x):
    if isinstance(x, dict):
        return {k: numpy(v) for k, v in x.items()}
    return x.detach().cpu().numpy() if torch.is_tensor(x) else np.asarray(x)


def copy_input(data):
    if isinstance(data, dict):
        return {k: copy_input(v) for k, v in data.items()}
    return np.array(data)


def assert_tree_close(actual, expected, rtol=1e-5, atol=1e-5):
    if isinstance(expected, dict):
        assert set(actual) == set(expected), (sorted(actual), sorted(expected))
        for key in expected:
            assert_tree_close(actual[key], expected[key], rtol, atol)
        return
    actual, expected = numpy(actual), numpy(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    np.testing.assert_allclose(actual.astype("float64"), expected.astype("float64"),
                               rtol=rtol, atol=atol)


def run_pair(keras, class_name, kwargs, data, calls=1, training=True, **tol):
    """Calls the Keras and the kerasish layer `calls` times on `data` and compares each output."""
    k_layer = getattr(keras.layers, class_name)(**kwargs)
    n_layer = getattr(kerasish.layers, class_name)(**kwargs)
    outputs = []
    for _ in range(calls):
        expected = k_layer(copy_input(data), training=training)
        actual = n_layer(copy_input(data), training=training)
        assert_tree_close(actual, expected, **tol)
        outputs.append(numpy(actual))
    return n_layer, outputs
