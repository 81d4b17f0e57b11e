"""Xception against real Keras 3: layer names (the unnamed shortcut layers' auto names too), weight
order, outputs with shared random weights, Keras-written files through `weights=path`,
`weights="imagenet"` from a local server, and Keras's errors for bad arguments."""

import json

import numpy as np
import pytest

import kerasish
from kerasish import applications, ops
from kerasish.applications import densenet, xception
from tests.applications.test_parity import _close, _names, _random_bn_stats
from tests.applications.test_weights import _md5, server  # noqa: F401  (the local HTTP server fixture)
from tests.conftest import assert_close

SIZE = 71  # the smallest input Keras allows for Xception
TOP = dict(include_top=True, input_shape=(SIZE, SIZE, 3), classes=3)


def _input(rng):
    return rng.uniform(-1, 1, (2, SIZE, SIZE, 3)).astype("float32")


@pytest.fixture(scope="module")
def keras_xception():
    """Keras's Xception with a top at 71x71, random weights and batch-norm statistics, an input and
    its output: built once, shared by the parity and file tests."""
    import keras

    assert keras.backend.backend() == "torch"
    keras.utils.clear_session()
    theirs = keras.applications.Xception(weights=None, **TOP)
    rng = np.random.default_rng(0)
    theirs.set_weights(_random_bn_stats(theirs, rng))
    x = _input(rng)
    return theirs, x, keras.ops.convert_to_numpy(theirs(x, training=False))


def test_xception_matches_keras(keras_xception):
    theirs, x, expected = keras_xception
    kerasish.backend.clear_session()  # shortcut convs, batch norms and additions are auto-named
    ours = applications.Xception(weights=None, **TOP)
    assert ours.name == theirs.name == "xception"
    assert _names(ours) == _names(theirs)
    assert "conv2d_3" in _names(ours) and "add_11" in _names(ours)
    weights = theirs.get_weights()
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in weights]
    ours.set_weights(weights)
    _close(ops.convert_to_numpy(ours(x, training=False)), expected)
    assert applications.Xception is xception.Xception


@pytest.mark.parametrize("fname", ["k.weights.h5", "k.h5"])
def test_keras_written_files_load(keras_xception, tmp_path, fname):
    theirs, x, expected = keras_xception
    path = str(tmp_path / fname)
    theirs.save_weights(path) if fname.endswith(".weights.h5") else theirs.save(path)
    kerasish.backend.clear_session()
    loaded = xception.Xception(weights=path, **TOP)
    _close(ops.convert_to_numpy(loaded(x, training=False)), expected)


@pytest.mark.slow
def test_xception_without_top_matches_keras(keras):
    keras.utils.clear_session()
    kerasish.backend.clear_session()
    kwargs = dict(include_top=False, input_shape=(SIZE, 80, 3), pooling="max")
    theirs = keras.applications.Xception(weights=None, **kwargs)
    ours = xception.Xception(weights=None, **kwargs)
    assert _names(ours) == _names(theirs) and _names(ours)[-1] == "global_max_pooling2d"
    rng = np.random.default_rng(1)
    weights = _random_bn_stats(theirs, rng)
    theirs.set_weights(weights)
    ours.set_weights(weights)
    x = rng.uniform(-1, 1, (2, SIZE, 80, 3)).astype("float32")
    _close(ops.convert_to_numpy(ours(x, training=False)), keras.ops.convert_to_numpy(theirs(x, training=False)))


def test_imagenet_weights_from_local_server(server, tmp_path, monkeypatch):  # noqa: F811
    kwargs = dict(include_top=False, input_shape=(SIZE, SIZE, 3), pooling="avg")
    source = xception.Xception(weights=None, **kwargs)
    (server / "xception").mkdir()
    served = server / "xception" / "xception_weights_tf_dim_ordering_tf_kernels_notop.h5"
    source.save_weights(str(served))  # legacy `.h5` weights, the layout of Keras's published files
    assert xception.WEIGHTS_HASHES[1] == "b0042744bf5b25fce3cb969f33bebb97"  # Keras's file
    monkeypatch.setattr(xception, "WEIGHTS_HASHES", ("0" * 32, "0" * 32))
    with pytest.raises(ValueError, match="hash"):
        xception.Xception(weights="imagenet", **kwargs)
    monkeypatch.setattr(xception, "WEIGHTS_HASHES", ("0" * 32, _md5(served)))
    model = applications.Xception(weights="imagenet", **kwargs)
    assert (tmp_path / "home" / "models" / served.name).exists()
    x = np.random.default_rng(0).uniform(-1, 1, (1, SIZE, SIZE, 3)).astype("float32")
    assert_close(ops.convert_to_numpy(model(x)), ops.convert_to_numpy(source(x)))


# Each bad call raises ValueError in Keras and in kerasish, with the message matching `pattern`
# (checks that run before anything is built, so they are cheap).
BAD = [
    (dict(weights="imagenet21k"), r"The `weights` argument should be either"),
    (dict(weights="imagenet", classes=10), r"`classes` should be 1000.  Received classes=10"),
    (dict(weights="imagenet", input_shape=(224, 224, 3)), r"`input_shape` should be \(299, 299, 3\)"),
    (dict(weights=None, include_top=False, input_shape=(70, 90, 3)), r"Input size must be at least 71x71"),
    (dict(weights=None, input_shape=(None, None, 3)), r"should specify a static `input_shape`"),
]


@pytest.mark.parametrize("kwargs,pattern", BAD)
def test_keras_errors_for_bad_arguments(keras, kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        keras.applications.Xception(**kwargs)
    with pytest.raises(ValueError, match=pattern):
        applications.Xception(**kwargs)


def test_preprocess_input_matches_keras(keras):
    x = np.random.default_rng(1).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    expected = keras.applications.xception.preprocess_input(x.copy())
    assert_close(xception.preprocess_input(x.copy()), expected)
    assert_close(ops.convert_to_numpy(xception.preprocess_input(ops.convert_to_tensor(x))), expected,
                 rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("module", [xception, densenet])
def test_decode_predictions_reads_served_class_index(server, monkeypatch, module):  # noqa: F811
    from kerasish.applications import imagenet_utils

    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    (server / "imagenet_class_index.json").write_text(json.dumps(index))
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_HASH", _md5(server / "imagenet_class_index.json"))
    preds = np.zeros((1, 1000), "float32")
    preds[0, [5, 9]] = [0.25, 0.75]
    assert module.decode_predictions(preds, top=2) == [[("n00000009", "class_9", pytest.approx(0.75)),
                                                        ("n00000005", "class_5", pytest.approx(0.25))]]
