"""evaluate/predict multiply Dense inputs by an (out, in) copy of the kernel, made once per loop and
again whenever the kernel changes; everywhere else Dense reads Keras's (in, out) kernel."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers
from kerasish.layers import layer as layer_module
from kerasish.trainers import inference


def _model():
    model = kerasish.Sequential([kerasish.Input((6,)), layers.Dense(5, activation="relu"),
                                 layers.Dense(3)])
    model.compile("sgd", "mse")
    return model


def _x(rows=40):
    return np.random.default_rng(0).random((rows, 6)).astype("float32")


def test_predict_matches_the_direct_call():
    model, x = _model(), _x()
    with torch.no_grad():
        direct = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(model.predict(x, batch_size=8, verbose=0), direct, rtol=1e-5, atol=1e-6)
    assert layer_module.call_context().inference_weights is None  # nothing kept after the loop


class SwapWeights(kerasish.callbacks.Callback):
    """After the first batch, replaces the first layer's weights (as `set_weights` does)."""

    def __init__(self, weights):
        super().__init__()
        self.weights = weights

    def on_predict_batch_end(self, batch, logs=None):
        if batch == 0:
            self.model.layers[0].set_weights(self.weights)


def test_a_kernel_changed_during_predict_is_copied_again():
    model, x = _model(), _x(16)
    new = [w * 2.0 + 0.5 for w in model.layers[0].get_weights()]
    with torch.no_grad():
        old = model(torch.from_numpy(x[8:])).numpy()
    out = model.predict(x, batch_size=8, verbose=0, callbacks=[SwapWeights(new)])
    with torch.no_grad():
        after = model(torch.from_numpy(x[8:])).numpy()
    assert np.abs(after - old).max() > 0.1
    np.testing.assert_allclose(out[8:], after, rtol=1e-5, atol=1e-6)


def test_evaluate_uses_the_copy_and_training_does_not(monkeypatch):
    # Only calls on enough rows re-lay the kernel out (tests/reliability/test_per_call_cost.py).
    rows = inference._LARGE_CALL_ROWS
    model, x = _model(), _x(rows)
    y = np.zeros((rows, 3), "float32")
    calls = []
    real = layer_module.inference_weight

    def spy(weight, relayout):
        out = real(weight, relayout)
        calls.append(out is not None)
        return out

    monkeypatch.setattr("kerasish.layers.core.dense.inference_weight", spy)
    with torch.no_grad():
        expected = float(torch.mean((model(torch.from_numpy(x)) - torch.from_numpy(y)) ** 2))
    assert calls and not any(calls)  # a direct call reads Keras's kernel
    calls.clear()
    assert model.evaluate(x, y, batch_size=rows, verbose=0) == pytest.approx(expected, rel=1e-6)
    assert calls and all(calls)
    calls.clear()
    model.fit(x[:40], y[:40], batch_size=8, epochs=1, verbose=0)
    assert calls and not any(calls)


def test_large_kernels_are_not_copied(monkeypatch):
    monkeypatch.setattr(layer_module, "_INFERENCE_COPY_LIMIT", 10)
    model, x = _model(), _x()
    with layer_module.inference_weights_scope(), torch.no_grad():
        assert layer_module.inference_weight(model.layers[0].kernel, torch.clone) is None
        assert layer_module.inference_weight(model.layers[1].bias, torch.clone) is not None
    with torch.no_grad():
        direct = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(model.predict(x, verbose=0), direct, rtol=1e-5, atol=1e-6)
