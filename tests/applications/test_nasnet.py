"""NASNetMobile and NASNetLarge against real Keras 3: layer names, weight order and outputs with shared
random weights, Keras-written weight files, the local-HTTP `weights="imagenet"` path, Keras's errors."""

import numpy as np
import pytest

import kerasish
from kerasish import applications, ops
from kerasish.applications import nasnet
from tests.applications.test_parity import _check, _close, _names, _random_bn_stats
from tests.applications.test_weights import _md5, server  # noqa: F401  (the local weights server fixture)
from tests.conftest import assert_close

SMALL = (32, 32, 3)  # the smallest input Keras allows
TINY = dict(penultimate_filters=96, num_blocks=1, stem_block_filters=8)  # NASNet (1 @ 96): cheap to build


class _NotTorch:
    """Keras's `backend` module as the NASNet module sees it, reporting another backend name.

    Keras 3.15 refuses `NASNetMobile` on its torch backend ("pretrained incorrect"); the refusal is the
    only backend-dependent line, so the reference is Keras's own function past that check.
    """

    def __init__(self, module):
        self._module = module

    def backend(self):
        return "jax"

    def __getattr__(self, name):
        return getattr(self._module, name)


@pytest.fixture(scope="module")
def keras_mod():
    """Real Keras 3 on the torch backend, shared by the module's fixtures."""
    import keras

    if keras.backend.backend() != "torch":
        pytest.fail("Parity tests need Keras on the torch backend: set KERAS_BACKEND=torch before keras is imported.")
    return keras


@pytest.fixture(scope="module")
def mobile_pair(keras_mod):
    """Keras's and kerasish's NASNetMobile with a top at 32x32, holding the same random weights."""
    keras_mod.utils.clear_session()
    kerasish.backend.clear_session()
    kwargs = dict(weights=None, include_top=True, input_shape=SMALL, classes=5, classifier_activation=None)
    src = keras_mod.src.applications.nasnet
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(src, "backend", _NotTorch(src.backend))
        theirs = keras_mod.applications.nasnet.NASNetMobile(**kwargs)
    ours = nasnet.NASNetMobile(**kwargs)
    weights = _random_bn_stats(theirs, np.random.default_rng(0))
    theirs.set_weights(weights)
    ours.set_weights(weights)
    x = np.random.default_rng(1).uniform(-1, 1, (2,) + SMALL).astype("float32")
    expected = keras_mod.ops.convert_to_numpy(theirs(x, training=False))
    return theirs, ours, x, expected, kwargs


def test_nasnet_mobile_matches_keras(mobile_pair):
    theirs, ours, x, expected, _ = mobile_pair
    assert ours.name == theirs.name == "nasnet_mobile"
    assert _names(ours) == _names(theirs)
    assert [w.shape for w in ours.get_weights()] == [tuple(w.shape) for w in theirs.get_weights()]
    _close(ops.convert_to_numpy(ours(x, training=False)), expected)


@pytest.mark.parametrize("fname", ["k.weights.h5", "k.h5"])
def test_keras_written_files_load(mobile_pair, tmp_path, fname):
    theirs, _, x, expected, kwargs = mobile_pair
    path = str(tmp_path / fname)
    theirs.save_weights(path) if fname.endswith(".weights.h5") else theirs.save(path)
    loaded = applications.NASNetMobile(**dict(kwargs, weights=path))
    _close(ops.convert_to_numpy(loaded(x, training=False)), expected)


def test_generic_builder_matches_keras(keras, tmp_path):
    # A small NASNet (1 @ 96, one width throughout) exercises the builder's own arguments and its name.
    keras.utils.clear_session()
    kerasish.backend.clear_session()
    kwargs = dict(skip_reduction=True, filter_multiplier=1, weights=None, include_top=False, input_shape=SMALL,
                  pooling="avg", **TINY)
    theirs = keras.src.applications.nasnet.NASNet(**kwargs)
    ours = nasnet.NASNet(**kwargs)
    assert ours.name == theirs.name == "NASNet"
    assert _names(ours) == _names(theirs)
    weights = _random_bn_stats(theirs, np.random.default_rng(2))
    theirs.set_weights(weights)
    ours.set_weights(weights)
    x = np.random.default_rng(3).uniform(-1, 1, (2,) + SMALL).astype("float32")
    _close(ops.convert_to_numpy(ours(x, training=False)), keras.ops.convert_to_numpy(theirs(x, training=False)))


@pytest.mark.slow
def test_nasnet_large_matches_keras(keras, tmp_path):
    _check(keras, tmp_path, [("nasnet.NASNetLarge", dict(include_top=False, input_shape=SMALL, pooling="max"))])


