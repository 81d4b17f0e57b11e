"""MobileNetV3Small/Large against real Keras 3: names (auto-named activations and op nodes included),
weight order, outputs, Keras-written files both ways, `weights="imagenet"` from a local server, and
Keras's errors."""

import types

import numpy as np
import pytest

import kerasish
from kerasish import applications, layers, ops
from kerasish.applications import mobilenet_v3
from tests.applications.test_parity import _check, _close, _random_bn_stats
from tests.applications.test_weights import _md5, server  # noqa: F401  (the local HTTP server fixture)

# Both sizes, top both ways, pooling avg/max, minimalistic, alpha below and above 1, no
# preprocessing layer, no dropout, logits: every branch of the builder once.
CASES = [
    ("mobilenet_v3.MobileNetV3Small", dict(include_top=True, input_shape=(32, 32, 3), classes=4)),
    ("mobilenet_v3.MobileNetV3Small", dict(include_top=False, input_shape=(32, 32, 3), pooling="max",
                                           minimalistic=True, alpha=0.75, include_preprocessing=False)),
    ("mobilenet_v3.MobileNetV3Large", dict(include_top=False, input_shape=(32, 32, 3), pooling="avg",
                                           alpha=1.25)),
    ("mobilenet_v3.MobileNetV3Large", dict(include_top=True, input_shape=(32, 32, 3), classes=3,
                                           minimalistic=True, dropout_rate=0.0, classifier_activation=None)),
]


def _fresh(keras):
    keras.utils.clear_session()
    kerasish.backend.clear_session()


def _op_names(model, layer_class):
    return [op.name for op in model.operations if not isinstance(op, layer_class)]


def test_architectures_match_keras(keras, tmp_path):
    # Keras exports the builders only as `keras.applications.MobileNetV3Small`; `_check` looks up
    # "module.Name", so their defining module stands in for the public one.
    source = types.SimpleNamespace(utils=keras.utils, ops=keras.ops, applications=types.SimpleNamespace(
        mobilenet_v3=keras.src.applications.mobilenet_v3))
    _check(source, tmp_path, CASES)


@pytest.fixture(scope="module")
def small_pair():
    """MobileNetV3Small built by both libraries, Keras's random weights (and BN statistics) in both."""
    import keras

    _fresh(keras)
    theirs = keras.applications.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), classes=5)
    ours = applications.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), classes=5)
    weights = _random_bn_stats(theirs, np.random.default_rng(3))
    theirs.set_weights(weights)
    ours.set_weights(weights)
    x = np.random.default_rng(4).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    return theirs, ours, x, keras.ops.convert_to_numpy(theirs(x, training=False))


def test_graph_matches_keras_op_nodes_included(keras, small_pair):
    theirs, ours, _, _ = small_pair
    # The hard sigmoid's `x + 3` and `* (1 / 6)` are op nodes: same count and auto-names as Keras's.
    assert _op_names(ours, kerasish.layers.Layer) == _op_names(theirs, keras.layers.Layer)
    assert _op_names(ours, kerasish.layers.Layer)[:2] == ["add", "multiply"]
    assert ours.count_params() == theirs.count_params()


def test_keras_written_files_load(keras, small_pair, tmp_path):
    theirs, _, x, expected = small_pair
    for fname in ("k.weights.h5", "k.h5"):
        path = str(tmp_path / fname)
        theirs.save_weights(path) if fname.endswith(".weights.h5") else theirs.save(path)
        loaded = mobilenet_v3.MobileNetV3Small(weights=path, input_shape=(32, 32, 3), classes=5)
        _close(ops.convert_to_numpy(loaded(x, training=False)), expected)
    theirs.save(str(tmp_path / "k.keras"))
    loaded = kerasish.models.load_model(str(tmp_path / "k.keras"))
    _close(ops.convert_to_numpy(loaded(x, training=False)), expected)


def test_files_written_here_load_in_keras(keras, small_pair, tmp_path):
    _, ours, x, expected = small_pair
    ours.save(str(tmp_path / "o.keras"))
    loaded = keras.models.load_model(str(tmp_path / "o.keras"))
    _close(keras.ops.convert_to_numpy(loaded(x, training=False)), expected)


def test_input_tensor_of_free_size_channels_first(keras):
    _fresh(keras)
    keras.config.set_image_data_format("channels_first")
    kerasish.backend.set_image_data_format("channels_first")
    try:
        theirs = keras.applications.MobileNetV3Small(weights=None, input_tensor=keras.Input((3, None, None)),
                                                     minimalistic=True, classes=3)
        inputs = layers.Input((3, None, None))
        ours = applications.MobileNetV3Small(weights=None, input_tensor=inputs, minimalistic=True, classes=3)
    finally:
        keras.config.set_image_data_format("channels_last")
        kerasish.backend.set_image_data_format("channels_last")
    assert ours.inputs[0] is inputs
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    rng = np.random.default_rng(5)
    weights = _random_bn_stats(theirs, rng)
    theirs.set_weights(weights)
    ours.set_weights(weights)
    x = rng.uniform(0, 255, (1, 3, 40, 48)).astype("float32")  # any size of at least 32x32
    _close(ops.convert_to_numpy(ours([x], training=False)),
           keras.ops.convert_to_numpy(theirs([x], training=False)))


