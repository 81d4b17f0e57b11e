"""ConvNeXt against real Keras 3: layer names (nested stem/downsampling `Sequential`s, `add` op
nodes), weight order, outputs with shared random weights, Keras's `LayerScale`/`StochasticDepth`,
files crossing both ways, `weights="imagenet"` from a local server and Keras's errors."""

import hashlib

import numpy as np
import pytest

import kerasish
from kerasish import applications, ops
from kerasish.applications import convnext
from tests.applications.test_parity import _check, _close, _names, _random_bn_stats
from tests.applications.test_weights import server  # noqa: F401  (the local HTTP fixture)

TINY = dict(include_top=True, input_shape=(32, 32, 3), classes=5, classifier_activation=None)
# The big variants differ from Tiny only in depths and widths: smallest input, no top. Large and
# XLarge hold 196M and 348M weights (1.4 GB per copy): the heaviest tests here.
BIG = [
    ("ConvNeXtSmall", dict(pooling="avg", include_preprocessing=False)),
    ("ConvNeXtBase", dict(pooling="max")),
    pytest.param("ConvNeXtLarge", {}, marks=pytest.mark.slow),
    pytest.param("ConvNeXtXLarge", dict(pooling="avg"), marks=pytest.mark.slow),
]


def _pixels(seed=0, n=2):
    return np.random.default_rng(seed).uniform(0, 255, (n, 32, 32, 3)).astype("float32")


def _config(layer):
    # Keras writes the dtype as a policy dict; the rest must be equal.
    return {k: v for k, v in layer.get_config().items() if k != "dtype"}


def _out(model, x):
    return ops.convert_to_numpy(model(x, training=False))


@pytest.fixture(scope="module")
def tiny():
    """(Keras's ConvNeXtTiny with a top, ours, Keras's output): shared random weights."""
    import keras

    keras.utils.clear_session()
    kerasish.backend.clear_session()
    theirs = keras.applications.convnext.ConvNeXtTiny(weights=None, **TINY)
    ours = applications.convnext.ConvNeXtTiny(weights=None, **TINY)
    # Layer scales move from 1e-6 to 0.1-0.5, so every residual branch shows in the output.
    weights = _random_bn_stats(theirs, np.random.default_rng(0))
    theirs.set_weights(weights)
    ours.set_weights(weights)
    return theirs, ours, keras.ops.convert_to_numpy(theirs(_pixels(), training=False))


def test_tiny_matches_keras(tiny):
    theirs, ours, expected = tiny
    assert ours.name == theirs.name == "convnext_tiny"
    assert _names(ours) == _names(theirs)
    assert [type(layer).__name__ for layer in ours.layers] == [type(layer).__name__ for layer in theirs.layers]
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    _close(_out(ours, _pixels()), expected)


def test_tiny_without_top_or_preprocessing_matches_keras(keras, tmp_path):
    _check(keras, tmp_path, [("convnext.ConvNeXtTiny", dict(include_top=False, input_shape=(32, 32, 3),
                                                            pooling="max", include_preprocessing=False))])


@pytest.mark.parametrize("variant, kwargs", BIG)
def test_big_variants_match_keras(keras, variant, kwargs):
    """As `_check`, with the weights shared layer by layer: XLarge's whole list would be 1.4 GB more."""
    theirs = getattr(keras.applications.convnext, variant)(weights=None, include_top=False,
                                                           input_shape=(32, 32, 3), **kwargs)
    ours = getattr(applications.convnext, variant)(weights=None, include_top=False, input_shape=(32, 32, 3),
                                                   **kwargs)
    assert ours.name == theirs.name
    assert _names(ours) == _names(theirs)
    rng = np.random.default_rng(3)
    for their_layer, our_layer in zip(theirs.layers, ours.layers):
        weights = _random_bn_stats(their_layer, rng)
        their_layer.set_weights(weights)
        our_layer.set_weights(weights)  # refuses a different count, order or shape of weights
    x = _pixels(3, n=1)
    _close(_out(ours, x), keras.ops.convert_to_numpy(theirs(x, training=False)))


def test_stochastic_depth_builder_matches_keras(keras):
    """The generic builder with a drop-path schedule: StochasticDepth layers named, rated and
    configured as Keras's, the identity at inference, whole samples dropped in training."""
    kwargs = dict(depths=[1, 2, 1, 1], projection_dims=[8, 16, 16, 24], drop_path_rate=0.3,
                  layer_scale_init_value=None, name="cnx", include_top=False, input_shape=(32, 32, 3))
    theirs = keras.src.applications.convnext.ConvNeXt(**kwargs)
    ours = convnext.ConvNeXt(**kwargs)
    assert _names(ours) == _names(theirs)
    drops = [layer for layer in ours.layers if isinstance(layer, convnext.StochasticDepth)]
    assert [_config(d) for d in drops] == [
        _config(layer) for layer in theirs.layers if type(layer).__name__ == "StochasticDepth"]
    assert not any("layer_scale" in name for name in _names(ours))
    ours.set_weights(theirs.get_weights())
    _close(_out(ours, _pixels(1)), keras.ops.convert_to_numpy(theirs(_pixels(1), training=False)))
    x = np.ones((64, 2, 2, 3), "float32")
    y = ops.convert_to_numpy(drops[-1](x, training=True))
    kept = y.reshape(64, -1).max(axis=1)
    np.testing.assert_allclose(np.unique(kept), [0.0, 1 / 0.7], rtol=1e-6)  # per sample: dropped or scaled
    assert (y.reshape(64, -1) == kept[:, None]).all()
    assert (ops.convert_to_numpy(drops[-1](x)) == x).all()


