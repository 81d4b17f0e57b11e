"""Keras 3.15's remaining core layers vs Keras: `RMSNormalization`, `Identity`,
`ReversibleEmbedding`, `AdaptiveAveragePooling1D/2D/3D`, `AdaptiveMaxPooling1D/2D/3D`, the
`Convolution*DTranspose` aliases and the JAX/TensorFlow layers kerasish refuses."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers
from tests.conftest import assert_close

RNG = np.random.default_rng(0)


def _x(shape):
    return RNG.standard_normal(shape).astype("float32")


def _grads(layer, weights, x, **call_kwargs):
    """The output and the gradients of a fixed loss w.r.t. the input and `weights`."""
    t = torch.tensor(x, requires_grad=x.dtype.kind == "f")
    out = layer(t, **call_kwargs)
    loss = (out.float() * torch.linspace(-1, 2, out.numel()).reshape(out.shape)).sum()
    wrt = ([t] if t.requires_grad else []) + weights
    grads = torch.autograd.grad(loss, wrt, allow_unused=True)  # a reverse call skips `embeddings`
    return [out.detach().float().numpy()] + [
        np.zeros(w.shape) if g is None else g.numpy() for w, g in zip(wrt, grads)]


def _assert_grads_match(k_layer, n_layer, x, rtol=1e-5, atol=1e-5, **call_kwargs):
    theirs = _grads(k_layer, [w.value for w in k_layer.trainable_weights], x, **call_kwargs)
    mine = _grads(n_layer, list(n_layer.trainable_weights), x, **call_kwargs)
    assert len(mine) == len(theirs)
    for a, b in zip(mine, theirs):
        assert_close(a, b, rtol=rtol, atol=atol)


def _pair(keras, class_name, kwargs, x, **call_kwargs):
    k_layer = getattr(keras.layers, class_name)(**kwargs)
    n_layer = getattr(layers, class_name)(**kwargs)
    k_layer(x, **call_kwargs)
    n_layer(x, **call_kwargs)
    weights = [RNG.uniform(0.5, 1.5, w.shape).astype("float32") for w in k_layer.get_weights()]
    k_layer.set_weights(weights)
    n_layer.set_weights(weights)
    assert [w._keras_name for w in n_layer.weights] == [w.name for w in k_layer.weights]
    return k_layer, n_layer


# ----------------------------------------------------------------- RMSNormalization
RMS_CASES = [((4, 6), {}), ((2, 3, 5), dict(axis=[1, 2], epsilon=1e-3)),
             ((2, 3, 5), dict(axis=[-1, -2]))]


def test_rms_normalization_matches_keras(keras):
    for shape, kwargs in RMS_CASES:  # one test: Keras's fixture costs a second per test
        x = _x(shape)
        k_layer, n_layer = _pair(keras, "RMSNormalization", kwargs, x)
        _assert_grads_match(k_layer, n_layer, x)
        config = n_layer.get_config()
        assert config["axis"] == k_layer.get_config()["axis"]
        assert keras.layers.RMSNormalization.from_config(config).get_config()["epsilon"] == \
            config["epsilon"]


def test_rms_normalization_of_an_inner_axis_follows_the_formula():
    # Keras's torch backend hands an inner axis to `F.rms_norm`, which normalizes the *last* axes
    # (it fails or normalizes the wrong axis); kerasish computes the documented formula.
    x = _x((2, 3, 4))
    layer = layers.RMSNormalization(axis=1, epsilon=1e-6)
    layer(x)
    scale = RNG.uniform(0.5, 1.5, (3,)).astype("float32")
    layer.set_weights([scale])
    expected = x / np.sqrt((x ** 2).mean(axis=1, keepdims=True) + 1e-6) * scale[None, :, None]
    assert_close(layer(x).detach().numpy(), expected, atol=1e-5)
    half = layer(torch.tensor(x).half())
    assert half.dtype == torch.float16


def test_rms_normalization_bad_axis():
    with pytest.raises(TypeError, match="Received: axis='x'"):
        layers.RMSNormalization(axis="x")
    with pytest.raises(ValueError, match="out of bounds"):
        layers.RMSNormalization(axis=3)(_x((2, 3)))


# ----------------------------------------------------------------- Identity
def test_identity_passes_tensors_masks_and_structures(keras):
    x = _x((2, 3))
    assert_close(layers.Identity()(x).numpy(), x)
    inp = kerasish.Input((None,), dtype="int32")
    emb = layers.Embedding(5, 2, mask_zero=True)(inp)
    out = layers.Identity()(emb)
    model = kerasish.Model(inp, layers.LSTM(2)(out))
    ids = np.array([[1, 2, 0], [3, 0, 0]])
    ref = kerasish.Model(inp, model.layers[-1](emb))
    assert_close(model.predict(ids, verbose=0), ref.predict(ids, verbose=0))
    pair = layers.Identity()([x, x * 2])
    assert len(pair) == 2 and np.allclose(pair[1].numpy(), x * 2)
    theirs = keras.layers.Identity(name="same").get_config()
    assert layers.deserialize({"class_name": "Identity", "config": theirs}).name == "same"


# ----------------------------------------------------------------- ReversibleEmbedding
REVERSIBLE_CASES = [dict(), dict(tie_weights=False, logit_soft_cap=2.0),
                    dict(mask_zero=True, reverse_dtype="float64")]


def test_reversible_embedding_matches_keras(keras):
    for kwargs in REVERSIBLE_CASES:
        ids = np.array([[1, 4, 0], [7, 2, 3]], "int32")
        k_layer, n_layer = _pair(keras, "ReversibleEmbedding",
                                 dict(input_dim=9, output_dim=4, **kwargs), ids)
        expected = k_layer(ids)
        actual = n_layer(ids)
        assert_close(actual.detach().numpy(), np.asarray(expected.detach()))
        k_mask = getattr(expected, "_keras_mask", None)
        n_mask = getattr(actual, "_keras_mask", None)
        assert (k_mask is None) == (n_mask is None)
        if k_mask is not None:
            np.testing.assert_array_equal(n_mask.numpy(), np.asarray(k_mask))
        hidden = _x((2, 3, 4))
        _assert_grads_match(k_layer, n_layer, hidden, reverse=True)
        assert tuple(n_layer(hidden, reverse=True).shape) == (2, 3, 9)
        assert getattr(n_layer(hidden, reverse=True), "_keras_mask", None) is None
        config = n_layer.get_config()
        for key in ("tie_weights", "reverse_dtype", "logit_soft_cap", "mask_zero"):
            assert config[key] == k_layer.get_config()[key]


def _lm(lib):
    ids = lib.Input((None,), dtype="int32")
    emb = lib.layers.ReversibleEmbedding(11, 4, tie_weights=False, logit_soft_cap=3.0)
    hidden = lib.layers.Dense(4, activation="tanh")(emb(ids))
    return lib.Model(ids, emb(hidden, reverse=True))


def test_reversible_embedding_keras_files_both_ways(keras, tmp_path):
    theirs, mine = _lm(keras), _lm(kerasish)
    assert tuple(mine.output.shape) == (None, None, 11)
    mine.set_weights(theirs.get_weights())
    ids = np.array([[1, 5, 9], [3, 0, 2]], "int32")
    expected = theirs.predict(ids, verbose=0)
    assert_close(mine.predict(ids, verbose=0), expected, atol=1e-5)
    theirs.save(tmp_path / "k.keras")
    assert_close(kerasish.models.load_model(tmp_path / "k.keras").predict(ids, verbose=0),
                 expected, atol=1e-5)
    mine.save(tmp_path / "n.keras")
    assert_close(keras.models.load_model(tmp_path / "n.keras").predict(ids, verbose=0),
                 expected, atol=1e-5)


def test_reversible_embedding_bad_input():
    with pytest.raises(ValueError, match="Received: logit_soft_cap=-1"):
        layers.ReversibleEmbedding(5, 2, logit_soft_cap=-1)
    with pytest.raises(ValueError, match="Received: reverse_dtype='float77'"):
        layers.ReversibleEmbedding(5, 2, reverse_dtype="float77")
    layer = layers.ReversibleEmbedding(5, 2)
    layer(np.array([[1, 2]]))
    with pytest.raises(ValueError, match=r"Received: inputs.shape=\(1, 3\)"):
        layer(_x((1, 3)), reverse=True)


# ----------------------------------------------------------------- adaptive pooling
ADAPTIVE_CASES = [(1, (2, 7, 3), 3), (2, (2, 7, 5, 3), (3, 2)), (3, (1, 5, 4, 6, 2), (2, 3, 4))]


def test_adaptive_pooling_matches_keras(keras):
    # Sizes that divide and that do not (overlapping bins), both data formats, average and max.
    for (rank, shape, output_size), mode in [(c, m) for c in ADAPTIVE_CASES
                                             for m in ("Average", "Max")]:
        class_name = f"Adaptive{mode}Pooling{rank}D"
        x = _x(shape)
        for data_format in ("channels_last", "channels_first"):
            kwargs = dict(output_size=output_size, data_format=data_format)
            k_layer, n_layer = _pair(keras, class_name, kwargs, x)
            _assert_grads_match(k_layer, n_layer, x)
            assert tuple(n_layer.compute_output_shape(shape)) == tuple(
                k_layer.compute_output_shape(shape))
            config = n_layer.get_config()
            assert list(config["output_size"]) == list(k_layer.get_config()["output_size"])
            clone = getattr(keras.layers, class_name).from_config(config)
            assert clone.data_format == data_format


def test_adaptive_pooling_in_a_model_and_bad_arguments():
    model = kerasish.Sequential([kerasish.Input((None, None, 2)), layers.AdaptiveMaxPooling2D(2),
                                 layers.Flatten(), layers.Dense(1)])
    assert tuple(model.output_shape) == (None, 1)
    assert model.predict(_x((3, 9, 5, 2)), verbose=0).shape == (3, 1)
    with pytest.raises(TypeError, match="Received: output_size=\\(1, 2, 3\\)"):
        layers.AdaptiveAveragePooling2D((1, 2, 3))
    with pytest.raises(ValueError, match="Received: output_size=0"):
        layers.AdaptiveMaxPooling1D(0)
    with pytest.raises(ValueError, match="data_format"):
        layers.AdaptiveAveragePooling3D(2, data_format="channels_middle")
    with pytest.raises(ValueError, match="ndim=4"):
        layers.AdaptiveAveragePooling2D(2)(_x((2, 3, 4)))


# ----------------------------------------------------------------- names
def test_transposed_convolution_aliases():
    assert layers.Convolution1DTranspose is layers.Conv1DTranspose
    assert layers.Convolution2DTranspose is layers.Conv2DTranspose
    assert layers.Convolution3DTranspose is layers.Conv3DTranspose


@pytest.mark.parametrize("name,args,needs", [
    ("JaxLayer", (print,), "JAX"),
    ("FlaxLayer", (), "Flax"),
    ("TFSMLayer", ("saved_model_dir",), "TensorFlow"),
])
def test_foreign_framework_layers_refuse_clearly(name, args, needs):
    with pytest.raises(ValueError, match=needs) as info:
        getattr(layers, name)(*args)
    assert isinstance(info.value, NotImplementedError)
    assert f"Received: {name}(" in str(info.value)
    with pytest.raises(ValueError, match=needs):
        layers.deserialize({"class_name": name, "config": {"name": "x"}})
