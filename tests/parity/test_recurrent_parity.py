"""Recurrent layers, Embedding and masks against real Keras 3: same weights and inputs give the same
outputs (and gradients), for every return/direction/mask combination and both execution paths
(torch's fused kernels and the step loop)."""

import itertools

import numpy as np
import pytest
import torch

import kerasish
from tests.conftest import assert_close

T, B, F, U = 6, 3, 4, 5

# Masks (batch, time): right-padded and left-padded run on the fused kernels; "gaps" forces the
# step loop (valid steps are not one contiguous block).
MASKS = {
    "none": None,
    "right": np.array([[1] * 6, [1] * 4 + [0] * 2, [1] + [0] * 5], bool),
    "left": np.array([[1] * 6, [0] * 2 + [1] * 4, [0] * 5 + [1]], bool),
    "gaps": np.array([[1, 0, 1, 1, 0, 1], [1] * 4 + [0] * 2, [0, 1, 0, 0, 1, 0]], bool),
}

LAYERS = {
    "SimpleRNN": ("SimpleRNN", {}),
    "SimpleRNN_relu": ("SimpleRNN", {"activation": "relu"}),
    "LSTM": ("LSTM", {}),
    "GRU": ("GRU", {}),
    "GRU_reset_before": ("GRU", {"reset_after": False}),
}


def _np(x):
    if isinstance(x, (list, tuple)):
        return [_np(v) for v in x]
    return x.detach().cpu().numpy() if torch.is_tensor(x) else np.asarray(x)


def _pair(keras, cls_name, **kw):
    ref = getattr(keras.layers, cls_name)(U, **kw)
    ours = getattr(kerasish.layers, cls_name)(U, **kw)
    return ref, ours


def _inputs(seed=0):
    return np.random.default_rng(seed).normal(size=(B, T, F)).astype("float32")


def _call_both(ref, ours, x, mask, training, **extra):
    kw = {} if mask is None else {"mask": mask}
    r = ref(x, training=training, **({k: torch.as_tensor(v) for k, v in kw.items()}), **extra)
    if not ours.built:
        ours(x)
        ours.set_weights(ref.get_weights())
        if getattr(ours, "stateful", False):
            ours.reset_states()  # the building call above advanced the state
    o = ours(x, training=training, **({k: torch.as_tensor(v) for k, v in kw.items()}), **extra)
    return _np(r), _np(o)


# Looped inside one test per layer: each pytest case pays a Keras session reset.
COMBOS = list(itertools.product([False, True], [False, True], [False, True], MASKS))


@pytest.mark.parametrize("layer", list(LAYERS))
def test_rnn_outputs_match_keras(keras, layer):
    cls_name, extra = LAYERS[layer]
    x = _inputs()
    for return_sequences, return_state, go_backwards, mask in COMBOS:
        ref, ours = _pair(keras, cls_name, return_sequences=return_sequences,
                          return_state=return_state, go_backwards=go_backwards, **extra)
        for training in (False, True):
            r, o = _call_both(ref, ours, x, MASKS[mask], training)
            if not return_state:
                r, o = [r], [o]
            assert len(r) == len(o)
            for a, b in zip(o, r):
                assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_unrolled_step_loop_matches_keras(keras):
    for layer, mask in itertools.product(LAYERS, ["none", "right"]):
        cls_name, extra = LAYERS[layer]
        ref, ours = _pair(keras, cls_name, return_sequences=True, unroll=True, **extra)
        r, o = _call_both(ref, ours, _inputs(1), MASKS[mask], False)
        assert_close(o, r)


@pytest.mark.parametrize("layer", ["LSTM", "GRU", "GRU_reset_before", "SimpleRNN"])
def test_gradients_match_keras(keras, layer):
    for mask in ["none", "right", "left", "gaps"]:
        _check_gradients(keras, layer, mask)


