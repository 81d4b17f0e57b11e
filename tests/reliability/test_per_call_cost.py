"""`predict`/`evaluate` on small inputs skip what only pays off on large ones (the denormal flush,
whose pool-wide switches cost milliseconds on a busy machine, and the inference re-layout of
weights), and give the same numbers either way. Timings are in benchmarks/bench_predict_latency.py,
never asserted here."""

import numpy as np
import pytest

import kerasish
from kerasish.trainers import inference
from kerasish.trainers.fast_math import _flush_denormal_enabled


class FlushProbe(kerasish.layers.Layer):
    """Records whether denormals were being flushed while the model ran."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs):
        self.seen.append(_flush_denormal_enabled())
        return inputs


def _model(dropout=0.0):
    probe = FlushProbe()
    layers = [kerasish.Input((8,)), kerasish.layers.Dense(16, activation="relu"), probe]
    if dropout:
        layers.append(kerasish.layers.Dropout(dropout))
    model = kerasish.Sequential(layers + [kerasish.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    probe.seen.clear()  # building the model ran it too
    return model, probe


@pytest.fixture
def relayouts(monkeypatch):
    """Counts the inference re-layout scopes opened by evaluate/predict."""
    opened = []
    real = inference.inference_weights_scope

    def counting():
        opened.append(1)
        return real()

    monkeypatch.setattr(inference, "inference_weights_scope", counting)
    return opened


def _rows(n):
    return np.random.default_rng(n).random((n, 8)).astype("float32")


def test_small_predict_and_evaluate_do_not_flush_or_relayout(relayouts):
    model, probe = _model()
    model.predict(_rows(1), verbose=0)
    model.predict(_rows(100), batch_size=10, verbose=0)
    model.evaluate(_rows(4), np.eye(3, dtype="float32")[[0, 1, 2, 0]], verbose=0)
    assert probe.seen and not any(probe.seen)
    assert relayouts == []


def test_large_predict_and_evaluate_still_flush_and_relayout(relayouts):
    model, probe = _model()
    model.predict(_rows(inference._LARGE_CALL_ROWS), verbose=0)
    assert all(probe.seen)
    probe.seen.clear()
    y = np.eye(3, dtype="float32")[np.arange(inference._LARGE_CALL_ROWS) % 3]
    model.evaluate(_rows(inference._LARGE_CALL_ROWS), y, verbose=0)
    assert all(probe.seen)
    assert len(relayouts) == 2
    assert not _flush_denormal_enabled()


def test_fit_still_flushes():
    model, probe = _model()
    model.fit(_rows(4), np.eye(3, dtype="float32")[[0, 1, 2, 0]], verbose=0)
    assert probe.seen and all(probe.seen)
    assert not _flush_denormal_enabled()


def test_one_batch_predict_gives_the_loops_numbers():
    model, _ = _model()
    x = _rows(600)
    everything = model.predict(x, verbose=0)  # the full loop (large: flush and re-layout)
    np.testing.assert_allclose(model.predict(x[:1], verbose=0), everything[:1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(x[:32], verbose=0), everything[:32], rtol=1e-5, atol=1e-6)
    import torch

    np.testing.assert_allclose(model.predict(torch.from_numpy(x[:5]), verbose=0), everything[:5],
                               rtol=1e-5, atol=1e-6)
    # With a callback the loop runs (and calls it) even for one sample.
    seen = []
    callback = kerasish.callbacks.LambdaCallback(on_predict_batch_end=lambda b, logs: seen.append(b))
    np.testing.assert_allclose(model.predict(x[:1], verbose=0, callbacks=[callback]), everything[:1],
                               rtol=1e-5, atol=1e-6)
    assert seen == [0]
    out = model.predict(x[:3].astype("float64"), verbose=0)
    assert out.dtype == np.float32 and out.shape == (3, 3)


def test_one_batch_predict_is_in_inference_mode():
    model, _ = _model(dropout=0.9)
    model.train()  # e.g. left by user code
    x = _rows(1)
    first = model.predict(x, verbose=0)
    np.testing.assert_array_equal(model.predict(x, verbose=0), first)
    assert not model.training
