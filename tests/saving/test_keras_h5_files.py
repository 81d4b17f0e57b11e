"""Legacy `.h5` model files written by real Keras 3 load here and predict Keras's numbers.

Keras's `.h5` config stores each entry as `class_name` + `config`, without the `module` that tells
an op node (such as the `NotEqual` that computes `Embedding(mask_zero=True)`'s mask in a functional
model) from a layer.
"""

import numpy as np
import pytest

import kerasish

TOKENS = np.array([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0], [6, 7, 8, 9, 1]], dtype="int32")


def _masked_lstm(keras):
    inputs = keras.Input((5,), dtype="int32")
    x = keras.layers.Embedding(10, 4, mask_zero=True)(inputs)
    x = keras.layers.LSTM(3)(x)
    return keras.Model(inputs, keras.layers.Dense(2)(x))


def _masked_sequences(keras):
    # Op nodes whose class names are also layer names (`Add`, `Concatenate`) next to the layers.
    inputs = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(10, 4, mask_zero=True)(inputs)
    x = keras.layers.LSTM(3, return_sequences=True)(x)
    x = keras.ops.concatenate([keras.ops.add(x, 1.0), x], axis=-1)
    x = keras.layers.Add()([x, x])
    return keras.Model(inputs, keras.layers.Dense(2)(x))


def _masked_sequential(keras):
    return keras.Sequential([keras.Input((5,), dtype="int32"),
                             keras.layers.Embedding(10, 4, mask_zero=True),
                             keras.layers.LSTM(3), keras.layers.Dense(2)])


@pytest.mark.parametrize("build", [_masked_lstm, _masked_sequences, _masked_sequential])
def test_keras_h5_with_masking_embedding_loads(keras, tmp_path, build):
    keras.utils.set_random_seed(0)
    model = build(keras)
    expected = model.predict(TOKENS, verbose=0)
    model.save(tmp_path / "model.h5")

    loaded = kerasish.models.load_model(tmp_path / "model.h5")
    np.testing.assert_allclose(loaded.predict(TOKENS, verbose=0), expected, rtol=1e-5, atol=1e-6)
    embedding = next(layer for layer in loaded.layers if type(layer).__name__ == "Embedding")
    assert embedding.mask_zero


def test_module_less_layer_entry_still_builds_a_layer():
    # A layer entry (it has `trainable`) named like an op class stays a layer.
    config = {"class_name": "Add", "config": {"name": "add", "trainable": True, "dtype": "float32"}}
    from kerasish.models.functional_config import _deserialize_layer

    assert isinstance(_deserialize_layer(config, None), kerasish.layers.Add)
