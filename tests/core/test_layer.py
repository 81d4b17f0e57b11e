"""The Layer lifecycle: names, build, add_weight forms, weights, trainable, losses, errors."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers


class Scale(layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        self.factor = factor  # Keras 2 custom layers often set attributes before super().__init__
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")
        self.kernel2 = self.add_weight("legacy", (2, 2), None, "zeros", None, False)
        super().build(input_shape)

    def call(self, inputs):
        return inputs * self.w * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_auto_names_and_clear_session():
    assert layers.Dense(2).name == "dense"
    assert layers.Dense(2).name == "dense_1"
    assert layers.Activation("relu").name == "activation"
    kerasish.backend.clear_session()
    assert layers.Dense(2).name == "dense"


def test_build_on_first_call_and_weight_forms():
    layer = Scale(2.0, name="scale")
    assert not layer.built
    out = layer(np.ones((3, 4), dtype="float32"))
    assert layer.built and isinstance(out, torch.Tensor)
    np.testing.assert_allclose(out.detach().numpy(), np.full((3, 4), 2.0))
    assert [w.name for w in layer.weights] == ["w", "legacy"]
    assert [w.path for w in layer.weights] == ["scale/w", "scale/legacy"]
    assert [w.name for w in layer.trainable_weights] == ["w"]
    assert [w.name for w in layer.non_trainable_weights] == ["legacy"]
    assert layer.count_params() == 8
    # Registered once as torch parameters.
    assert sorted(n for n, _ in layer.named_parameters()) == ["legacy", "w"]


def test_trainable_flag_freezes_weights():
    layer = layers.Dense(3)
    layer.build((None, 2))
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2
    assert not any(p.requires_grad for p in layer.parameters())
    layer.trainable = True
    assert len(layer.trainable_weights) == 2


def test_get_set_weights_checks_shapes():
    layer = layers.Dense(3)
    layer.build((None, 2))
    with pytest.raises(ValueError, match=r"expected 2 weights, but received 1"):
        layer.set_weights([np.zeros((2, 3))])
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 3\)"):
        layer.set_weights([np.zeros((4, 3)), np.zeros(3)])
    layer.set_weights([np.ones((2, 3)), np.arange(3)])
    np.testing.assert_array_equal(layer.get_weights()[1], [0, 1, 2])


def test_initial_weights_keras2_argument():
    w = [np.full((2, 3), 0.5, dtype="float32"), np.ones(3, dtype="float32")]
    layer = layers.Dense(3, weights=w)
    out = layer(np.ones((1, 2), dtype="float32"))
    np.testing.assert_allclose(out.detach().numpy(), [[2.0, 2.0, 2.0]])


def test_unknown_kwargs_and_bad_arguments():
    with pytest.raises(TypeError, match="Unrecognized keyword arguments passed to Dense"):
        layers.Dense(3, foo=1)
    with pytest.raises(ValueError, match="units"):
        layers.Dense(-1)
    with pytest.raises(ValueError, match="rate"):
        layers.Dropout(1.5)


def test_wrong_input_shape_is_a_value_error():
    layer = layers.Dense(3)
    layer(np.ones((2, 4), dtype="float32"))
    with pytest.raises(ValueError, match=r"expected axis -1 of input shape to have value 4.*\(2, 5\)"):
        layer(np.ones((2, 5), dtype="float32"))


def test_keras1_argument_names_are_converted_with_a_warning():
    with pytest.warns(UserWarning, match="Update your `Dense` call to the Keras 2 API"):
        layer = layers.Dense(output_dim=4, init="zeros")
    assert layer.units == 4
    layer.build((None, 2))
    np.testing.assert_array_equal(layer.get_weights()[0], np.zeros((2, 4)))


def test_config_round_trip():
    layer = layers.Dense(5, activation="relu", kernel_regularizer="l2", name="d")
    clone = layers.Dense.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    custom = Scale.from_config(Scale(3.0, name="s").get_config())
    assert custom.factor == 3.0 and custom.name == "s"


def test_training_flag_propagates_to_nested_layers():
    seen = []

    class Probe(layers.Layer):
        def call(self, inputs, training=None):
            seen.append(training)
            return inputs

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.probe = Probe()

        def call(self, inputs):
            return self.probe(inputs)

    outer = Outer()
    outer(np.ones((1, 2), dtype="float32"), training=True)
    outer(np.ones((1, 2), dtype="float32"))
    assert seen == [True, None]


def test_add_loss_is_collected_per_call():
    class WithLoss(layers.Layer):
        def call(self, inputs):
            self.add_loss(torch.sum(inputs))
            return inputs

    layer = WithLoss()
    layer(torch.ones(2, 2))
    layer(torch.ones(2, 2))
    assert len(layer.losses) == 1 and float(layer.losses[0]) == 4.0


def test_variable_api():
    layer = layers.Dense(2)
    layer.build((None, 3))
    kernel = layer.kernel
    kernel.assign(np.ones((3, 2)))
    np.testing.assert_array_equal(kernel.numpy(), np.ones((3, 2)))
    kerasish.backend.set_value(kernel, np.zeros((3, 2)))
    np.testing.assert_array_equal(kerasish.backend.get_value(kernel), np.zeros((3, 2)))
    assert kernel.trainable and kernel.value is kernel


def test_plain_torch_module_in_sequential():
    model = kerasish.Sequential([kerasish.Input((4,)), torch.nn.Linear(4, 3), layers.Dense(2)])
    assert len(model.trainable_weights) == 4
    out = model.predict(np.ones((5, 4), dtype="float32"), verbose=0)
    assert out.shape == (5, 2)
