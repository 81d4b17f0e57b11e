"""Keras 2's `add_metric`, in a layer's `call` and on a functional model's symbolic tensors."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers


class ActivationStats(layers.Layer):
    def call(self, inputs):
        self.add_metric(torch.mean(inputs), name="mean_activation")
        return inputs


def test_add_metric_in_call_logs_running_mean():
    rng = np.random.default_rng(0)
    x = rng.random((64, 5)).astype("float32")
    y = rng.random((64, 1)).astype("float32")
    model = kerasish.Sequential([kerasish.Input((5,)), layers.Dense(4, kernel_initializer="ones", trainable=False),
                                 ActivationStats(), layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0,
                        validation_data=(x, y))
    assert sorted(history.history) == ["loss", "mean_activation", "val_loss", "val_mean_activation"]
    # Inference: the mean over batches of each batch's mean activation (weights are all ones).
    batches = [x[i:i + 32] @ np.ones((5, 4)) for i in range(0, 64, 32)]
    expected = np.mean([b.mean() for b in batches])
    np.testing.assert_allclose(history.history["val_mean_activation"][0], expected, rtol=1e-5)


def test_add_metric_on_symbolic_tensors():
    inputs = kerasish.Input((3,))
    hidden = layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")(inputs)
    model = kerasish.Model(inputs, layers.Dense(1)(hidden))
    model.add_metric(kerasish.backend.mean(hidden), name="hidden_mean")
    model.compile("sgd", "mse")
    x = np.ones((8, 3), "float32")
    logs = model.evaluate(x, np.zeros((8, 1), "float32"), verbose=0, return_dict=True)
    assert logs["hidden_mean"] == pytest.approx(3.0)


def test_add_metric_needs_a_name():
    with pytest.raises(ValueError, match="name"):
        layers.Layer().add_metric(torch.ones(()))