def test_custom_layers_have_keras_configs(keras):
    theirs_cls = keras.src.applications.convnext
    for ours, theirs in ((convnext.LayerScale(0.5, 3, name="ls"), theirs_cls.LayerScale(0.5, 3, name="ls")),
                         (convnext.StochasticDepth(0.2, name="sd"), theirs_cls.StochasticDepth(0.2, name="sd"))):
        assert _config(ours) == _config(theirs)
        assert type(ours).from_config(ours.get_config()).get_config() == ours.get_config()
    scale = convnext.LayerScale(0.5, 3)
    assert _out(scale, np.ones((2, 3), "float32")).tolist() == [[0.5] * 3] * 2
    assert [w.shape for w in scale.get_weights()] == [(3,)]
    assert kerasish.layers.deserialize(kerasish.layers.serialize(scale)).projection_dim == 3


@pytest.mark.parametrize("fname", ["k.weights.h5", "k.h5"])
def test_keras_written_weight_files_load(tiny, tmp_path, fname):
    theirs, _, expected = tiny
    path = str(tmp_path / fname)
    theirs.save_weights(path) if fname.endswith(".weights.h5") else theirs.save(path)
    loaded = convnext.ConvNeXtTiny(weights=path, **TINY)
    _close(_out(loaded, _pixels()), expected)


def test_keras_files_cross_both_ways(keras, tiny, tmp_path):
    """A `.keras` file with Keras's LayerScale and `add` op nodes loads here, and ours in Keras."""
    theirs, ours, expected = tiny
    theirs.save(str(tmp_path / "k.keras"))
    loaded = kerasish.models.load_model(str(tmp_path / "k.keras"))
    assert any(isinstance(layer, convnext.LayerScale) for layer in loaded.layers)
    _close(_out(loaded, _pixels()), expected)
    ours.save(str(tmp_path / "o.keras"))
    back = keras.models.load_model(str(tmp_path / "o.keras"))
    assert _names(back) == _names(theirs)
    _close(keras.ops.convert_to_numpy(back(_pixels(), training=False)), expected)


def test_imagenet_weights_from_local_server(server, tmp_path, monkeypatch):  # noqa: F811
    """Keras's file name, folder and sha256 check, on a legacy `.h5` weights file (the layout of the
    published ones, nested `Sequential` groups included)."""
    kwargs = dict(include_top=False, input_shape=(32, 32, 3), pooling="avg")
    source = convnext.ConvNeXtTiny(weights=None, **kwargs)
    source.set_weights(_random_bn_stats(source, np.random.default_rng(2)))
    (server / "convnext").mkdir()
    served = server / "convnext" / "convnext_tiny_notop.h5"
    source.save_weights(str(served))
    sha256 = hashlib.sha256(served.read_bytes()).hexdigest()
    monkeypatch.setitem(convnext.WEIGHTS_HASHES, "convnext_tiny", ("0" * 64, "0" * 64))
    with pytest.raises(ValueError, match="hash"):
        convnext.ConvNeXtTiny(weights="imagenet", **kwargs)
    monkeypatch.setitem(convnext.WEIGHTS_HASHES, "convnext_tiny", ("0" * 64, sha256))
    model = applications.ConvNeXtTiny(weights="imagenet", **kwargs)
    assert (tmp_path / "home" / "models" / served.name).exists()
    _close(_out(model, _pixels()), _out(source, _pixels()))


def _keras_message(fn):
    with pytest.raises(ValueError) as info:
        fn()
    return str(info.value)


@pytest.mark.parametrize("kwargs", [
    dict(weights="imagenet21k"),
    dict(weights="imagenet", include_top=True, input_shape=(64, 64, 3)),
    dict(weights="imagenet", classes=10),
    dict(weights=None, include_top=False, input_shape=(16, 16, 3)),
    dict(weights=None, include_top=True, input_shape=(None, None, 3)),
])
def test_errors_as_keras_raises_them(keras, kwargs):
    expected = _keras_message(lambda: keras.applications.ConvNeXtTiny(**kwargs))
    got = _keras_message(lambda: applications.ConvNeXtTiny(**kwargs))
    # Keras's text, then (where Keras names no value) the received one.
    assert got.startswith(expected.rstrip(". ")), (got, expected)
    assert "Received" in got


def test_errors_checked_before_building():
    # Keras raises this one only after building the model; the text is Keras's.
    with pytest.raises(ValueError, match=r'Model name "my_net" does not match weights variant "convnext_small"\. '
                       r'.*\(e\.g\., "convnext_small"\)\. Received: name=my_net'):
        convnext.ConvNeXtSmall(weights="imagenet", name="my_net")
    # Keras ignores an unknown pooling and still adds its layer norm; here it is refused.
    with pytest.raises(ValueError, match="Received: pooling=mean"):
        convnext.ConvNeXtTiny(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="mean")
    kerasish.backend.set_image_data_format("channels_first")
    try:
        with pytest.raises(ValueError, match="Received: image_data_format=channels_first"):
            convnext.ConvNeXtBase(weights=None)
    finally:
        kerasish.backend.set_image_data_format("channels_last")


def test_module_functions(keras):
    x = np.full((1, 2, 2, 3), 255.0, "float32")
    assert convnext.preprocess_input(x) is x  # the model normalises its inputs itself
    assert keras.applications.convnext.preprocess_input(x) is x
    assert applications.ConvNeXtXLarge is convnext.ConvNeXtXLarge
    assert convnext.ConvNeXtLarge.__name__ == "ConvNeXtLarge"
    with pytest.raises(ValueError, match=r"shape: \(1, 10\)"):
        convnext.decode_predictions(np.zeros((1, 10)))
