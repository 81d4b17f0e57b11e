"""Custom layers, subclassed models with custom steps, transfer learning, and PyTorch interop."""

import numpy as np
import pytest
import torch
from torch import nn

import kerasish
from kerasish import layers

RNG = np.random.default_rng(0)
X = RNG.normal(size=(64, 8)).astype("float32")
Y = (X @ RNG.normal(size=(8, 1))).astype("float32")


class Scale(layers.Layer):
    supports_masking = True

    def __init__(self, init=1.0, **kwargs):
        super().__init__(**kwargs)
        self.init = init

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer=kerasish.initializers.Constant(self.init),
                                 name="w")

    def call(self, inputs, training=None, mask=None):
        out = inputs * self.w
        return out + 1.0 if training else out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "init": self.init}


def test_custom_layer_in_functional_model_builds_and_round_trips():
    inp = kerasish.Input((3,))
    layer = Scale(2.0, name="scale")
    model = kerasish.Model(inp, layer(inp))
    assert layer.built and model.output_shape == (None, 3)
    x = torch.ones(1, 3)
    np.testing.assert_allclose(model(x, training=False).detach().numpy(), 2.0)
    np.testing.assert_allclose(model(x, training=True).detach().numpy(), 3.0)
    rebuilt = kerasish.Model.from_config(model.get_config(), custom_objects={"Scale": Scale})
    assert rebuilt.get_layer("scale").init == 2.0


class Keras2Style(kerasish.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        x, y = data
        y_pred = self(x, training=True)
        loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
        self.zero_grad()
        loss.backward()
        self.optimizer.apply([v.grad for v in self.trainable_weights], self.trainable_weights)
        self.compiled_metrics.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def test_keras2_style_custom_train_step_logs_loss_and_metrics():
    model = Keras2Style()
    model.compile(optimizer=kerasish.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    hist = model.fit(X, Y, epochs=3, batch_size=16, verbose=0)
    assert set(hist.history) == {"loss", "mae"}
    assert hist.history["loss"][-1] < hist.history["loss"][0]


def test_keras3_style_custom_train_step_example():
    from examples import custom_train_step

    hist, model = custom_train_step.main(epochs=3)
    assert hist.history["loss"][-1] < hist.history["loss"][0]
    assert {"loss", "mae", "val_loss", "val_mae"} <= set(hist.history)


def test_freezing_then_recompiling_keeps_frozen_weights():
    base = kerasish.Sequential([kerasish.Input((8,)), layers.Dense(4)])
    inp = kerasish.Input((8,))
    model = kerasish.Model(inp, layers.Dense(1)(base(inp)))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X, Y, epochs=1, verbose=0)
    base.trainable = False
    before = [w.copy() for w in base.get_weights()]
    head_before = model.layers[-1].get_weights()[0].copy()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X, Y, epochs=1, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, base.get_weights()))
    assert not np.array_equal(head_before, model.layers[-1].get_weights()[0])
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2


def test_torch_modules_as_layers_track_parameters():
    seq = kerasish.Sequential([kerasish.Input((8,)), nn.Linear(8, 4), nn.ReLU(), layers.Dense(1)])
    assert len(seq.trainable_weights) == 4 and seq.output_shape == (None, 1)
    inp = kerasish.Input((8,))
    wrapped = layers.TorchModuleWrapper(nn.Linear(8, 3))
    model = kerasish.Model(inp, layers.Dense(1)(wrapped(inp)))
    assert wrapped.output_shape == (None, 3) and len(model.trainable_weights) == 4
    model.compile(optimizer="adam", loss="mse")
    before = wrapped.module.weight.detach().clone()
    model.fit(X, Y, epochs=1, verbose=0)
    assert not torch.equal(before, wrapped.module.weight)


def test_plain_module_gets_compile_fit_evaluate_predict():
    from examples import torch_module_fit

    hist, scores, preds = torch_module_fit.fit_torch_module(epochs=3)
    assert hist.history["loss"][-1] < hist.history["loss"][0]
    assert len(scores) == 2 and preds.shape == (4, 1)
    with pytest.raises(TypeError, match="torch.nn.Module"):
        kerasish.Model.from_torch("not a module")


def test_kerasish_model_is_a_plain_module():
    inp = kerasish.Input((8,))
    hidden = layers.Dense(4, name="hidden")(inp)
    model = kerasish.Model(inp, layers.Dense(1, name="head")(hidden))
    assert isinstance(model, nn.Module)
    assert [k for k in model.state_dict()] == ["hidden.kernel", "hidden.bias", "head.kernel", "head.bias"]
    assert len(list(model.parameters())) == 4
    x = torch.from_numpy(X)
    compiled = torch.compile(model, backend="eager")
    torch.testing.assert_close(compiled(x), model(x))
    from examples import torch_module_fit

    losses = torch_module_fit.hand_written_loop(steps=15)
    assert losses[-1] < losses[0]
