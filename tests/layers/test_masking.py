"""Masking: zeroes padded steps and attaches the `(batch, time)` mask."""

import numpy as np
import pytest
import torch

from kerasish import layers
from tests.layers.harness import run_layer_test


def test_harness():
    run_layer_test(layers.Masking, dict(mask_value=0.5), (2, 4, 3), expected_output_shape=(2, 4, 3))


def test_mask_and_zeroed_steps():
    x = np.ones((2, 3, 2), "float32")
    x[0, 1] = -1.0
    x[1, 2, 0] = -1.0  # only one feature equals the mask value: not masked
    out = layers.Masking(mask_value=-1.0)(x)
    torch.testing.assert_close(out._keras_mask, torch.tensor([[True, False, True], [True, True, True]]))
    torch.testing.assert_close(out[0, 1], torch.zeros(2))
    torch.testing.assert_close(out[1], torch.as_tensor(x[1]))


def test_mask_reaches_the_loss_through_dense():
    x = np.ones((1, 3, 2), "float32")
    x[0, 2] = 0.0
    out = layers.Dense(1)(layers.Masking()(x))
    torch.testing.assert_close(out._keras_mask, torch.tensor([[True, True, False]]))


def test_bad_mask_value_raises():
    with pytest.raises(TypeError, match="mask_value"):
        layers.Masking(mask_value="pad")


def test_config_round_trip():
    layer = layers.Masking(mask_value=-2.0)
    assert layers.Masking.from_config(layer.get_config()).get_config() == layer.get_config()
