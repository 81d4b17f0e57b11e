"""Recurrent layers: the shared harness over every layer/cell configuration, plus their errors,
Keras 1/2 arguments, stateful behaviour, dropout and masking rules."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers
from tests.layers.harness import run_layer_test

# (layer class, constructor arguments, input shape, expected output shape)
CASES = [
    (layers.SimpleRNN, dict(units=4), (2, 5, 3), (2, 4)),
    (layers.SimpleRNN, dict(units=4, activation="relu", return_sequences=True), (2, 5, 3), (2, 5, 4)),
    (layers.LSTM, dict(units=4), (2, 5, 3), (2, 4)),
    (layers.LSTM, dict(units=4, return_sequences=True, go_backwards=True, unit_forget_bias=False),
     (2, 5, 3), (2, 5, 4)),
    (layers.LSTM, dict(units=4, unroll=True, use_bias=False), (2, 5, 3), (2, 4)),
    (layers.GRU, dict(units=4), (2, 5, 3), (2, 4)),
    (layers.GRU, dict(units=4, reset_after=False, return_sequences=True), (2, 5, 3), (2, 5, 4)),
    (layers.RNN, dict(cell=layers.LSTMCell(4)), (2, 5, 3), (2, 4)),
    (layers.RNN, dict(cell=[layers.GRUCell(4), layers.SimpleRNNCell(2)], return_sequences=True),
     (2, 5, 3), (2, 5, 2)),
    (layers.Bidirectional, dict(layer=layers.LSTM(4)), (2, 5, 3), (2, 8)),
    (layers.Bidirectional, dict(layer=layers.GRU(4, return_sequences=True), merge_mode="sum"),
     (2, 5, 3), (2, 5, 4)),
    (layers.TimeDistributed, dict(layer=layers.Dense(6)), (2, 5, 3), (2, 5, 6)),
    (layers.ConvLSTM1D, dict(filters=2, kernel_size=3), (2, 3, 6, 2), (2, 4, 2)),
    (layers.ConvLSTM2D, dict(filters=2, kernel_size=2, padding="same", return_sequences=True),
     (1, 3, 4, 4, 2), (1, 3, 4, 4, 2)),
]


@pytest.mark.parametrize("layer_cls,kwargs,input_shape,output_shape", CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_layer_harness(layer_cls, kwargs, input_shape, output_shape):
    run_layer_test(layer_cls, kwargs, input_shape, expected_output_shape=output_shape)


def _x(shape=(2, 5, 3), seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def test_weights_use_keras_layouts():
    lstm, gru = layers.LSTM(4), layers.GRU(4)
    lstm(_x())
    gru(_x())
    assert [w.shape for w in lstm.get_weights()] == [(3, 16), (4, 16), (16,)]
    assert [w.shape for w in gru.get_weights()] == [(3, 12), (4, 12), (2, 12)]
    bias = lstm.get_weights()[2]
    np.testing.assert_array_equal(bias[4:8], 1.0)  # unit_forget_bias
    np.testing.assert_array_equal(np.delete(bias, np.s_[4:8]), 0.0)
    q = lstm.get_weights()[1]
    np.testing.assert_allclose(q @ q.T, np.eye(4), atol=1e-5)  # orthogonal recurrent kernel


def test_wrong_rank_raises():
    with pytest.raises(ValueError, match="expected ndim>=3"):
        layers.LSTM(3)(np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match="expected ndim=5"):
        layers.ConvLSTM2D(2, 3)(np.zeros((2, 4, 5, 3), "float32"))
    with pytest.raises(ValueError, match="padding"):
        layers.ConvLSTM1D(2, 3, padding="causal")


def test_bad_units_raise():
    with pytest.raises(ValueError, match="Received: units=0"):
        layers.GRU(0)
    with pytest.raises(ValueError, match="state_size"):
        layers.RNN(layers.Dense(3))


def test_bidirectional_bad_arguments():
    with pytest.raises(ValueError, match="merge_mode"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="go_backwards"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2))


def test_stateful_needs_fixed_batch_size():
    with pytest.raises(ValueError, match="batch size must be static"):
        kerasish.Sequential([layers.LSTM(3, stateful=True, input_shape=(5, 3))])


def test_stateful_carries_and_resets():
    model = kerasish.Sequential([layers.GRU(3, stateful=True, batch_input_shape=(2, 5, 3))])
    layer = model.layers[0]
    x = torch.as_tensor(_x())
    first = layer(x).detach().clone()
    second = layer(x)
    assert not torch.allclose(first, second)
    layer.reset_states()
    torch.testing.assert_close(layer(x), first)
    with pytest.raises(ValueError, match="batch size"):
        layer(torch.as_tensor(_x((3, 5, 3))))


def test_legacy_keras1_arguments_convert_with_warning():
    with pytest.warns(UserWarning, match="Keras 2 API"):
        layer = layers.LSTM(output_dim=4, init="he_normal", inner_init="orthogonal",
                            W_regularizer="l2", dropout_W=0.1, dropout_U=0.2, consume_less="gpu")
    assert layer.units == 4 and layer.dropout == 0.1 and layer.recurrent_dropout == 0.2
    assert type(layer.kernel_initializer).__name__ == "HeNormal"
    assert layer.kernel_regularizer is not None


def test_keras2_input_dim_and_length_give_input_shape():
    model = kerasish.Sequential([layers.SimpleRNN(4, input_dim=3, input_length=7)])
    assert tuple(model.input_shape) == (None, 7, 3)
    assert tuple(model.output_shape) == (None, 4)


def test_dropout_masks_are_fixed_across_time():
    cell = layers.LSTMCell(3, dropout=0.5, recurrent_dropout=0.5, seed=1)
    rnn = layers.RNN(cell, return_sequences=True)
    x = torch.ones((4, 6, 8))
    rnn(x)
    seen = []
    original = cell.get_dropout_mask

    def spy(step_input):
        mask = original(step_input)
        seen.append(mask)
        return mask

    cell.get_dropout_mask = spy
    out_train = rnn(x, training=True)
    assert len(seen) == 6 and all(m is seen[0] for m in seen)  # one mask per call, reused per step
    assert len(seen[0]) == 4  # one mask per gate with recurrent dropout
    assert cell._dropout_mask is None  # cleared after the call
    out_infer = rnn(x, training=False)
    assert not torch.allclose(out_train, out_infer)


def test_fully_masked_and_gappy_masks_keep_states():
    layer = layers.LSTM(3, return_sequences=True, return_state=True)
    x = torch.as_tensor(_x((2, 4, 3)))
    mask = torch.tensor([[False] * 4, [True, False, True, False]])
    seq, h, c = layer(x, mask=mask)
    torch.testing.assert_close(seq[0], torch.zeros(4, 3))  # never valid: zeros, initial state
    torch.testing.assert_close(h[0], torch.zeros(3))
    torch.testing.assert_close(seq[1, 1], seq[1, 0])  # masked step repeats the previous output
    torch.testing.assert_close(h[1], seq[1, 3])


def test_mask_propagates_only_with_return_sequences():
    emb = layers.Embedding(10, 4, mask_zero=True)
    tokens = np.array([[1, 2, 0], [3, 0, 0]])
    seq = layers.GRU(2, return_sequences=True)(emb(tokens))
    torch.testing.assert_close(seq._keras_mask, torch.as_tensor(tokens != 0))
    assert getattr(layers.GRU(2)(emb(tokens)), "_keras_mask", None) is None


def test_config_round_trip_keeps_recurrent_options():
    layer = layers.GRU(5, reset_after=False, return_state=True, go_backwards=True, dropout=0.1,
                       recurrent_activation="hard_sigmoid", kernel_regularizer="l1")
    clone = layers.deserialize(layers.serialize(layer))
    assert clone.get_config() == layer.get_config()
    assert clone.reset_after is False and clone.go_backwards and clone.return_state


def test_custom_cell_follows_keras_protocol():
    class MinimalCell(layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

        def call(self, inputs, states):
            out = inputs @ self.kernel + states[0]
            return out, [out]

    cell = MinimalCell(3)
    out = layers.RNN(cell)(np.ones((2, 4, 5), "float32"))
    expected = 4 * (torch.ones(2, 5) @ cell.kernel)  # the state accumulates every step
    torch.testing.assert_close(out, expected)
