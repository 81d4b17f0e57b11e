"""Pooling layers vs Keras 3 (and, for Keras-torch's one divergence from TF, vs TF's definition)."""

import numpy as np
import pytest
import torch

from kerasish import layers
from tests.conftest import assert_close
from tests.layers.parity_utils import assert_layer_parity

RNG = np.random.default_rng(0)


def _x(shape):
    return RNG.standard_normal(shape).astype("float32")


@pytest.mark.parametrize("mode", ["Max", "Average"])
@pytest.mark.parametrize("rank,shape,cfg", [
    (1, (2, 9, 3), dict(pool_size=2)),
    (1, (2, 9, 3), dict(pool_size=3, strides=1, padding="same")),
    (2, (2, 7, 7, 3), dict(pool_size=3, strides=2, padding="same")),
    (2, (2, 8, 8, 3), dict(pool_size=2, padding="same")),
    (2, (2, 3, 7, 8), dict(pool_size=(2, 3), strides=(1, 2), data_format="channels_first")),
    (3, (1, 5, 4, 5, 2), dict(pool_size=2)),
    (3, (1, 5, 5, 5, 2), dict(pool_size=3, strides=1, padding="same")),
])
def test_pooling(keras, mode, rank, shape, cfg):
    assert_layer_parity(keras, f"{mode}Pooling{rank}D", cfg, _x(shape))


def test_max_pooling_same_asymmetric(keras):
    # 'same' with the odd padding pixel at the end (7 -> 4 with pool 2, stride 2).
    assert_layer_parity(keras, "MaxPooling2D", dict(pool_size=2, padding="same"), _x((2, 7, 8, 3)))


def _tf_same_average(x, pool, stride):
    """TensorFlow's definition of 'same' average pooling in 1D: mean of the real inputs only."""
    length = x.shape[1]
    out_len = -(-length // stride)
    total = max(0, (out_len - 1) * stride + pool - length)
    start0 = -(total // 2)
    out = np.zeros((x.shape[0], out_len, x.shape[2]), "float32")
    for i in range(out_len):
        lo = max(0, start0 + i * stride)
        hi = min(length, start0 + i * stride + pool)
        out[:, i] = x[:, lo:hi].mean(axis=1)
    return out


def test_average_pooling_same_asymmetric_excludes_padding():
    # Keras's torch backend pads this case by replication; TF (and Keras on TF/JAX) averages only
    # the real inputs. kerasish follows the latter.
    x = _x((2, 8, 3))
    layer = layers.AveragePooling1D(pool_size=3, strides=2, padding="same")
    assert_close(layer(x).numpy(), _tf_same_average(x, 3, 2))


@pytest.mark.parametrize("mode", ["Max", "Average"])
@pytest.mark.parametrize("rank,shape,cfg", [
    (1, (2, 5, 3), dict()),
    (2, (2, 4, 5, 3), dict(keepdims=True)),
    (2, (2, 3, 4, 5), dict(data_format="channels_first")),
    (3, (2, 2, 3, 4, 3), dict(keepdims=True, data_format="channels_first")),
])
def test_global_pooling(keras, mode, rank, shape, cfg):
    assert_layer_parity(keras, f"Global{mode}Pooling{rank}D", cfg, _x(shape))


def test_global_average_pooling_1d_mask(keras):
    x = _x((2, 5, 3))
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 0]], bool)
    expected = keras.layers.GlobalAveragePooling1D()(x, mask=mask)
    actual = layers.GlobalAveragePooling1D()(x, mask=torch.as_tensor(mask))
    assert_close(actual.numpy(), np.asarray(expected))


def test_keras1_pooling_spelling(keras):
    with pytest.warns(UserWarning, match="Keras 2 API"):
        layer = layers.MaxPooling2D((2, 2), (1, 1), border_mode="same", dim_ordering="th")
    assert (layer.padding, layer.strides, layer.data_format) == ("same", (1, 1), "channels_first")
    with pytest.warns(UserWarning):
        avg = layers.AveragePooling2D(pool_size=(3, 3), border_mode="valid")
    x = _x((2, 6, 6, 2))
    assert_close(avg(x).numpy(), np.asarray(keras.layers.AveragePooling2D((3, 3))(x)))
