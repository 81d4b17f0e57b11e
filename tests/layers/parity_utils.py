"""Builds a layer in real Keras and in kerasish, copies Keras's weights over, and compares."""

import numpy as np
import torch

from kerasish import layers as kish_layers
from tests.conftest import assert_close


def _numpy(x):
    return x.detach().cpu().numpy() if torch.is_tensor(x) else np.asarray(x)


def build_pair(keras, class_name, kwargs, x, kish_class_name=None):
    """`(keras_layer, kerasish_layer)`, both built on `x`, with Keras's weights in both."""
    k_layer = getattr(keras.layers, class_name)(**kwargs)
    k_layer(x)
    n_layer = getattr(kish_layers, kish_class_name or class_name)(**kwargs)
    n_layer(x)
    k_weights = k_layer.get_weights()
    assert [w.shape for w in n_layer.get_weights()] == [w.shape for w in k_weights]
    n_layer.set_weights(k_weights)
    return k_layer, n_layer


def assert_layer_parity(keras, class_name, kwargs, x, training=(False,), rtol=1e-5, atol=1e-6,
                        call_kwargs=None):
    """Same weights and inputs give the same outputs (and weights) in each `training` mode."""
    call_kwargs = call_kwargs or {}
    k_layer, n_layer = build_pair(keras, class_name, kwargs, x)
    for mode in training:
        expected = _numpy(k_layer(x, training=mode, **call_kwargs))
        actual = _numpy(n_layer(x, training=mode, **call_kwargs))
        assert actual.shape == expected.shape
        assert_close(actual, expected, rtol=rtol, atol=atol)
        for a, e in zip(n_layer.get_weights(), k_layer.get_weights()):
            assert_close(a, e, rtol=rtol, atol=atol)
    return k_layer, n_layer
