"""InceptionResNetV2 against real Keras 3 at its smallest input (75x75), and its `CustomScaleLayer`
read from and written to files under Keras's class name."""

import hashlib

import numpy as np
import pytest

import kerasish
from kerasish import ops
from kerasish.applications import inception_resnet_v2
from kerasish.applications.inception_resnet_v2 import CustomScaleLayer
from tests.applications.test_inception_v3 import SHAPE, _real_keras, build_pair
from tests.applications.test_parity import _close
from tests.applications.test_weights import server  # noqa: F401 (the local HTTP server fixture)

NO_TOP = dict(include_top=False, input_shape=SHAPE, pooling="max")


@pytest.fixture(scope="module")
def pair():
    return build_pair(_real_keras(), inception_resnet_v2, "InceptionResNetV2", NO_TOP, seed=7)


@pytest.mark.slow
def test_matches_keras(pair):
    theirs, ours, x, expected = pair
    assert ours.name == theirs.name == "inception_resnet_v2"
    names = [layer.name for layer in ours.layers]
    assert names == [layer.name for layer in theirs.layers]
    assert names.count("custom_scale_layer_39") == 1 and "custom_scale_layer_40" not in names
    assert [w.path for w in ours.weights] == [w.path for w in theirs.weights]
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    _close(ops.convert_to_numpy(ours(x, training=False)), expected)


@pytest.mark.slow
def test_imagenet_weights_from_local_server(pair, server, monkeypatch):  # noqa: F811
    # Keras's `_notop` file name and folder, checked against the served file's md5.
    _, source, x, _ = pair
    (server / "inception_resnet_v2").mkdir()
    served = server / "inception_resnet_v2" / "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5"
    source.save_weights(str(served))
    digest = hashlib.md5(served.read_bytes()).hexdigest()
    monkeypatch.setattr(inception_resnet_v2, "WEIGHTS_HASHES", ("0" * 32, digest))
    model = kerasish.applications.InceptionResNetV2(weights="imagenet", **NO_TOP)
    _close(ops.convert_to_numpy(model(x, training=False)), ops.convert_to_numpy(source(x, training=False)))


def _scale_model(lib, scale_layer):
    inputs = lib.Input((4,))
    return lib.Model(inputs, scale_layer(0.3)([inputs, lib.layers.Dense(4)(inputs)]))


@pytest.mark.parametrize("fname", ["m.keras", "m.h5"])
def test_keras_written_custom_scale_layer_loads(keras, tmp_path, fname):
    from keras.src.applications.inception_resnet_v2 import CustomScaleLayer as KerasCustomScaleLayer

    theirs = _scale_model(keras, KerasCustomScaleLayer)
    theirs.save(str(tmp_path / fname))
    ours = kerasish.models.load_model(str(tmp_path / fname))
    assert type(ours.layers[-1]) is CustomScaleLayer and ours.layers[-1].scale == 0.3
    x = np.random.default_rng(2).uniform(-1, 1, (3, 4)).astype("float32")
    _close(ops.convert_to_numpy(ours(x)), keras.ops.convert_to_numpy(theirs(x)))


def test_keras_reads_kerasish_custom_scale_layer(keras, tmp_path):
    ours = _scale_model(kerasish, CustomScaleLayer)
    ours.save(str(tmp_path / "k.keras"))
    theirs = keras.models.load_model(str(tmp_path / "k.keras"))
    assert type(theirs.layers[-1]).__name__ == "CustomScaleLayer" and theirs.layers[-1].scale == 0.3
    x = np.random.default_rng(3).uniform(-1, 1, (3, 4)).astype("float32")
    _close(keras.ops.convert_to_numpy(theirs(x)), ops.convert_to_numpy(ours(x)))


@pytest.mark.parametrize("kwargs, message", [
    (dict(weights="imagenet21k"), r"The `weights` argument should be either .*"),
    (dict(weights="imagenet", classes=10), r"`classes` should be 1000. Received classes=10"),
    (dict(weights="imagenet", input_shape=(100, 100, 3)), r"`input_shape` should be \(299, 299, 3\)"),
    (dict(weights=None, include_top=False, input_shape=(75, 60, 3)), r"Input size must be at least 75x75"),
])
def test_keras_errors_for_bad_arguments(keras, kwargs, message):
    with pytest.raises(ValueError, match=message):
        keras.applications.InceptionResNetV2(**kwargs)
    with pytest.raises(ValueError, match=message):
        kerasish.applications.InceptionResNetV2(**kwargs)


def test_unknown_block_type(keras):
    message = "Unknown Inception-ResNet block type.*but got: block99"
    with pytest.raises(ValueError, match=message):
        keras.src.applications.inception_resnet_v2.inception_resnet_block(keras.Input((8, 8, 32)), 0.1, "block99", 1)
    with pytest.raises(ValueError, match=message):
        inception_resnet_v2.inception_resnet_block(kerasish.Input((8, 8, 32)), 0.1, "block99", 1)


def test_preprocess_input_and_decode_predictions_match_keras(keras):
    x = np.random.default_rng(1).uniform(0, 255, (2, 5, 5, 3)).astype("float32")
    expected = keras.applications.inception_resnet_v2.preprocess_input(x.copy())
    _close(inception_resnet_v2.preprocess_input(x.copy()), expected)
    with pytest.raises(ValueError, match=r"shape: \(3, 1000, 1\)"):
        inception_resnet_v2.decode_predictions(np.zeros((3, 1000, 1)))
