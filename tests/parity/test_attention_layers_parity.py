"""`Attention` and `AdditiveAttention` vs Keras 3: outputs, attention scores and gradients for every
argument combination (score modes, scale, key, masks, causal mask), masks from
`Embedding(mask_zero=True)`, weights and `.keras` files both ways, configs, dropout, bad input."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers
from tests.conftest import assert_close

RNG = np.random.default_rng(0)
Q = RNG.standard_normal((2, 3, 4)).astype("float32")
V = RNG.standard_normal((2, 5, 4)).astype("float32")
K = RNG.standard_normal((2, 5, 4)).astype("float32")
# The second value row is fully masked: Keras's `-1e9` bias then gives a (near-)uniform row, not NaN.
Q_MASK = np.array([[1, 1, 0], [1, 1, 1]], bool)
V_MASK = np.array([[1, 1, 1, 0, 0], [0, 0, 0, 0, 0]], bool)

LAYERS = [
    ("Attention", {}),
    ("Attention", dict(use_scale=True)),
    ("Attention", dict(score_mode="concat")),
    ("Attention", dict(score_mode="concat", use_scale=True)),
    ("AdditiveAttention", {}),
    ("AdditiveAttention", dict(use_scale=False)),
]
CALLS = [
    dict(),
    dict(mask=[Q_MASK, V_MASK]),
    dict(use_causal_mask=True),
    dict(use_causal_mask=True, mask=[Q_MASK, V_MASK]),
]


def _pair(keras, class_name, kwargs, inputs):
    k_layer = getattr(keras.layers, class_name)(**kwargs)
    n_layer = getattr(layers, class_name)(**kwargs)
    k_layer(inputs)
    n_layer(inputs)
    # Weights away from their initial ones, so every use of `scale` shows.
    weights = [RNG.uniform(0.5, 1.5, w.shape).astype("float32") for w in k_layer.get_weights()]
    k_layer.set_weights(weights)
    n_layer.set_weights(weights)
    return k_layer, n_layer


def _grads(layer, weights, inputs, call_kwargs):
    """Outputs (and scores) and the gradients of a fixed loss w.r.t. the inputs and weights."""
    xs = [torch.tensor(x, requires_grad=True) for x in inputs]
    out, scores = layer(xs, return_attention_scores=True, **call_kwargs)
    loss = (out * torch.linspace(-1, 1, out.numel()).reshape(out.shape)).sum() + \
        (scores * torch.linspace(1, 2, scores.numel()).reshape(scores.shape)).sum()
    grads = torch.autograd.grad(loss, xs + weights)
    return [t.detach().numpy() for t in (out, scores, *grads)]


@pytest.mark.parametrize("class_name,kwargs", LAYERS)
def test_outputs_scores_and_gradients_match_keras(keras, class_name, kwargs):
    # Every mask combination on [query, value]; the full combination with a separate key.
    cases = [([Q, V], call_kwargs) for call_kwargs in CALLS] + [([Q, V, K], CALLS[-1])]
    k_layer, n_layer = _pair(keras, class_name, kwargs, [Q, V, K])
    assert [w._keras_name for w in n_layer.weights] == [w.name for w in k_layer.weights]
    for inputs, call_kwargs in cases:
        # The fused (SDPA) path: no scores requested.
        expected = np.asarray(k_layer(inputs, **call_kwargs).detach())
        assert_close(n_layer(inputs, **call_kwargs).detach().numpy(), expected, atol=1e-5)
        theirs = _grads(k_layer, [w.value for w in k_layer.trainable_weights], inputs, call_kwargs)
        mine = _grads(n_layer, list(n_layer.trainable_weights), inputs, call_kwargs)
        assert len(mine) == len(theirs)
        for a, b in zip(mine, theirs):
            assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_fused_path_gradients_match_keras(keras):
    """Gradients through the SDPA path (no scores requested), with the learned scale and masks."""
    k_layer, n_layer = _pair(keras, "Attention", dict(use_scale=True), [Q, V, K])
    results = []
    for layer, weights in ((k_layer, [w.value for w in k_layer.trainable_weights]),
                           (n_layer, list(n_layer.trainable_weights))):
        xs = [torch.tensor(x, requires_grad=True) for x in (Q, V, K)]
        out = layer(xs, mask=[Q_MASK, V_MASK], use_causal_mask=True)
        grads = torch.autograd.grad((out * out).sum(), xs + weights)
        results.append([g.detach().numpy() for g in (out, *grads)])
    for a, b in zip(*results):
        assert_close(a, b, rtol=1e-4, atol=1e-5)


def _masked_model(lib, class_name):
    L = lib.layers
    q_in, v_in = lib.Input((None,), dtype="int32"), lib.Input((None,), dtype="int32")
    embed = L.Embedding(12, 4, mask_zero=True)
    q, v = embed(q_in), embed(v_in)
    out, scores = getattr(L, class_name)()([q, v], return_attention_scores=True)
    pooled = L.GlobalAveragePooling1D()(out)
    return lib.Model([q_in, v_in], [L.Dense(2)(pooled), scores])


MASKED_X = [np.array([[3, 5, 0, 0], [7, 1, 2, 0]], "int32"),
            np.array([[4, 2, 9, 0, 0], [6, 0, 0, 0, 0]], "int32")]


@pytest.mark.parametrize("class_name", ["Attention", "AdditiveAttention"])
def test_embedding_masks_and_keras_files_both_ways(keras, tmp_path, class_name):
    theirs, mine = _masked_model(keras, class_name), _masked_model(kerasish, class_name)
    mine.set_weights(theirs.get_weights())
    expected = theirs.predict(MASKED_X, verbose=0)
    for a, b in zip(mine.predict(MASKED_X, verbose=0), expected):
        assert_close(a, b, atol=1e-5)
    theirs.save(tmp_path / "k.keras")
    loaded = kerasish.models.load_model(tmp_path / "k.keras")
    for a, b in zip(loaded.predict(MASKED_X, verbose=0), expected):
        assert_close(a, b, atol=1e-5)
    mine.save(tmp_path / "n.keras")
    back = keras.models.load_model(tmp_path / "n.keras")
    for a, b in zip(back.predict(MASKED_X, verbose=0), expected):
        assert_close(a, b, atol=1e-5)


CONFIG_CASES = [("Attention", dict(use_scale=True, score_mode="concat", dropout=0.2, seed=3)),
                ("AdditiveAttention", dict(use_scale=False, dropout=0.1))]


def test_config_matches_keras_and_round_trips(keras):
    for class_name, kwargs in CONFIG_CASES:
        k_layer = getattr(keras.layers, class_name)(**kwargs)
        n_layer = getattr(layers, class_name)(**kwargs)
        theirs, ours = k_layer.get_config(), n_layer.get_config()
        assert set(theirs) == set(ours)
        for key in set(kwargs) | {"use_scale", "dropout", "seed"}:
            assert ours[key] == theirs[key], key
        clone = layers.deserialize({"class_name": class_name, "config": theirs})
        assert type(clone) is type(n_layer) and clone.get_config() == {**ours, "name": theirs["name"]}
        assert getattr(keras.layers, class_name).from_config(ours).get_config()["dropout"] == \
            kwargs["dropout"]


def test_symbolic_shapes_with_scores(keras):
    q, v = kerasish.Input((3, 4)), kerasish.Input((None, 4))
    out, scores = layers.Attention()([q, v], return_attention_scores=True)
    assert tuple(out.shape) == (None, 3, 4) and tuple(scores.shape) == (None, 3, None)
    kq, kv = keras.Input((3, 4)), keras.Input((None, 4))
    k_out, k_scores = keras.layers.Attention()([kq, kv], return_attention_scores=True)
    assert tuple(k_out.shape) == tuple(out.shape) and tuple(k_scores.shape) == tuple(scores.shape)


@pytest.mark.parametrize("class_name", ["Attention", "AdditiveAttention"])
def test_dropout_applies_in_training_only_and_seed_reproduces(class_name):
    inputs = [Q, V, K]
    base = getattr(layers, class_name)()
    expected = base(inputs).detach().numpy()
    seeded = [getattr(layers, class_name)(dropout=0.5, seed=7) for _ in range(2)]
    for layer in seeded:
        layer(inputs)
        layer.set_weights(base.get_weights())
    assert_close(seeded[0](inputs, training=False).detach().numpy(), expected, atol=1e-6)
    first = seeded[0](inputs, training=True, return_attention_scores=True)
    second = seeded[1](inputs, training=True, return_attention_scores=True)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    weights = first[1].detach().numpy()
    assert (weights == 0).any() and not np.allclose(first[0].detach().numpy(), expected)
    # Kept weights are scaled by 1 / (1 - rate), as Keras's dropout does.
    undropped = base(inputs, return_attention_scores=True)[1].detach().numpy()
    kept = weights != 0
    assert_close(weights[kept], undropped[kept] * 2.0, atol=1e-6)


def test_unseeded_dropout_runs_fused_in_training():
    layer = layers.Attention(dropout=0.5)
    out = layer([Q, V], training=True).detach().numpy()
    assert out.shape == (2, 3, 4) and not np.allclose(out, layer([Q, V]).detach().numpy())


@pytest.mark.parametrize("call,message", [
    (lambda layer: layer(Q), "list of inputs"),
    (lambda layer: layer([Q]), "length 2 or 3"),
    (lambda layer: layer([Q, V[..., :3]]), "same last dimension"),
    (lambda layer: layer([Q, V, K[:, :4]]), "same length"),
    (lambda layer: layer([Q, V], mask=Q_MASK), "mask must be a list"),
    (lambda layer: layer([Q, V], mask=[Q_MASK, V_MASK[:, :4]]), "value_mask.shape=(2, 4)"),
    (lambda layer: layer([Q[0], V[0]]), "rank >= 3"),
])
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=r"Received") as info:
        call(layers.Attention())
    assert message in str(info.value)


@pytest.mark.parametrize("kwargs,message", [
    (dict(score_mode="add"), "score_mode=add"),
    (dict(dropout=1.5), "dropout=1.5"),
    (dict(seed="x"), "seed='x'"),
])
def test_bad_arguments_get_a_clear_error(kwargs, message):
    with pytest.raises(ValueError, match="Received") as info:
        layers.Attention(**kwargs)
    assert message in str(info.value)
