"""MultiHeadAttention against real Keras 3: outputs, attention scores, gradients, masks (explicit,
causal, sliding window, carried by `Embedding(mask_zero=True)`), weights, `.keras`/`.h5` files
both ways, symbolic shapes and errors."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers as L
from tests.conftest import assert_close

RTOL, ATOL = 1e-4, 1e-5


def _np(x):
    return x.detach().cpu().numpy() if torch.is_tensor(x) else np.asarray(x)


def _inputs(shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [None if s is None else rng.standard_normal(s).astype("float32") for s in shapes]


def _mask(shape, seed=1, first_row_off=True):
    m = np.random.default_rng(seed).integers(0, 2, shape).astype(bool)
    if first_row_off:
        m[:, 0, :] = False  # a fully masked query row: the paths differ there in Keras itself
    return m


SELF = ((2, 5, 8), (2, 5, 8), None)
CROSS = ((2, 5, 8), (2, 6, 8), None)
CASES = [
    ("plain", {}, {}, CROSS),
    ("scores", {}, {"return_attention_scores": True}, CROSS),
    ("mask", {}, {"attention_mask": _mask((2, 5, 6))}, CROSS),
    ("mask_scores", {}, {"attention_mask": _mask((2, 5, 6)), "return_attention_scores": True}, CROSS),
    ("mask_2d", {}, {"attention_mask": _mask((1, 5, 6))[0]}, CROSS),
    ("causal", {}, {"use_causal_mask": True}, SELF),
    ("causal_scores", {}, {"use_causal_mask": True, "return_attention_scores": True}, SELF),
    ("causal_mask", {}, {"use_causal_mask": True, "attention_mask": _mask((2, 5, 5))}, SELF),
    ("causal_cross", {}, {"use_causal_mask": True}, CROSS),
    ("key_value_dims", {"num_heads": 3, "value_dim": 5, "output_shape": (7,), "use_bias": False},
     {}, ((2, 5, 8), (2, 6, 9), (2, 6, 3))),
    ("output_shape_2d", {"output_shape": (2, 3)}, {}, CROSS),
    ("dropout_off_mask", {"dropout": 0.3}, {"attention_mask": _mask((2, 5, 6))}, CROSS),
    ("dropout_off", {"dropout": 0.3}, {"return_attention_scores": True}, CROSS),
    ("axes_2", {"attention_axes": (1, 2)}, {"return_attention_scores": True},
     ((2, 3, 4, 8), (2, 3, 4, 8), None)),
    ("axis_2", {"attention_axes": 2}, {}, ((2, 3, 4, 8), (2, 3, 4, 8), None)),
    ("sliding_window", {"sliding_window": 2}, {"use_causal_mask": True}, SELF),
    ("gate", {"use_gate": True}, {"return_attention_scores": True}, CROSS),
    ("flash_off", {"flash_attention": False}, {}, CROSS),
]


def _pair(keras, kwargs, args):
    kwargs = {"num_heads": 2, "key_dim": 4, **kwargs}
    k_layer = keras.layers.MultiHeadAttention(**kwargs)
    n_layer = L.MultiHeadAttention(**kwargs)
    k_layer(*args)
    n_layer(*[torch.tensor(a) for a in args])
    assert [w.shape for w in n_layer.get_weights()] == [w.shape for w in k_layer.get_weights()]
    assert all(k.path.endswith("/" + n.path) for n, k in zip(n_layer.weights, k_layer.weights))
    n_layer.set_weights(k_layer.get_weights())
    return k_layer, n_layer


def _run_case(keras, case):
    _, kwargs, call, shapes = case
    args = [a for a in _inputs(shapes) if a is not None]
    k_layer, n_layer = _pair(keras, kwargs, args)
    k_args = [torch.tensor(a, requires_grad=True) for a in args]
    n_args = [torch.tensor(a, requires_grad=True) for a in args]
    k_call = {c: torch.tensor(v) if isinstance(v, np.ndarray) else v for c, v in call.items()}
    expected = k_layer(*k_args, **k_call, training=False)
    actual = n_layer(*n_args, **k_call, training=False)
    expected = expected if isinstance(expected, tuple) else (expected,)
    actual = actual if isinstance(actual, tuple) else (actual,)
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        assert tuple(a.shape) == tuple(e.shape)
        assert_close(_np(a), _np(e), rtol=RTOL, atol=ATOL)
    # Gradients of the same scalar, with respect to the inputs and every weight.
    w = torch.linspace(-1, 1, expected[0].numel()).reshape(expected[0].shape)
    (expected[0] * w).sum().backward()
    (actual[0] * w).sum().backward()
    for a, e in zip(n_args, k_args):
        assert_close(_np(a.grad), _np(e.grad), rtol=1e-3, atol=1e-5)
    for a, e in zip(n_layer.weights, k_layer.weights):
        assert_close(_np(a.grad), _np(e.value.grad), rtol=1e-3, atol=1e-5)


def run_cases(keras, cases, run):
    """Every case in one test (the `keras` fixture's session reset costs seconds per test);
    failures are collected and reported by case name."""
    failed = {}
    for case in cases:
        try:
            run(keras, case)
        except AssertionError as e:
            failed[case[0]] = str(e)[:300]
    assert not failed, failed


def test_outputs_scores_and_gradients_match_keras(keras):
    run_cases(keras, CASES, _run_case)


def test_fully_masked_rows_follow_keras_paths(keras):
    """Keras's fused path makes a fully masked row uniform, its explicit path makes it zero;
    kerasish takes the same path for the same arguments."""
    q, v = _inputs(CROSS[:2])
    mask = np.ones((2, 5, 6), bool)
    mask[:, 1, :] = False
    k_layer, n_layer = _pair(keras, {}, [q, v])
    for scores in (False, True):
        e = k_layer(q, v, attention_mask=mask, return_attention_scores=scores)
        a = n_layer(torch.tensor(q), torch.tensor(v), attention_mask=torch.tensor(mask),
                    return_attention_scores=scores)
        for x, y in zip(a if scores else (a,), e if scores else (e,)):
            assert_close(_np(x), _np(y), rtol=RTOL, atol=ATOL)


def _encoder(lib, mask_zero=True):
    lay = lib.layers
    inp = lib.Input((7,), dtype="int32")
    x = lay.Embedding(30, 8, mask_zero=mask_zero)(inp)
    a = lay.MultiHeadAttention(2, 4, name="mha")(x, x)
    c = lay.MultiHeadAttention(2, 3, value_dim=5, name="causal")(a, x, use_causal_mask=True)
    x = lay.LayerNormalization()(lay.Add()([x, c]))
    return lib.Model(inp, lay.Dense(3)(lay.GlobalAveragePooling1D()(x)))


def _tokens():
    x = np.random.default_rng(3).integers(1, 30, (4, 7))
    x[:, 5:] = 0
    x[2, 2:] = 0
    return x


def test_masks_from_embedding_match_keras(keras):
    x = _tokens()
    k_model, n_model = _encoder(keras), _encoder(kerasish)
    n_model.set_weights(k_model.get_weights())
    assert_close(n_model.predict(x, verbose=0), _np(k_model(x)), rtol=RTOL, atol=ATOL)
    assert n_model.layers[2].output.shape == (None, 7, 8)


def test_keras_files_both_ways(keras, tmp_path):
    x = _tokens()
    k_model = _encoder(keras)
    expected = _np(k_model(x))
    k_model.save(tmp_path / "k.keras")
    loaded = kerasish.models.load_model(tmp_path / "k.keras")
    assert_close(loaded.predict(x, verbose=0), expected, rtol=RTOL, atol=ATOL)
    loaded.save(tmp_path / "n.keras")
    loaded.save(tmp_path / "n.h5")
    for name in ("n.keras", "n.h5"):
        back = keras.models.load_model(tmp_path / name, compile=False)
        assert_close(_np(back(x)), expected, rtol=RTOL, atol=ATOL)


def test_legacy_h5_from_keras(keras, tmp_path):
    # Without mask_zero: Keras writes the mask ops of `Add` into h5 configs as layers.
    x = _tokens()
    k_model = _encoder(keras, mask_zero=False)
    k_model.save(tmp_path / "k.h5")
    loaded = kerasish.models.load_model(tmp_path / "k.h5")
    assert_close(loaded.predict(x, verbose=0), _np(k_model(x)), rtol=RTOL, atol=ATOL)
    k_model.save_weights(tmp_path / "k.weights.h5")
    fresh = _encoder(kerasish, mask_zero=False)
    fresh.load_weights(tmp_path / "k.weights.h5")
    assert_close(fresh.predict(x, verbose=0), _np(k_model(x)), rtol=RTOL, atol=ATOL)


def test_symbolic_shapes_and_config(keras):
    q = kerasish.Input((5, 8))
    v = kerasish.Input((6, 4))
    layer = L.MultiHeadAttention(3, 2, output_shape=(7,))
    out, scores = layer(q, v, return_attention_scores=True)
    assert out.shape == (None, 5, 7) and scores.shape == (None, 3, 5, 6)
    assert layer.compute_output_shape((None, 5, 8), (None, 6, 4)) == (None, 5, 7)
    config = layer.get_config()
    k_config = keras.layers.MultiHeadAttention(3, 2, output_shape=(7,)).get_config()
    assert set(config) == set(k_config)
    clone = keras.layers.MultiHeadAttention.from_config(
        {**config, "kernel_initializer": "glorot_uniform", "bias_initializer": "zeros"})
    assert clone.get_config()["output_shape"] == (7,)


def test_dropout_applies_in_training_only():
    q, v = _inputs(CROSS[:2])
    q, v = torch.tensor(q), torch.tensor(v)
    for seed in (None, 3):  # fused (SDPA's dropout) and explicit (seeded Dropout) paths
        layer = L.MultiHeadAttention(2, 4, dropout=0.5, seed=seed)
        infer = layer(q, v)
        assert_close(_np(layer(q, v, training=False)), _np(infer), rtol=0, atol=0)
        train = layer(q, v, training=True)
        assert not np.allclose(_np(train), _np(infer))
    _, scores = layer(q, v, training=True, return_attention_scores=True)
    assert_close(_np(scores.sum(-1)), np.ones((2, 2, 5)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kwargs, match", [
    ({"num_heads": 2, "key_dim": 0}, "key_dim=0"),
    ({"num_heads": 0, "key_dim": 4}, "num_heads=0"),
    ({"num_heads": 2, "key_dim": 4, "value_dim": -1}, "value_dim=-1"),
    ({"num_heads": 2, "key_dim": 4, "dropout": 1.5}, "dropout=1.5"),
    ({"num_heads": 2, "key_dim": 4, "dropout": 0.1, "flash_attention": True}, "dropout"),
    ({"num_heads": 2, "key_dim": 4, "attention_axes": "x"}, "attention_axes"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        L.MultiHeadAttention(**kwargs)


def test_bad_inputs():
    q, v = (torch.tensor(a) for a in _inputs(CROSS[:2]))
    layer = L.MultiHeadAttention(2, 4)
    with pytest.raises(ValueError, match="attention_mask.shape=\\(2, 5, 5\\)"):
        layer(q, v, attention_mask=torch.ones(2, 5, 5, dtype=torch.bool))
    with pytest.raises(ValueError, match="value_shape"):
        L.MultiHeadAttention(2, 4)(q, v, torch.zeros(2, 4, 8))
    with pytest.raises(ValueError, match="same rank"):
        L.MultiHeadAttention(2, 4)(q, torch.zeros(2, 3, 6, 8))
    with pytest.raises(ValueError, match="return_attention_scores"):
        L.MultiHeadAttention(2, 4, flash_attention=True)(q, v, return_attention_scores=True)


def test_subclass_overriding_compute_attention_gets_the_causal_mask():
    class Recording(L.MultiHeadAttention):
        def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                               return_attention_scores=False):
            self.seen = attention_mask
            return super()._compute_attention(query, key, value, attention_mask, training,
                                              return_attention_scores)

    q = torch.tensor(_inputs(SELF[:1])[0])
    layer = Recording(2, 4)
    plain = L.MultiHeadAttention(2, 4)
    layer(q, q)
    plain(q, q)
    plain.set_weights(layer.get_weights())
    out = layer(q, q, use_causal_mask=True)
    assert_close(_np(layer.seen[0]), np.tril(np.ones((5, 5), bool)), rtol=0, atol=0)
    assert_close(_np(out), _np(plain(q, q, use_causal_mask=True)), rtol=1e-5, atol=1e-6)


def test_mixed_precision_runs_in_bfloat16():
    x = torch.tensor(_inputs(CROSS[:1])[0])
    layer = L.MultiHeadAttention(2, 4, dtype="mixed_bfloat16")
    out = layer(x, x)
    assert out.dtype == torch.bfloat16 and layer.query_dense.kernel.dtype == torch.float32
    assert_close(_np(out.float()), _np(_same_weights_float32(layer)(x, x)), rtol=0.05, atol=0.05)


def _same_weights_float32(layer):
    ref = L.MultiHeadAttention(2, 4)
    ref(torch.zeros(1, 5, 8), torch.zeros(1, 5, 8))
    ref.set_weights(layer.get_weights())
    return ref
