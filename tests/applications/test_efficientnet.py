"""EfficientNetB0 to B7 against real Keras 3: layer names, weight order, drop-connect rates and
outputs with shared random weights; Keras-written files through `weights=path`; `weights="imagenet"`
from a local HTTP server, loaded the same way by Keras and kerasish."""

import functools
import hashlib
import http.server
import threading

import numpy as np
import pytest

import kerasish
from kerasish import applications, ops
from kerasish.applications import efficientnet
from tests.applications.test_parity import _close, _names

# Keras's stds: the stem's extra Rescaling (with ImageNet weights) divides by their square roots.
_STD = np.array([0.229, 0.224, 0.225], "float32")


def _calibrated_weights(keras_model, rng):
    """Random weights with batch-norm statistics measured on random images (returned in Keras's order).

    Keras's initial kernels with made-up statistics make the deep variants useless for a comparison:
    the input's signal fades (the stem's normalization already shrinks it to ~1%), or B7 turns
    chaotic (a 1e-7 change of the input moved its output by ~1%, in Keras alone). Kernels scaled by
    1/sqrt(fan_in) and moving statistics taken from a batch (momentum 0, one training step) keep every
    layer near unit scale, like a trained model: outputs then depend on the input and float32
    rounding stays at ~1e-5 of their scale.
    """
    weights = []
    for variable in keras_model.weights:
        shape, leaf = tuple(variable.shape), variable.path.split("/")[-1]
        if leaf in ("kernel", "depthwise_kernel"):
            fan_in = np.prod(shape[:-1]) if leaf == "kernel" else np.prod(shape[:2])
            value = rng.normal(0.0, 1.0 / np.sqrt(fan_in), shape)
        elif leaf == "gamma":
            value = rng.uniform(0.5, 1.5, shape)
        elif leaf == "mean":  # the stem's Normalization, ImageNet-like
            value = rng.uniform(0.4, 0.5, shape)
        elif leaf == "variance":
            value = rng.uniform(0.04, 0.06, shape)
        elif leaf == "count":
            value = np.zeros(shape)
        else:  # beta, biases; the moving statistics are measured below
            value = rng.uniform(-0.5, 0.5, shape)
        weights.append(value.astype(variable.dtype))
    keras_model.set_weights(weights)
    norms = [layer for layer in keras_model.layers if type(layer).__name__ == "BatchNormalization"]
    for layer in norms:
        layer.momentum = 0.0
    keras_model(rng.uniform(0, 255, (16, 32, 32, 3)).astype("float32"), training=True)
    for layer in norms:
        layer.momentum = 0.99
    return keras_model.get_weights()


def _dropout_rates(model):
    return [(layer.name, round(layer.rate, 6), tuple(layer.noise_shape or ()))
            for layer in model.layers if type(layer).__name__ == "Dropout"]


def _check_variant(keras, monkeypatch, key, kwargs):
    """One variant built in both libraries with the same weights: names, weight shapes, dropout
    rates and inference outputs on pixels in [0, 255] must agree."""
    if key not in ("b0", "b1"):
        # The initial kernels are overwritten: B2..B7 build with zeros, since sampling a truncated
        # normal for up to 64M weights is most of the build time in both libraries.
        monkeypatch.setattr(keras.src.applications.efficientnet, "CONV_KERNEL_INITIALIZER", "zeros")
        monkeypatch.setattr(efficientnet, "CONV_KERNEL_INITIALIZER", "zeros")
    keras.utils.clear_session()
    kerasish.backend.clear_session()  # auto names (input, rescaling, normalization) count from zero
    name = f"EfficientNet{key.upper()}"
    theirs = getattr(keras.applications, name)(weights=None, **kwargs)
    ours = getattr(efficientnet, name)(weights=None, **kwargs)
    assert ours.name == theirs.name == f"efficientnet{key}"
    assert _names(ours) == _names(theirs)
    assert _dropout_rates(ours) == _dropout_rates(theirs)
    weights = _calibrated_weights(theirs, np.random.default_rng(int(key[1])))
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in weights]
    ours.set_weights(weights)
    x = np.random.default_rng(10).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    expected = keras.ops.convert_to_numpy(theirs(x, training=False))
    assert np.abs(expected[0] - expected[1]).max() > 0.1 * np.abs(expected).max()  # the input matters
    _close(ops.convert_to_numpy(ours(x, training=False)), expected)


