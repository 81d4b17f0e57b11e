"""Denormals are flushed inside kerasish's loops only, and the previous mode comes back."""

import numpy as np
import torch

import kerasish
from kerasish.trainers.fast_math import _flush_denormal_enabled


class Probe(kerasish.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        self.seen = _flush_denormal_enabled()


def _model():
    model = kerasish.Sequential([kerasish.Input((4,)), kerasish.layers.Dense(2)])
    model.compile("rmsprop", "mse")
    return model


def test_flush_denormal_inside_fit_only(monkeypatch):
    probe = Probe()
    assert not _flush_denormal_enabled()
    _model().fit(np.ones((8, 4)), np.ones((8, 2)), verbose=0, callbacks=[probe])
    assert probe.seen is True
    assert not _flush_denormal_enabled()


def test_user_setting_is_kept_and_opt_out(monkeypatch):
    torch.set_flush_denormal(True)
    try:
        _model().fit(np.ones((8, 4)), np.ones((8, 2)), verbose=0)
        assert _flush_denormal_enabled()
    finally:
        torch.set_flush_denormal(False)
    monkeypatch.setenv("KERASISH_FLUSH_DENORMAL", "0")
    probe = Probe()
    _model().fit(np.ones((8, 4)), np.ones((8, 2)), verbose=0, callbacks=[probe])
    assert probe.seen is False
