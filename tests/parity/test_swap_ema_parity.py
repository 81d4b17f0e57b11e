"""`SwapEMAWeights` gives Keras 3's numbers: validation losses computed on the moving averages,
training continuing from the raw weights, and the final weights."""

import numpy as np
import pytest

import kerasish
from tests.conftest import assert_close


def _data():
    rng = np.random.default_rng(11)
    x = rng.normal(size=(64, 5)).astype("float32")
    y = rng.normal(size=(64, 2)).astype("float32")
    return x, y


def _fit(lib, weights, swap_on_epoch):
    x, y = _data()
    model = lib.Sequential([lib.Input((5,)), lib.layers.Dense(8, activation="tanh"), lib.layers.Dense(2)])
    model.set_weights(weights)
    model.compile(optimizer=lib.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.7), loss="mse")
    history = model.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0,
                        validation_data=(x[:16], y[:16]),
                        callbacks=[lib.callbacks.SwapEMAWeights(swap_on_epoch=swap_on_epoch)])
    return model, history.history


@pytest.mark.parametrize("swap_on_epoch", [False, True])
def test_fit_with_swaps_matches_keras(keras, swap_on_epoch):
    ours_init = kerasish.Sequential([kerasish.Input((5,)), kerasish.layers.Dense(8), kerasish.layers.Dense(2)])
    weights = ours_init.get_weights()
    ours, our_hist = _fit(kerasish, weights, swap_on_epoch)
    theirs, their_hist = _fit(keras, weights, swap_on_epoch)
    assert_close(our_hist["loss"], their_hist["loss"], rtol=1e-5, atol=1e-6)
    assert_close(our_hist["val_loss"], their_hist["val_loss"], rtol=1e-5, atol=1e-6)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_evaluate_and_predict_use_the_averages_and_swap_back():
    x, y = _data()
    model = kerasish.Sequential([kerasish.Input((5,)), kerasish.layers.Dense(2)])
    model.compile(optimizer=kerasish.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.9), loss="mse")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    model.train_on_batch(x[:16], y[:16])  # weights and averages now differ
    raw = model.get_weights()
    averages = [a.numpy().copy() for a in model.optimizer._ema_averages]
    swap = kerasish.callbacks.SwapEMAWeights()
    pred = model.predict(x, verbose=0, callbacks=[swap])
    assert_close(pred, x @ averages[0] + averages[1], rtol=1e-5, atol=1e-5)
    for a, b in zip(model.get_weights(), raw):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(raw[0], averages[0])


def test_refusals_are_clear():
    model = kerasish.Sequential([kerasish.Input((5,)), kerasish.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = _data()
    with pytest.raises(ValueError, match="use_ema=True.*Received: use_ema=False"):
        model.evaluate(x, y, verbose=0, callbacks=[kerasish.callbacks.SwapEMAWeights()])
    with pytest.raises(NotImplementedError, match="JAX.*Received: args=\\('ckpt',\\)"):
        kerasish.callbacks.OrbaxCheckpoint("ckpt")
