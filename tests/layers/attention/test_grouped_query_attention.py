"""GroupQueryAttention against real Keras 3: outputs, scores, gradients, masks, weights, `.keras`
files both ways (Keras's `_query_dense` paths; the gated MultiHeadAttention's `_gate_dense`)."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers as L
from tests.conftest import assert_close
from tests.layers.attention.test_multi_head_attention import run_cases

RTOL, ATOL = 1e-4, 1e-5
BASE = {"head_dim": 4, "num_query_heads": 4, "num_key_value_heads": 2}


def _np(x):
    return x.detach().cpu().numpy() if torch.is_tensor(x) else np.asarray(x)


def _mask(shape):
    return np.random.default_rng(1).integers(0, 2, shape).astype(bool)


CASES = [
    ("plain", {}, {}, 6),
    ("scores", {}, {"return_attention_scores": True}, 6),
    ("mask", {}, {"attention_mask": _mask((2, 5, 6))}, 6),
    ("mask_scores", {}, {"attention_mask": _mask((2, 5, 6)), "return_attention_scores": True}, 6),
    ("causal", {}, {"use_causal_mask": True}, 5),
    ("one_kv_head", {"num_key_value_heads": 1, "use_bias": False}, {}, 6),
    ("gate", {"use_gate": True}, {"return_attention_scores": True}, 6),
    ("dropout_off_window", {"dropout": 0.2, "sliding_window": 2}, {"use_causal_mask": True}, 5),
]


def test_gqa_matches_keras(keras):
    run_cases(keras, CASES, _run_case)


def _run_case(keras, case):
    _, kwargs, call, kv_len = case
    rng = np.random.default_rng(0)
    q = rng.standard_normal((2, 5, 8)).astype("float32")
    v = rng.standard_normal((2, kv_len, 8)).astype("float32")
    kwargs = {**BASE, **kwargs}
    k_layer, n_layer = keras.layers.GroupQueryAttention(**kwargs), L.GroupQueryAttention(**kwargs)
    k_layer(q, v)
    n_layer(torch.tensor(q), torch.tensor(v))
    assert [w.shape for w in n_layer.get_weights()] == [w.shape for w in k_layer.get_weights()]
    n_layer.set_weights(k_layer.get_weights())
    call = {c: torch.tensor(x) if isinstance(x, np.ndarray) else x for c, x in call.items()}
    qk, vk = torch.tensor(q, requires_grad=True), torch.tensor(v, requires_grad=True)
    qn, vn = torch.tensor(q, requires_grad=True), torch.tensor(v, requires_grad=True)
    expected, actual = k_layer(qk, vk, **call), n_layer(qn, vn, **call)
    expected = expected if isinstance(expected, tuple) else (expected,)
    actual = actual if isinstance(actual, tuple) else (actual,)
    for a, e in zip(actual, expected):
        assert_close(_np(a), _np(e), rtol=RTOL, atol=ATOL)
    expected[0].square().sum().backward()
    actual[0].square().sum().backward()
    for a, e in ((qn, qk), (vn, vk)):
        assert_close(_np(a.grad), _np(e.grad), rtol=1e-3, atol=1e-5)
    for a, e in zip(n_layer.weights, k_layer.weights):
        assert_close(_np(a.grad), _np(e.value.grad), rtol=1e-3, atol=1e-5)
    assert set(n_layer.get_config()) == set(k_layer.get_config())


def _model(lib):
    inp = lib.Input((5, 8))
    x = lib.layers.GroupQueryAttention(**BASE)(inp, inp)
    x = lib.layers.MultiHeadAttention(2, 3, use_gate=True)(x, inp)
    return lib.Model(inp, x)


def test_gqa_and_gate_files_both_ways(keras, tmp_path):
    x = np.random.default_rng(4).standard_normal((3, 5, 8)).astype("float32")
    k_model = _model(keras)
    expected = _np(k_model(x))
    k_model.save(tmp_path / "k.keras")
    loaded = kerasish.models.load_model(tmp_path / "k.keras")
    assert_close(loaded.predict(x, verbose=0), expected, rtol=RTOL, atol=ATOL)
    assert type(loaded.layers[1]).__name__ == "GroupedQueryAttention"
    loaded.save(tmp_path / "n.keras")
    back = keras.models.load_model(tmp_path / "n.keras")
    assert_close(_np(back(x)), expected, rtol=RTOL, atol=ATOL)
    fresh = _model(kerasish)
    fresh.set_weights(k_model.get_weights())
    assert_close(fresh.predict(x, verbose=0), expected, rtol=RTOL, atol=ATOL)


def test_gqa_errors():
    with pytest.raises(ValueError, match="divisible"):
        L.GroupQueryAttention(head_dim=4, num_query_heads=3, num_key_value_heads=2)
    with pytest.raises(ValueError, match="head_dim=0"):
        L.GroupQueryAttention(head_dim=0, num_query_heads=2, num_key_value_heads=1)
    layer = L.GroupQueryAttention(**BASE)
    with pytest.raises(ValueError, match="3D"):
        layer(torch.zeros(2, 3, 4, 8), torch.zeros(2, 3, 4, 8))
    assert layer.compute_output_shape((None, 5, 8), (None, 6, 8)) == (None, 5, 8)
    with pytest.raises(ValueError, match="last dimension"):
        layer.compute_output_shape((None, 5, 8), (None, 6, 7))