def test_imagenet_weights_through_get_file(server, tmp_path, monkeypatch):  # noqa: F811
    kwargs = dict(include_top=False, input_shape=SMALL, pooling="avg")
    source = nasnet.NASNetMobile(weights=None, **kwargs)
    served = server / "nasnet" / "NASNet-mobile-no-top.h5"  # Keras's published name...
    served.parent.mkdir()
    source.save_weights(str(served))  # a legacy `.h5` weights file, the layout of Keras's published ones
    x = np.random.default_rng(4).uniform(0, 255, (1,) + SMALL).astype("float32")
    expected = ops.convert_to_numpy(source(nasnet.preprocess_input(x.copy())))
    mobile = nasnet._WEIGHTS[224]
    monkeypatch.setitem(nasnet._WEIGHTS, 224, (mobile[0], mobile[1][:2] + (_md5(served),)))
    model = applications.nasnet.NASNetMobile(weights="imagenet", **kwargs)
    cached = tmp_path / "home" / "models" / "nasnet_mobile_no_top.h5"  # ...cached under Keras's other name
    assert cached.exists()
    assert_close(ops.convert_to_numpy(model(nasnet.preprocess_input(x.copy()))), expected)
    # With Keras's md5 the served file is refused (a tiny NASNet asks for the same file).
    monkeypatch.setitem(nasnet._WEIGHTS, 224, mobile)
    cached.unlink()
    with pytest.raises(ValueError, match="hash"):
        nasnet.NASNet(weights="imagenet", default_size=224, **TINY, **kwargs)


class _Requested(Exception):
    pass


def _requested_file(module, fn, **kwargs):
    """The `get_file` arguments `fn` asks for (the call is stopped there)."""
    def get_file(fname, origin, **options):
        raise _Requested(fname, origin, options["file_hash"], options["cache_subdir"])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module.file_utils, "get_file", get_file)
        with pytest.raises(_Requested) as info:
            fn(**kwargs)
    return info.value.args


@pytest.mark.parametrize("default_size", [224, 331])
@pytest.mark.parametrize("include_top", [True, False])
def test_imagenet_file_names_urls_and_hashes_are_keras(keras, default_size, include_top):
    kwargs = dict(weights="imagenet", default_size=default_size, include_top=include_top, input_shape=SMALL,
                  classes=1000, **TINY)
    if include_top:
        kwargs["input_shape"] = (default_size, default_size, 3)
    theirs = _requested_file(keras.src.applications.nasnet, keras.src.applications.nasnet.NASNet, **kwargs)
    assert _requested_file(nasnet, nasnet.NASNet, **kwargs) == theirs


def _keras_error(fn, **kwargs):
    with pytest.raises(ValueError) as info:
        fn(**kwargs)
    return str(info.value)


# Keras raises these before building anything (the last one after a small model): cheap both sides.
ERRORS = [
    ("NASNetLarge", dict(weights="imagenet21k"), "weights=imagenet21k"),
    ("NASNetLarge", dict(weights="imagenet", classes=10), "classes=10"),
    ("NASNetLarge", dict(weights="imagenet", input_shape=(64, 64, 3)), "input_shape=(64, 64, 3)"),
    ("NASNetLarge", dict(weights="imagenet", include_top=False, input_shape=(None, None, 3)),
     "input_shape=(None, None, 3)"),
    ("NASNetLarge", dict(weights=None, include_top=False, input_shape=(16, 16, 3)), "input_shape=(16, 16, 3)"),
    ("NASNetLarge", dict(weights=None, input_shape=(None, None, 3)), "input_shape=(None, None, 3)"),
    ("NASNet", dict(weights=None, include_top=False, input_shape=SMALL, penultimate_filters=1000),
     "penultimate_filters=1000"),
    ("NASNet", dict(weights="imagenet", include_top=False, input_shape=SMALL, default_size=64, **TINY),
     "default_size=64"),
]


@pytest.mark.parametrize("fn,kwargs,received", ERRORS, ids=[e[2] for e in ERRORS])
def test_keras_errors_for_bad_arguments(keras, fn, kwargs, received):
    expected = _keras_error(getattr(keras.src.applications.nasnet, fn), **kwargs)
    with pytest.raises(ValueError) as info:
        getattr(nasnet, fn)(**kwargs)
    message = str(info.value)
    assert message.startswith(expected.rstrip(".")), (message, expected)
    assert f"Received: {received}" in message


def test_channels_first_refused_like_keras(keras):
    keras.config.set_image_data_format("channels_first")
    kerasish.backend.set_image_data_format("channels_first")
    try:
        expected = _keras_error(keras.applications.NASNetLarge, weights=None)
        with pytest.raises(ValueError) as info:
            nasnet.NASNetMobile(weights=None)
    finally:
        keras.config.set_image_data_format("channels_last")
        kerasish.backend.set_image_data_format("channels_last")
    assert str(info.value).startswith(expected)
    assert "Received: image_data_format=channels_first" in str(info.value)


def test_pooling_typo_is_refused():
    # Keras ignores an unknown `pooling`; kerasish refuses arguments it would otherwise ignore.
    with pytest.raises(ValueError, match="Received: pooling=mean"):
        nasnet.NASNet(weights=None, include_top=False, input_shape=SMALL, pooling="mean", **TINY)


def test_preprocess_and_decode_like_keras(keras):
    x = np.random.default_rng(5).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    assert_close(nasnet.preprocess_input(x.copy()), keras.applications.nasnet.preprocess_input(x.copy()))
    tensor = nasnet.preprocess_input(ops.convert_to_tensor(x))
    assert_close(ops.convert_to_numpy(tensor), keras.applications.nasnet.preprocess_input(x.copy()), atol=1e-6)
    with pytest.raises(ValueError, match=r"shape: \(2, 10\)"):
        nasnet.decode_predictions(np.zeros((2, 10)))
