"""DenseNet121/169/201 against real Keras 3: layer names, weight order, outputs with shared random
weights, Keras-written files through `weights=path`, `weights="imagenet"` from a local server, and
Keras's errors for bad arguments."""

import numpy as np
import pytest

import kerasish
from kerasish import applications, ops
from kerasish.applications import densenet
from tests.applications.test_parity import _check, _close, _names, _random_bn_stats
from tests.applications.test_weights import _md5, server  # noqa: F401  (the local HTTP server fixture)
from tests.conftest import assert_close

TOP = dict(include_top=True, input_shape=(32, 32, 3), classes=5, classifier_activation=None)


@pytest.fixture(scope="module")
def keras_densenet121():
    """Keras's DenseNet121 with a top at 32x32, random weights and batch-norm statistics, an input
    and its output: built once, shared by the parity and file tests."""
    import keras

    assert keras.backend.backend() == "torch"
    keras.utils.clear_session()
    theirs = keras.applications.DenseNet121(weights=None, **TOP)
    rng = np.random.default_rng(0)
    theirs.set_weights(_random_bn_stats(theirs, rng))
    x = rng.uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    return theirs, x, keras.ops.convert_to_numpy(theirs(x, training=False))


def test_densenet121_matches_keras(keras_densenet121):
    theirs, x, expected = keras_densenet121
    kerasish.backend.clear_session()  # the unnamed paddings' auto names count from zero, as in Keras
    ours = applications.DenseNet121(weights=None, **TOP)
    assert ours.name == theirs.name == "densenet121"
    assert _names(ours) == _names(theirs)
    weights = theirs.get_weights()
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in weights]
    ours.set_weights(weights)
    _close(ops.convert_to_numpy(ours(x, training=False)), expected)
    assert applications.DenseNet121 is densenet.DenseNet121


@pytest.mark.parametrize("fname", ["k.weights.h5", "k.h5"])
def test_keras_written_files_load(keras_densenet121, tmp_path, fname):
    theirs, x, expected = keras_densenet121
    path = str(tmp_path / fname)
    theirs.save_weights(path) if fname.endswith(".weights.h5") else theirs.save(path)
    kerasish.backend.clear_session()
    loaded = densenet.DenseNet121(weights=path, **TOP)
    _close(ops.convert_to_numpy(loaded(x, training=False)), expected)


@pytest.mark.slow
def test_densenet169_201_match_keras(keras, tmp_path):
    _check(keras, tmp_path, [
        ("densenet.DenseNet169", dict(include_top=False, input_shape=(32, 32, 3), pooling="max")),
        ("densenet.DenseNet201", dict(include_top=False, input_shape=(32, 32, 3), pooling="avg")),
    ])


def test_imagenet_weights_from_local_server(server, tmp_path, monkeypatch):  # noqa: F811
    kwargs = dict(include_top=False, input_shape=(32, 32, 3), pooling="avg")
    source = densenet.DenseNet121(weights=None, **kwargs)
    (server / "densenet").mkdir()
    served = server / "densenet" / "densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5"
    source.save_weights(str(served))  # legacy `.h5` weights, the layout of Keras's published files
    assert densenet.WEIGHTS_HASHES["densenet121"][1] == "30ee3e1110167f948a6b9946edeeb738"  # Keras's file
    monkeypatch.setitem(densenet.WEIGHTS_HASHES, "densenet121", ("0" * 32, "0" * 32))
    with pytest.raises(ValueError, match="hash"):
        densenet.DenseNet121(weights="imagenet", **kwargs)
    monkeypatch.setitem(densenet.WEIGHTS_HASHES, "densenet121", ("0" * 32, _md5(served)))
    model = applications.DenseNet121(weights="imagenet", **kwargs)
    assert (tmp_path / "home" / "models" / served.name).exists()
    x = np.random.default_rng(0).uniform(-1, 1, (1, 32, 32, 3)).astype("float32")
    assert_close(ops.convert_to_numpy(model(x)), ops.convert_to_numpy(source(x)))


# Each bad call raises ValueError in Keras and in kerasish, with the message matching `pattern`
# (checks that run before anything is built, so they are cheap).
BAD = [
    (dict(weights="imagenet21k"), r"The `weights` argument should be either"),
    (dict(weights="imagenet", classes=10), r"`classes` should be 1000"),
    (dict(weights="imagenet", input_shape=(64, 64, 3)), r"`input_shape` should be \(224, 224, 3\)"),
    (dict(weights=None, include_top=False, input_shape=(31, 31, 3)), r"Input size must be at least 32x32"),
    (dict(weights=None, input_shape=(None, None, 3)), r"should specify a static `input_shape`"),
]


@pytest.mark.parametrize("kwargs,pattern", BAD)
def test_keras_errors_for_bad_arguments(keras, kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        keras.applications.DenseNet169(**kwargs)
    with pytest.raises(ValueError, match=pattern):
        applications.DenseNet169(**kwargs)


def test_our_messages_name_the_argument():
    with pytest.raises(ValueError, match=r"Received: weights=imagenet21k"):
        densenet.DenseNet201(weights="imagenet21k")
    with pytest.raises(ValueError, match=r"Received: pooling=mean"):  # Keras ignores it silently
        densenet.DenseNet([1, 1, 1, 1], weights=None, include_top=False, input_shape=(32, 32, 3), pooling="mean")
    with pytest.raises(ValueError, match=r"weights_path undefined.*Received: blocks=\[1, 1, 1, 1\]"):
        densenet.DenseNet([1, 1, 1, 1], weights="imagenet", include_top=False)


def test_channels_first_refused_like_keras(keras):
    keras.config.set_image_data_format("channels_first")
    kerasish.backend.set_image_data_format("channels_first")
    try:
        with pytest.raises(ValueError, match="does not support the `channels_first` image data format"):
            keras.applications.DenseNet121(weights=None)
        with pytest.raises(ValueError, match="does not support the `channels_first` image data format"):
            densenet.DenseNet121(weights=None)
    finally:
        keras.config.set_image_data_format("channels_last")
        kerasish.backend.set_image_data_format("channels_last")


def test_small_custom_densenet_builds_like_keras(keras):
    keras.utils.clear_session()
    kerasish.backend.clear_session()
    theirs = keras.src.applications.densenet.DenseNet([1, 2, 1, 1], weights=None, include_top=False,
                                                      input_shape=(32, 32, 3), name="tiny")
    ours = densenet.DenseNet([1, 2, 1, 1], weights=None, include_top=False, input_shape=(32, 32, 3), name="tiny")
    assert _names(ours) == _names(theirs)
    rng = np.random.default_rng(3)
    weights = _random_bn_stats(theirs, rng)
    theirs.set_weights(weights)
    ours.set_weights(weights)
    x = rng.uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    _close(ops.convert_to_numpy(ours(x, training=False)), keras.ops.convert_to_numpy(theirs(x, training=False)))


def test_preprocess_input_matches_keras(keras):
    x = np.random.default_rng(1).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    expected = keras.applications.densenet.preprocess_input(x.copy())
    assert_close(densenet.preprocess_input(x.copy()), expected)
    tensor = densenet.preprocess_input(ops.convert_to_tensor(x))
    assert_close(ops.convert_to_numpy(tensor), expected, rtol=1e-5, atol=1e-5)
    first = densenet.preprocess_input(x.transpose(0, 3, 1, 2).copy(), data_format="channels_first")
    assert_close(first, expected.transpose(0, 3, 1, 2))