@pytest.mark.parametrize("key, kwargs", [
    ("b0", dict(include_top=True, input_shape=(32, 32, 3), classes=5)),
    ("b1", dict(include_top=False, input_shape=(32, 32, 3), pooling="avg")),
    ("b2", dict(include_top=False, input_shape=(32, 32, 3), pooling="max")),
    ("b3", dict(include_top=True, input_shape=(32, 32, 3), classes=3, classifier_activation=None)),
    ("b4", dict(include_top=False, input_shape=(32, 32, 3))),
])
def test_variants_match_keras(keras, monkeypatch, key, kwargs):
    _check_variant(keras, monkeypatch, key, kwargs)


@pytest.mark.slow
@pytest.mark.parametrize("key, kwargs", [
    ("b5", dict(include_top=False, input_shape=(32, 32, 3), pooling="avg")),
    ("b6", dict(include_top=False, input_shape=(32, 32, 3))),
    ("b7", dict(include_top=False, input_shape=(32, 32, 3), pooling="max")),
])
def test_large_variants_match_keras(keras, monkeypatch, key, kwargs):
    _check_variant(keras, monkeypatch, key, kwargs)


@pytest.fixture(scope="module")
def b0_pair():
    """B0 without top, in Keras (random weights, perturbed statistics) and kerasish sharing them."""
    import keras

    keras.utils.clear_session()
    kerasish.backend.clear_session()
    theirs = keras.applications.EfficientNetB0(weights=None, include_top=False, input_shape=(32, 32, 3))
    _calibrated_weights(theirs, np.random.default_rng(2))
    ours = applications.EfficientNetB0(weights=None, include_top=False, input_shape=(32, 32, 3))
    ours.set_weights(theirs.get_weights())
    return theirs, ours


@pytest.fixture
def pixels():
    return np.random.default_rng(3).uniform(0, 255, (2, 32, 32, 3)).astype("float32")


def test_keras_files_load_both_ways(b0_pair, pixels, tmp_path, keras):
    theirs, ours = b0_pair
    expected = ops.convert_to_numpy(theirs(pixels, training=False))
    theirs.save_weights(str(tmp_path / "k.weights.h5"))
    theirs.save(str(tmp_path / "k.h5"))
    theirs.save(str(tmp_path / "k.keras"))
    for fname in ("k.weights.h5", "k.h5"):
        loaded = efficientnet.EfficientNetB0(weights=str(tmp_path / fname), include_top=False,
                                             input_shape=(32, 32, 3))
        _close(ops.convert_to_numpy(loaded(pixels, training=False)), expected)
    whole = kerasish.models.load_model(str(tmp_path / "k.keras"))
    assert _names(whole) == _names(theirs)
    _close(ops.convert_to_numpy(whole(pixels, training=False)), expected)
    ours.save(str(tmp_path / "ours.keras"))  # and back: Keras reads kerasish's `.keras` file
    back = keras.models.load_model(str(tmp_path / "ours.keras"))
    _close(keras.ops.convert_to_numpy(back(pixels, training=False)), expected)


def test_drop_connect_drops_whole_samples(b0_pair, pixels):
    """In training, `blockNx_drop` keeps or zeroes each sample's residual branch as a whole."""
    _, ours = b0_pair
    drop = ours.get_layer("block6d_drop")
    assert drop.rate == pytest.approx(0.2 * 14 / 16)  # block 14 of 16
    probe = kerasish.Model(ours.input, [drop.input, drop.output])
    saved = ours.get_weights()  # training-mode calls move the shared model's batch-norm statistics
    kept = 0
    try:
        for _ in range(4):
            branch, out = (ops.convert_to_numpy(t) for t in probe(np.concatenate([pixels] * 8), training=True))
            for b, o in zip(branch, out):
                if np.any(o):
                    _close(o, b / (1 - drop.rate))
                    kept += 1
    finally:
        ours.set_weights(saved)
    assert 0 < kept < 64  # with rate 0.175, 64 draws all kept has probability 5e-6


@pytest.fixture
def server(tmp_path, monkeypatch, keras):
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(keras.src.backend.config, "_KERAS_DIR", str(tmp_path / "keras_home"))
    monkeypatch.setattr(efficientnet, "BASE_WEIGHTS_PATH", base)
    monkeypatch.setattr(keras.src.applications.efficientnet, "BASE_WEIGHTS_PATH", base)
    yield root
    httpd.shutdown()


