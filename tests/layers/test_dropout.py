"""Dropout draws its CPU masks from 32 random bits per entry: the kept fraction, the scaling, seeds,
`noise_shape` and `K.dropout` behave as Keras's dropout does."""

import math

import numpy as np
import pytest
import torch

from kerasish import backend as K
from kerasish import layers
from kerasish.backend.random_ops import keep_mask


@pytest.mark.parametrize("rate", [0.1, 0.2, 0.5, 0.9])
def test_kept_fraction_and_scale(rate):
    torch.manual_seed(0)
    n = 1 << 20
    out = layers.Dropout(rate)(np.ones((n // 1024, 1024), "float32"), training=True).numpy()
    kept = out != 0
    sigma = math.sqrt(rate * (1 - rate) / n)
    assert abs(kept.mean() - (1 - rate)) < 5 * sigma
    np.testing.assert_allclose(out[kept], 1 / (1 - rate), rtol=1e-6)
    # Entries are independent: neighbours are kept together as often as chance says.
    both = (kept[:, 1:] & kept[:, :-1]).mean()
    assert abs(both - (1 - rate) ** 2) < 5 * math.sqrt((1 - rate) ** 2 / n)


def test_gradient_is_the_scaled_mask():
    torch.manual_seed(1)
    x = torch.ones(64, 33, requires_grad=True)  # an odd number of entries
    y = layers.Dropout(0.3)(x, training=True)
    y.sum().backward()
    torch.testing.assert_close(x.grad, y.detach())


def test_inference_is_the_identity():
    x = np.random.default_rng(0).random((4, 5)).astype("float32")
    np.testing.assert_array_equal(layers.Dropout(0.5)(x).numpy(), x)


def test_seeded_layers_draw_the_same_masks():
    x = np.ones((16, 40), "float32")
    a = layers.Dropout(0.5, seed=7)(x, training=True).numpy()
    b = layers.Dropout(0.5, seed=7)(x, training=True).numpy()
    c = layers.Dropout(0.5, seed=8)(x, training=True).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_noise_shape_broadcasts_the_mask():
    torch.manual_seed(2)
    out = layers.Dropout(0.5, noise_shape=(None, 1, 6))(np.ones((32, 10, 6), "float32"),
                                                          training=True).numpy()
    assert np.all(out.min(axis=1) == out.max(axis=1))
    assert set(np.unique(out)) == {0.0, 2.0}


def test_backend_dropout():
    torch.manual_seed(3)
    n = 200_000
    out = K.dropout(torch.ones(n), 0.25).numpy()
    assert abs((out != 0).mean() - 0.75) < 5 * math.sqrt(0.75 * 0.25 / n)
    np.testing.assert_allclose(out[out != 0], 1 / 0.75, rtol=1e-6)
    shaped = K.dropout(torch.ones(50, 8), 0.5, noise_shape=(50, 1)).numpy()
    assert np.all(shaped.min(axis=1) == shaped.max(axis=1))


def test_keep_mask_edges():
    assert keep_mask((3, 5), 0.0).all()
    assert keep_mask((7,), 0.0).shape == (7,)
    nearly_all = keep_mask((1 << 16,), 1 - 1e-12)
    assert nearly_all.dtype == torch.bool and nearly_all.sum() <= 1
    torch.manual_seed(4)
    a = keep_mask((1001,), 0.5)
    torch.manual_seed(4)
    np.testing.assert_array_equal(a.numpy(), keep_mask((1001,), 0.5).numpy())