def test_imagenet_weights_from_local_server(server, tmp_path, monkeypatch):  # noqa: F811
    (server / "mobilenet_v3").mkdir()
    kwargs = dict(include_top=False, input_shape=(32, 32, 3))
    source = applications.MobileNetV3Small(weights=None, **kwargs)
    served = server / "mobilenet_v3" / "weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5"
    source.save_weights(str(served))  # legacy `.h5` weights, the layout of Keras's published files
    monkeypatch.setitem(mobilenet_v3._HASHES, "small_224_1.0_float", ("0" * 32, "0" * 32))
    with pytest.warns(UserWarning, match="rows` is not 224"), pytest.raises(ValueError, match="hash"):
        applications.MobileNetV3Small(weights="imagenet", **kwargs)
    monkeypatch.setitem(mobilenet_v3._HASHES, "small_224_1.0_float", ("0" * 32, _md5(served)))
    with pytest.warns(UserWarning, match="Weights for input shape \\(224, 224\\)"):
        model = applications.MobileNetV3Small(weights="imagenet", **kwargs)
    assert (tmp_path / "home" / "models" / served.name).exists()
    x = np.random.default_rng(6).uniform(0, 255, (1, 32, 32, 3)).astype("float32")
    _close(ops.convert_to_numpy(model(x)), ops.convert_to_numpy(source(x)))
    # With the top: the other file name and the first hash of the pair.
    kwargs = dict(minimalistic=True, input_shape=(224, 224, 3))
    source = applications.MobileNetV3Small(weights=None, **kwargs)
    served = server / "mobilenet_v3" / "weights_mobilenet_v3_small_minimalistic_224_1.0_float.h5"
    source.save_weights(str(served))
    monkeypatch.setitem(mobilenet_v3._HASHES, "small_minimalistic_224_1.0_float", (_md5(served), "0" * 32))
    model = applications.MobileNetV3Small(weights="imagenet", **kwargs)
    x = np.random.default_rng(6).uniform(0, 255, (1, 224, 224, 3)).astype("float32")
    _close(ops.convert_to_numpy(model(x)), ops.convert_to_numpy(source(x)))


def test_imagenet_file_names_and_hashes_follow_keras(keras):
    theirs = keras.src.applications.mobilenet_v3.WEIGHTS_HASHES
    assert mobilenet_v3._HASHES == theirs
    assert keras.src.applications.mobilenet_v3.BASE_WEIGHT_PATH == (
        kerasish.applications.imagenet_utils.WEIGHTS_BASE_URL + "mobilenet_v3/")


@pytest.mark.parametrize("kwargs, match", [
    (dict(weights="imagenet21k"), "Received:? weights=imagenet21k"),
    (dict(weights="imagenet", classes=10), "`classes` should be 1000.  Received classes=10"),
    (dict(weights=None, input_shape=(16, 16, 3)), "Input size must be at least 32x32; Received"),
    (dict(weights="imagenet", alpha=0.5), "alpha can be one of `0.75`, `1.0` for non minimalistic"),
    (dict(weights="imagenet", alpha=0.75, minimalistic=True), "or `1.0` for minimalistic only"),
    (dict(weights="imagenet", input_shape=(224, 224, 3), classifier_activation="relu"),
     "Only `None` and `softmax` activations are allowed"),
])
def test_bad_arguments_raise_as_in_keras(keras, kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras.applications.MobileNetV3Small(**kwargs)
    with pytest.raises(ValueError, match=match):
        applications.MobileNetV3Small(**kwargs)


def test_bad_input_tensor_and_shape(keras):
    with pytest.raises(ValueError, match="input_shape.*input_tensor.shape"):
        keras.applications.MobileNetV3Large(weights=None, input_shape=(32, 32, 3),
                                            input_tensor=keras.Input((40, 40, 3)))
    with pytest.raises(ValueError, match=r"`input_shape` must match.*input_shape=\(32, 32, 3\)"):
        applications.MobileNetV3Large(weights=None, input_shape=(32, 32, 3), input_tensor=layers.Input((40, 40, 3)))
    with pytest.raises(ValueError, match="must be a Keras tensor"):
        applications.MobileNetV3Large(weights=None, input_tensor=np.zeros((1, 32, 32, 3), "float32"))
    with pytest.raises(ValueError, match=r"three integers. Received: input_shape=\(32, 32\)"):
        applications.MobileNetV3Large(weights=None, input_shape=(32, 32))
    # Keras ignores an unknown `pooling`; an argument that would change nothing silently is refused here.
    with pytest.raises(ValueError, match="Received: pooling=mean"):
        applications.MobileNetV3Small(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="mean")


def test_preprocess_input_and_decode_predictions(keras):
    x = np.random.default_rng(7).uniform(0, 255, (1, 4, 4, 3)).astype("float32")
    assert mobilenet_v3.preprocess_input(x) is x  # the models rescale their own inputs
    assert keras.applications.mobilenet_v3.preprocess_input(x) is x
    with pytest.raises(ValueError, match=r"shape: \(2, 10\)"):
        mobilenet_v3.decode_predictions(np.zeros((2, 10)))