def _check_gradients(keras, layer, mask):
    cls_name, extra = LAYERS[layer]
    ref, ours = _pair(keras, cls_name, return_sequences=True, **extra)
    x = _inputs(2)
    m = None if MASKS[mask] is None else torch.as_tensor(MASKS[mask])
    ref(x)
    ours(x)
    ours.set_weights(ref.get_weights())
    xr = torch.tensor(x, requires_grad=True)
    xo = torch.tensor(x, requires_grad=True)
    (ref(xr, mask=m, training=True) ** 2).sum().backward()
    (ours(xo, mask=m, training=True) ** 2).sum().backward()
    ref_grads = [v.value.grad for v in ref.trainable_weights]
    ours_grads = [w.grad for w in ours.trainable_weights]
    for a, b in zip(ours_grads, ref_grads):
        assert_close(_np(a), _np(b), rtol=1e-4, atol=1e-5)
    assert_close(_np(xo.grad), _np(xr.grad), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("layer", ["LSTM", "GRU", "SimpleRNN"])
def test_initial_state_matches_keras(keras, layer):
    ref, ours = _pair(keras, layer, return_sequences=True, return_state=True)
    x = _inputs(3)
    n = 2 if layer == "LSTM" else 1
    states = [np.random.default_rng(i).normal(size=(B, U)).astype("float32") for i in range(n)]
    r, o = _call_both(ref, ours, x, None, False, initial_state=[torch.as_tensor(s) for s in states])
    for a, b in zip(o, r):
        assert_close(a, b)


@pytest.mark.parametrize("layer", ["LSTM", "GRU"])
def test_stateful_matches_keras(keras, layer):
    ref, ours = _pair(keras, layer, stateful=True, return_sequences=True)
    x1, x2 = _inputs(4), _inputs(5)
    r1, o1 = _call_both(ref, ours, x1, None, False)
    r2, o2 = _call_both(ref, ours, x2, None, False)
    assert_close(o1, r1)
    assert_close(o2, r2)
    assert not np.allclose(o2, _np(ours(x2)))  # the state really carries over
    ref.reset_states()
    ours.reset_states()
    r3, o3 = _call_both(ref, ours, x2, None, False)
    assert_close(o3, r3)


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_bidirectional_matches_keras(keras, merge_mode):
    for return_sequences, return_state, mask in itertools.product(
            [False, True], [False, True], ["none", "right", "gaps"]):
        kw = dict(return_sequences=return_sequences, return_state=return_state)
        ref = keras.layers.Bidirectional(keras.layers.LSTM(U, **kw), merge_mode=merge_mode)
        ours = kerasish.layers.Bidirectional(kerasish.layers.LSTM(U, **kw), merge_mode=merge_mode)
        r, o = _call_both(ref, ours, _inputs(6), MASKS[mask], False)
        r = r if isinstance(r, list) else [r]
        o = o if isinstance(o, list) else [o]
        assert len(o) == len(r)
        for a, b in zip(o, r):
            assert_close(a, b)


def test_bidirectional_gru_with_backward_layer_matches_keras(keras):
    ref = keras.layers.Bidirectional(
        keras.layers.GRU(U, return_sequences=True),
        backward_layer=keras.layers.GRU(3, return_sequences=True, go_backwards=True))
    ours = kerasish.layers.Bidirectional(
        kerasish.layers.GRU(U, return_sequences=True),
        backward_layer=kerasish.layers.GRU(3, return_sequences=True, go_backwards=True))
    r, o = _call_both(ref, ours, _inputs(7), None, False)
    assert o.shape == (B, T, U + 3)
    assert_close(o, r)


def test_stacked_cells_and_time_distributed_match_keras(keras):
    ref = keras.layers.RNN([keras.layers.LSTMCell(U), keras.layers.GRUCell(3)], return_sequences=True)
    ours = kerasish.layers.RNN([kerasish.layers.LSTMCell(U), kerasish.layers.GRUCell(3)],
                               return_sequences=True)
    r, o = _call_both(ref, ours, _inputs(8), MASKS["gaps"], False)
    assert_close(o, r)
    ref_td = keras.layers.TimeDistributed(keras.layers.Dense(2))
    ours_td = kerasish.layers.TimeDistributed(kerasish.layers.Dense(2))
    r, o = _call_both(ref_td, ours_td, _inputs(9), None, False)
    assert_close(o, r)


def _token_batch(seed=0, n=8, length=7, vocab=20):
    rng = np.random.default_rng(seed)
    tokens = rng.integers(1, vocab, size=(n, length))
    lengths = rng.integers(1, length + 1, size=n)
    tokens[np.arange(length)[None, :] >= lengths[:, None]] = 0  # right-padded with 0
    return tokens


def test_embedding_mask_zero_lstm_matches_keras(keras):
    tokens = _token_batch()
    ref_e, ref_l = keras.layers.Embedding(20, 6, mask_zero=True), keras.layers.LSTM(U)
    our_e, our_l = kerasish.layers.Embedding(20, 6, mask_zero=True), kerasish.layers.LSTM(U)
    r = _np(ref_l(ref_e(tokens)))
    h = our_e(tokens)
    our_e.set_weights(ref_e.get_weights())
    our_l(h)
    our_l.set_weights(ref_l.get_weights())
    emb = our_e(tokens)
    assert emb._keras_mask is not None
    assert_close(_np(our_l(emb)), r)


def test_masked_sequence_model_loss_matches_keras(keras):
    tokens = _token_batch(1)
    y = np.random.default_rng(1).normal(size=tokens.shape + (2,)).astype("float32")

    def build(lib):
        return lib.Sequential([
            lib.layers.Embedding(20, 6, mask_zero=True),
            lib.layers.LSTM(U, return_sequences=True),
            lib.layers.Dense(2),
        ])

    ref, ours = build(keras), build(kerasish)
    ref.compile(loss="mse")
    ours.compile(loss="mse")
    ref_out = _np(ref.predict(tokens, verbose=0))
    ours.predict(tokens, verbose=0)
    ours.set_weights(ref.get_weights())
    assert_close(_np(ours.predict(tokens, verbose=0)), ref_out)
    ref_loss = ref.evaluate(tokens, y, verbose=0)
    ours_loss = ours.evaluate(tokens, y, verbose=0)
    assert_close(ours_loss, ref_loss)


def test_masking_layer_feeds_rnn_like_keras(keras):
    x = _inputs(10)
    x[1, 4:] = 0.0
    x[2, :2] = 0.0
    ref_l, our_l = keras.layers.GRU(U, return_sequences=True), kerasish.layers.GRU(U, return_sequences=True)
    r = _np(ref_l(keras.layers.Masking()(x)))
    our_l(x)
    our_l.set_weights(ref_l.get_weights())
    masked = kerasish.layers.Masking()(x)
    assert_close(_np(masked._keras_mask), _np(keras.layers.Masking().compute_mask(torch.as_tensor(x))))
    assert_close(_np(our_l(masked)), r)


@pytest.mark.parametrize("cls_name,spatial", [("ConvLSTM1D", (7,)), ("ConvLSTM2D", (6, 5))])
def test_conv_lstm_matches_keras(keras, cls_name, spatial):
    x = np.random.default_rng(11).normal(size=(2, 4) + spatial + (3,)).astype("float32")
    configs = [dict(padding="valid"), dict(padding="same", strides=2, return_sequences=True),
               dict(padding="same", dilation_rate=2, go_backwards=True, return_state=True),
               dict(padding="valid", data_format="channels_first", return_sequences=True)]
    for kw in configs:
        xin = np.moveaxis(x, -1, 2) if kw.get("data_format") == "channels_first" else x
        ref = getattr(keras.layers, cls_name)(4, 3, **kw)
        ours = getattr(kerasish.layers, cls_name)(4, 3, **kw)
        r, o = _call_both(ref, ours, xin, None, False)
        r, o = (r, o) if isinstance(r, list) else ([r], [o])
        assert len(o) == len(r)
        for a, b in zip(o, r):
            assert_close(a, b)
        assert tuple(ours.compute_output_shape(xin.shape)[0] if kw.get("return_state")
                     else ours.compute_output_shape(xin.shape)) == r[0].shape
