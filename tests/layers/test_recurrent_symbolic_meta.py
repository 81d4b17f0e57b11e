"""Functional models infer recurrent layers' output shapes on `meta` tensors (no arithmetic, no
memory), not by running the sequence on real zeros (DESIGN.md, Floors)."""

import pytest

import kerasish
from kerasish import layers


def _devices_seen(monkeypatch, cls):
    seen = []
    original = cls.call

    def spy(self, inputs, *args, **kwargs):
        seen.append(inputs.device.type)
        return original(self, inputs, *args, **kwargs)

    monkeypatch.setattr(cls, "call", spy)
    return seen


@pytest.mark.parametrize("make,expected", [
    (lambda: layers.LSTM(4), (None, 4)),
    (lambda: layers.GRU(4, return_sequences=True), (None, 5, 4)),
    (lambda: layers.SimpleRNN(4, go_backwards=True), (None, 4)),
])
def test_recurrent_shapes_come_from_meta(monkeypatch, make, expected):
    layer = make()
    seen = _devices_seen(monkeypatch, type(layer))
    out = layer(kerasish.Input((5, 3)))
    assert out.shape == expected
    assert seen and set(seen) == {"meta"}


def test_masked_lstm_shapes_come_from_meta(monkeypatch):
    seen = _devices_seen(monkeypatch, layers.LSTM)
    x = layers.Embedding(10, 4, mask_zero=True)(kerasish.Input((6,), dtype="int32"))
    states = layers.LSTM(3, return_state=True)(x)
    assert [s.shape for s in states] == [(None, 3)] * 3
    assert seen and set(seen) == {"meta"}