def test_imagenet_weights_from_local_server(b0_pair, pixels, server, keras, monkeypatch, tmp_path):
    theirs, _ = b0_pair
    # With ImageNet weights the stem has one more Rescaling, by 1/sqrt(std): serving the variance
    # divided by the stds makes the loaded model compute what the pair computes.
    weights = theirs.get_weights()
    weights[1] = weights[1] / _STD  # [mean, variance, count, stem kernel, ...]
    source = efficientnet.EfficientNetB0(weights=None, include_top=False, input_shape=(32, 32, 3))
    source.set_weights(weights)
    served = server / "efficientnetb0_notop.h5"
    source.save_weights(str(served))  # a legacy `.h5` weights file, the layout of Keras's published ones
    md5 = hashlib.md5(served.read_bytes()).hexdigest()
    for module in (efficientnet, keras.src.applications.efficientnet):
        monkeypatch.setitem(module.WEIGHTS_HASHES, "b0", ("0" * 32, "0" * 32))
    with pytest.raises(ValueError, match="hash"):
        efficientnet.EfficientNetB0(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    for module in (efficientnet, keras.src.applications.efficientnet):
        monkeypatch.setitem(module.WEIGHTS_HASHES, "b0", ("0" * 32, md5))
    keras.utils.clear_session()
    kerasish.backend.clear_session()
    reference = keras.applications.EfficientNetB0(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    model = efficientnet.EfficientNetB0(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    assert (tmp_path / "home" / "models" / served.name).exists()
    assert _names(model) == _names(reference)  # the extra stem Rescaling is there, auto-named alike
    expected = keras.ops.convert_to_numpy(theirs(pixels, training=False))
    _close(keras.ops.convert_to_numpy(reference(pixels, training=False)), expected)
    _close(ops.convert_to_numpy(model(pixels, training=False)), expected)
    served.unlink()  # cached now: no second download
    again = applications.EfficientNetB0(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    _close(ops.convert_to_numpy(again(pixels, training=False)), expected)


def test_keras_errors_for_bad_arguments():
    with pytest.raises(ValueError, match=r"The `weights` argument should be either .*Received: weights=noisy"):
        applications.EfficientNetB0(weights="noisy-student")
    with pytest.raises(ValueError, match=r"`input_shape` should be \(600, 600, 3\).*input_shape=\(224, 224, 3\)"):
        applications.EfficientNetB7(weights="imagenet", include_top=True, input_shape=(224, 224, 3))
    with pytest.raises(ValueError, match="`classes` should be 1000"):
        applications.EfficientNetB2(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match=r"at least 32x32; Received: input_shape=\(16, 16, 3\)"):
        applications.EfficientNetB0(weights=None, include_top=False, input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="classifier_activation=relu"):
        applications.EfficientNetB0(weights="imagenet", classifier_activation="relu")
    with pytest.raises(ValueError, match=r"repeats in `EfficientNet` must be > 0. Received: repeats=0"):
        efficientnet.EfficientNet(1.0, 1.0, 224, weights=None, include_top=False,
                                  blocks_args=[dict(efficientnet.DEFAULT_BLOCKS_ARGS[0], repeats=0)])


def test_preprocess_input_is_identity_and_decode_predictions_checks_shape(keras):
    x = np.arange(12.0).reshape(1, 2, 2, 3)
    assert efficientnet.preprocess_input(x) is x
    assert keras.applications.efficientnet.preprocess_input(x) is x
    with pytest.raises(ValueError, match=r"shape: \(2, 10\)"):
        efficientnet.decode_predictions(np.zeros((2, 10)))


def test_module_layout_matches_keras(keras):
    for key in efficientnet.WEIGHTS_HASHES:
        name = f"EfficientNet{key.upper()}"
        assert getattr(applications, name) is getattr(efficientnet, name)
        assert hasattr(keras.applications.efficientnet, name)
    assert efficientnet.WEIGHTS_HASHES == keras.src.applications.efficientnet.WEIGHTS_HASHES
    assert efficientnet.BASE_WEIGHTS_PATH == keras.src.applications.efficientnet.BASE_WEIGHTS_PATH
