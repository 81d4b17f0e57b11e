"""Embedding: lookups, masks, Keras 2's `input_length`, initial weights, config and errors."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers
from tests.layers.harness import run_layer_test


def test_harness():
    run_layer_test(layers.Embedding, dict(input_dim=7, output_dim=3), (2, 4), input_dtype="int64",
                   expected_output_shape=(2, 4, 3))


def test_lookup_and_default_initializer():
    layer = layers.Embedding(50, 8)
    out = layer(np.array([[3, 3, 7]]))
    table = layer.get_weights()[0]
    np.testing.assert_array_equal(out.detach().numpy()[0], table[[3, 3, 7]])
    assert np.abs(table).max() <= 0.05 and np.abs(table).max() > 0.03  # RandomUniform(-0.05, 0.05)


def test_mask_zero():
    out = layers.Embedding(5, 2, mask_zero=True)(np.array([[1, 0, 4]]))
    torch.testing.assert_close(out._keras_mask, torch.tensor([[True, False, True]]))
    assert getattr(layers.Embedding(5, 2)(np.array([[1, 0]])), "_keras_mask", None) is None


def test_input_length_gives_first_layer_shape():
    model = kerasish.Sequential([layers.Embedding(100, 4, input_length=12)])
    assert tuple(model.output_shape) == (None, 12, 4)


def test_initial_weights_and_float_indices():
    table = np.arange(6, dtype="float32").reshape(3, 2)
    layer = layers.Embedding(3, 2, weights=[table])
    out = layer(np.array([[2.0, 0.0]], dtype="float32"))
    np.testing.assert_array_equal(out.detach().numpy(), table[[[2, 0]]])


def test_config_round_trip_and_legacy_names():
    with pytest.warns(UserWarning, match="Keras 2 API"):
        layer = layers.Embedding(10, 3, init="zeros", W_regularizer="l2", mask_zero=True)
    clone = layers.Embedding.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    assert clone.mask_zero and clone.embeddings_regularizer is not None


@pytest.mark.parametrize("kwargs,match", [
    (dict(input_dim=0, output_dim=3), "input_dim=0"),
    (dict(input_dim=5, output_dim=2.5), "output_dim=2.5"),
])
def test_bad_dims_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.Embedding(**kwargs)
