"""InceptionV3 against real Keras 3 at its smallest input (75x75): layer names (most are auto-named),
weight order, outputs with shared random weights, Keras-written files through `weights=path`,
`weights="imagenet"` from a local server, and Keras's errors for bad arguments."""

import hashlib

import numpy as np
import pytest

import kerasish
from kerasish import ops
from kerasish.applications import inception_v3
from tests.applications.test_parity import _close, _random_bn_stats
from tests.applications.test_weights import server  # noqa: F401 (the local HTTP server fixture)

SHAPE = (75, 75, 3)
TOP = dict(include_top=True, input_shape=SHAPE, classes=5, classifier_activation=None)
AVG = dict(include_top=False, input_shape=SHAPE, pooling="avg")


def _real_keras():
    import keras

    assert keras.backend.backend() == "torch", "parity tests need KERAS_BACKEND=torch"
    return keras


def build_pair(keras, module, name, kwargs, seed):
    """The same architecture built by Keras and by kerasish from fresh sessions (so auto-names
    agree), Keras's random weights with perturbed batch-norm statistics copied into both."""
    keras.utils.clear_session()
    kerasish.backend.clear_session()
    theirs = getattr(keras.applications, name)(weights=None, **kwargs)
    ours = getattr(module, name)(weights=None, **kwargs)
    weights = _random_bn_stats(theirs, np.random.default_rng(seed))
    theirs.set_weights(weights)
    ours.set_weights(weights)
    x = np.random.default_rng(seed + 1).uniform(-1, 1, (2,) + SHAPE).astype("float32")
    expected = keras.ops.convert_to_numpy(theirs(x, training=False))
    return theirs, ours, x, expected


@pytest.fixture(scope="module", params=[TOP, AVG], ids=["top", "avg"])
def pair(request):
    return (request.param,) + build_pair(_real_keras(), inception_v3, "InceptionV3", request.param, seed=3)


def test_matches_keras(pair):
    _, theirs, ours, x, expected = pair
    assert ours.name == theirs.name == "inception_v3"
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    assert [w.path for w in ours.weights] == [w.path for w in theirs.weights]
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    _close(ops.convert_to_numpy(ours(x, training=False)), expected)


def test_keras_written_file_loads_through_weights_path(pair, tmp_path):
    kwargs, theirs, _, x, expected = pair
    # One format per configuration: the legacy `.h5` model file, and Keras 3's `.weights.h5`.
    path = str(tmp_path / ("k.h5" if kwargs is TOP else "k.weights.h5"))
    theirs.save(path) if kwargs is TOP else theirs.save_weights(path)
    loaded = kerasish.applications.InceptionV3(weights=path, **kwargs)
    _close(ops.convert_to_numpy(loaded(x, training=False)), expected)


def test_imagenet_weights_from_local_server(server, monkeypatch):  # noqa: F811
    # A served `_notop` file made from a model built here: Keras's file name, folder and md5 check.
    source = inception_v3.InceptionV3(weights=None, **AVG)
    (server / "inception_v3").mkdir()
    served = server / "inception_v3" / "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"
    source.save_weights(str(served))
    digest = hashlib.md5(served.read_bytes()).hexdigest()
    monkeypatch.setattr(inception_v3, "WEIGHTS_HASHES", ("0" * 32, digest))
    model = kerasish.applications.InceptionV3(weights="imagenet", **AVG)
    x = np.random.default_rng(5).uniform(-1, 1, (1,) + SHAPE).astype("float32")
    _close(ops.convert_to_numpy(model(x)), ops.convert_to_numpy(source(x)))


@pytest.mark.parametrize("kwargs, message", [
    (dict(weights="imagenet21k"), r"The `weights` argument should be either .*Received: weights=imagenet21k"),
    (dict(weights="imagenet", classes=10), r"`classes` should be 1000. Received classes=10"),
    (dict(weights="imagenet", input_shape=(150, 150, 3)),
     r"`input_shape` should be \(299, 299, 3\).*Received: input_shape=\(150, 150, 3\)"),
    (dict(weights=None, include_top=False, input_shape=(74, 90, 3)), r"Input size must be at least 75x75"),
    (dict(weights=None, include_top=True, input_shape=(None, None, 3)), "should specify a static `input_shape`"),
])
def test_keras_errors_for_bad_arguments(keras, kwargs, message):
    with pytest.raises(ValueError, match=message):
        keras.applications.InceptionV3(**kwargs)
    with pytest.raises(ValueError, match=message):
        kerasish.applications.InceptionV3(**kwargs)


def test_preprocess_input_and_decode_predictions_match_keras(keras):
    x = np.random.default_rng(1).uniform(0, 255, (2, 5, 5, 3)).astype("float32")
    expected = keras.applications.inception_v3.preprocess_input(x.copy())
    _close(inception_v3.preprocess_input(x.copy()), expected)
    _close(ops.convert_to_numpy(inception_v3.preprocess_input(ops.convert_to_tensor(x))), expected)
    with pytest.raises(ValueError, match=r"shape: \(2, 10\)"):
        inception_v3.decode_predictions(np.zeros((2, 10)))
