"""bfloat16 (and float8) values to numpy and back, as Keras 3 on torch does: ml_dtypes arrays."""

import ml_dtypes
import numpy as np
import pytest
import torch

import kerasish


def _layers(module, build_shape):
    layers = [module.layers.Dense(3, dtype="bfloat16"),
              module.layers.Conv2D(2, 3, dtype="bfloat16")]
    for layer, shape in zip(layers, build_shape):
        layer.build(shape)
    return layers


@pytest.mark.parametrize("index", [0, 1], ids=["Dense", "Conv2D"])
def test_get_and_set_weights_match_keras(keras, index):
    shapes = [(None, 4), (None, 5, 5, 2)]
    theirs = _layers(keras, shapes)[index]
    ours = _layers(kerasish, shapes)[index]
    expected = [w + np.asarray(0.25, ml_dtypes.bfloat16) for w in theirs.get_weights()]
    theirs.set_weights(expected)

    ours.set_weights(expected)  # Keras's arrays are ml_dtypes bfloat16
    got, want = ours.get_weights(), theirs.get_weights()
    assert [w.dtype for w in got] == [w.dtype for w in want] == [ml_dtypes.bfloat16] * 2
    for g, w in zip(got, want):
        assert g.shape == w.shape
        np.testing.assert_array_equal(g.view(np.uint16), w.view(np.uint16))
    assert all(p.dtype == torch.bfloat16 for p in ours.weights)


def test_variable_numpy_assign_and_convert_match_keras(keras):
    value = np.array([[1.5, -2.25], [3.0e-3, 7.0]], dtype=ml_dtypes.bfloat16)
    theirs = keras.Variable(value, dtype="bfloat16")
    ours = kerasish.Variable(value, dtype="bfloat16")
    np.testing.assert_array_equal(ours.numpy(), keras.ops.convert_to_numpy(theirs))
    assert ours.numpy().dtype == ml_dtypes.bfloat16
    ours.assign(value[::-1])
    np.testing.assert_array_equal(np.asarray(ours), value[::-1])
    tensor = kerasish.ops.convert_to_tensor(value)
    assert tensor.dtype == keras.ops.convert_to_tensor(value).dtype == torch.bfloat16


def test_get_weights_is_a_copy():
    layer = kerasish.layers.Dense(2, dtype="bfloat16")
    layer.build((None, 2))
    before = layer.get_weights()[0]
    layer.kernel.assign(np.zeros((2, 2), dtype="float32"))
    assert np.any(before.astype(np.float32) != 0)


@pytest.mark.parametrize("name", ["float8_e4m3fn", "float8_e5m2"])
def test_float8_values_round_trip_exactly(name):
    from kerasish.backend import layouts

    values = np.array([0.5, -1.75, 3.0, 0.0], dtype=getattr(ml_dtypes, name))
    tensor = kerasish.ops.convert_to_tensor(values)
    assert tensor.dtype == getattr(torch, name)
    back = layouts.to_numpy_copy(tensor)
    assert back.dtype == values.dtype
    np.testing.assert_array_equal(back, values)
