"""`SpectralNormalization` and `Wrapper` vs Keras 3: power iteration over training calls (Dense,
Conv2D in torch's kernel layout, Embedding), gradients, weights order, configs, `.keras` both ways."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers
from kerasish.backend import layouts
from tests.conftest import assert_close

RNG = np.random.default_rng(0)


def _x(shape):
    return RNG.standard_normal(shape).astype("float32")


@pytest.mark.parametrize("inner,kwargs,x", [
    ("Dense", dict(units=3), _x((4, 5))),
    ("Conv2D", dict(filters=3, kernel_size=2), _x((2, 4, 4, 2))),
    ("Embedding", dict(input_dim=6, output_dim=3), np.array([[1, 2, 5], [0, 4, 3]], "int32")),
])
def test_training_calls_match_keras(keras, inner, kwargs, x):
    k_layer = keras.layers.SpectralNormalization(getattr(keras.layers, inner)(**kwargs),
                                                 power_iterations=2)
    n_layer = layers.SpectralNormalization(getattr(layers, inner)(**kwargs), power_iterations=2)
    k_layer(x)
    n_layer(x)
    assert [w._keras_name for w in n_layer.weights] == [w.name for w in k_layer.weights]
    n_layer.set_weights(k_layer.get_weights())
    for step in range(3):  # the power iteration compounds over calls
        k_out, n_out = k_layer(x, training=True), n_layer(x, training=True)
        if inner == "Embedding":
            # Keras casts the output to the inputs' dtype, so integer ids give integer "embeddings";
            # kerasish keeps the float output (its truncation is Keras's).
            np.testing.assert_array_equal(n_out.detach().to(torch.int32).numpy(), np.asarray(k_out))
        else:
            k_wrt = [w.value for w in k_layer.trainable_weights]
            n_wrt = list(n_layer.trainable_weights)
            k_grads = torch.autograd.grad(k_out.square().sum(), k_wrt)
            n_grads = torch.autograd.grad(n_out.square().sum(), n_wrt)
            assert_close(n_out.detach().numpy(), k_out.detach().numpy(), rtol=1e-4, atol=1e-5)
            for w, a, b in zip(n_wrt, n_grads, k_grads):
                # A conv kernel's gradient is in torch's kernel layout, like the kernel.
                assert_close(a.numpy(), layouts.to_torch(layouts.layout_of(w), b).numpy(),
                             rtol=1e-4, atol=1e-5)
        for a, b in zip(n_layer.get_weights(), k_layer.get_weights()):
            assert_close(a, b, rtol=1e-5, atol=1e-6)
    # Inference leaves the weights alone.
    before = n_layer.get_weights()
    n_layer(x, training=False)
    for a, b in zip(n_layer.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def _model(lib):
    return lib.Sequential([lib.Input((5,)), lib.layers.SpectralNormalization(lib.layers.Dense(4)),
                           lib.layers.Dense(2)])


def test_keras_files_both_ways_and_fit(keras, tmp_path):
    theirs, mine = _model(keras), _model(kerasish)
    mine.set_weights(theirs.get_weights())
    x, y = _x((8, 5)), _x((8, 2))
    for model in (theirs, mine):
        model.compile(optimizer="sgd", loss="mse")
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(mine.get_weights(), theirs.get_weights()):
        assert_close(a, b, rtol=1e-4, atol=1e-5)
    expected = theirs.predict(x, verbose=0)
    theirs.save(tmp_path / "k.keras")
    assert_close(kerasish.models.load_model(tmp_path / "k.keras").predict(x, verbose=0), expected,
                 atol=1e-5)
    mine.save(tmp_path / "n.keras")
    assert_close(keras.models.load_model(tmp_path / "n.keras").predict(x, verbose=0),
                 mine.predict(x, verbose=0), atol=1e-5)


def test_config_round_trip_with_keras(keras):
    from kerasish.saving import serialization

    theirs = keras.layers.SpectralNormalization(keras.layers.Dense(3, name="d"), power_iterations=3,
                                                name="sn")
    mine = layers.deserialize({"class_name": "SpectralNormalization",
                               "config": theirs.get_config()})
    assert mine.power_iterations == 3 and mine.name == "sn"
    assert isinstance(mine.layer, layers.Dense) and mine.layer.units == 3
    back = keras.saving.deserialize_keras_object(serialization.serialize_keras_object(mine))
    assert back.power_iterations == 3 and back.layer.units == 3


def test_bad_arguments():
    with pytest.raises(ValueError, match="Received: power_iterations=0"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="Received: layer="):
        layers.SpectralNormalization("dense")
    with pytest.raises(ValueError, match="nor 'embeddings'"):
        layers.SpectralNormalization(layers.Flatten())(_x((2, 3)))


def test_wrapper_subclass_builds_and_serializes_its_layer():
    class Twice(layers.Wrapper):
        def call(self, inputs):
            return self.layer(inputs) * 2

    wrapped = Twice(layers.Dense(3))
    out = wrapped(_x((2, 4)))
    assert wrapped.layer.built and tuple(out.shape) == (2, 3)
    assert [w._keras_name for w in wrapped.weights] == ["kernel", "bias"]
    clone = Twice.from_config(wrapped.get_config())
    assert isinstance(clone.layer, layers.Dense) and clone.layer.units == 3
    assert isinstance(layers.TimeDistributed(layers.Dense(2)), layers.Wrapper)
