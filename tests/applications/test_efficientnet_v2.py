"""EfficientNetV2 B0-B3, S, M, L against real Keras 3: same layer names, classes and drop rates, same
weight order, same outputs with shared random weights; Keras-written files and `weights="imagenet"`
from a local server; Keras's errors for bad arguments."""

import numpy as np
import pytest

import kerasish
from kerasish import applications, ops
from kerasish.applications import efficientnet_v2, imagenet_utils
from tests.applications.test_parity import _close, _get, _names
from tests.applications.test_weights import _md5, server  # noqa: F401  (fixture)

# Smallest input Keras allows; top, pooling and preprocessing both ways across the family.
CASES = [
    ("efficientnet_v2.EfficientNetV2B0", dict(include_top=True, input_shape=(32, 32, 3), classes=5)),
    ("efficientnet_v2.EfficientNetV2B1", dict(include_top=False, input_shape=(32, 32, 3), pooling="avg")),
    ("efficientnet_v2.EfficientNetV2B2", dict(include_top=False, input_shape=(32, 32, 3), pooling="max",
                                              include_preprocessing=False)),
    ("efficientnet_v2.EfficientNetV2B3", dict(include_top=True, input_shape=(32, 32, 3), classes=3,
                                              classifier_activation=None)),
    ("efficientnet_v2.EfficientNetV2S", dict(include_top=False, input_shape=(32, 32, 3))),
    pytest.param("efficientnet_v2.EfficientNetV2M", dict(include_top=False, input_shape=(32, 32, 3), pooling="avg"),
                 marks=pytest.mark.slow),
    pytest.param("efficientnet_v2.EfficientNetV2L", dict(include_top=False, input_shape=(32, 32, 3)),
                 marks=pytest.mark.slow),
]
# Blocks Keras's variants never build: MBConv without expansion, FusedMBConv with squeeze-excite.
TINY_BLOCKS = [
    dict(kernel_size=3, num_repeat=2, input_filters=16, output_filters=16, expand_ratio=1, se_ratio=0.25,
         strides=1, conv_type=1),
    dict(kernel_size=3, num_repeat=1, input_filters=16, output_filters=24, expand_ratio=1, se_ratio=0,
         strides=2, conv_type=0),
    dict(kernel_size=5, num_repeat=2, input_filters=24, output_filters=24, expand_ratio=4, se_ratio=0.25,
         strides=1, conv_type=0),
]


def _damped_bn_stats(keras_model, rng):
    """Non-trivial batch-norm statistics with gamma < 1. With the shared `_random_bn_stats` (gamma
    and variance raised) S/M/L's 40-80 residual blocks blow activations up to ~1e4, where float32
    rounding grows chaotically (checked: the same S model agrees to 3e-7 with these)."""
    for layer in keras_model.layers:
        if type(layer).__name__ == "BatchNormalization":
            n = layer.gamma.shape
            layer.set_weights([rng.uniform(0.3, 0.7, n), rng.uniform(-0.2, 0.2, n), rng.uniform(-0.2, 0.2, n),
                               rng.uniform(0.5, 1.5, n)])
    return keras_model.get_weights()


def _same_structure(ours, theirs):
    assert ours.name == theirs.name
    assert _names(ours) == _names(theirs)
    assert [type(layer).__name__ for layer in ours.layers] == [type(layer).__name__ for layer in theirs.layers]
    for mine, ref in zip(ours.layers, theirs.layers):
        if type(ref).__name__ in ("Dropout", "Rescaling"):  # stochastic depth rates, preprocessing
            config, expected = mine.get_config(), ref.get_config()
            keys = ("rate", "noise_shape") if "rate" in expected else ("scale", "offset")
            assert [config[k] for k in keys] == [expected[k] for k in keys], ref.name


def _build_both(keras, builder_ours, builder_theirs, **kwargs):
    keras.utils.clear_session()
    kerasish.backend.clear_session()  # auto names (input_layer, rescaling, normalization) count from zero
    theirs = builder_theirs(weights=None, **kwargs)
    ours = builder_ours(weights=None, **kwargs)
    _same_structure(ours, theirs)
    weights = _damped_bn_stats(theirs, np.random.default_rng(0))
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in weights]
    ours.set_weights(weights)
    return ours, theirs


def _outputs(keras, ours, theirs, x):
    expected = keras.ops.convert_to_numpy(theirs(x, training=False))
    _close(ops.convert_to_numpy(ours(x, training=False)), expected)
    return expected


@pytest.mark.parametrize("path,kwargs", CASES)
def test_architecture_matches_keras(keras, tmp_path, path, kwargs):
    ours, theirs = _build_both(keras, _get(applications, path), _get(keras.applications, path), **kwargs)
    x = np.random.default_rng(1).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    expected = _outputs(keras, ours, theirs, x)
    if path.endswith("B0"):  # a Keras-written legacy `.h5` (the layout of the published files)
        theirs.save(str(tmp_path / "k.h5"))
        loaded = applications.EfficientNetV2B0(weights=str(tmp_path / "k.h5"), **kwargs)
        _close(ops.convert_to_numpy(loaded(x, training=False)), expected)


@pytest.mark.parametrize("data_format,channels", [("channels_last", 1), ("channels_first", 3)])
def test_builder_with_custom_blocks_matches_keras(keras, data_format, channels):
    # One channel: the B variants fall back to [-1, 1] rescaling instead of ImageNet normalization.
    from keras.src.applications import efficientnet_v2 as reference

    shape = (32, 32, channels) if data_format == "channels_last" else (channels, 32, 32)
    kwargs = dict(width_coefficient=1.1, depth_coefficient=1.2, default_size=64, blocks_args=TINY_BLOCKS,
                  name="efficientnetv2-b0", include_top=True, classes=4, input_shape=shape)
    keras.config.set_image_data_format(data_format)
    kerasish.backend.set_image_data_format(data_format)
    try:
        ours, theirs = _build_both(keras, efficientnet_v2.EfficientNetV2, reference.EfficientNetV2, **kwargs)
        x = np.random.default_rng(2).uniform(0, 255, (2,) + shape).astype("float32")
        _outputs(keras, ours, theirs, x)
    finally:
        keras.config.set_image_data_format("channels_last")
        kerasish.backend.set_image_data_format("channels_last")


def test_tables_match_keras(keras):
    from keras.src.applications import efficientnet_v2 as reference

    assert efficientnet_v2.DEFAULT_BLOCKS_ARGS == reference.DEFAULT_BLOCKS_ARGS
    assert efficientnet_v2.WEIGHTS_HASHES == reference.WEIGHTS_HASHES
    assert imagenet_utils.WEIGHTS_BASE_URL + "efficientnet_v2/" == reference.BASE_WEIGHTS_PATH
    for args in ((24, 1.1, 8, 8), (1280, 1.2, 8, 8), (3, 0.5, None, 8)):
        assert efficientnet_v2.round_filters(*args) == reference.round_filters(*args)
    assert efficientnet_v2.round_repeats(5, 1.4) == reference.round_repeats(5, 1.4) == 7
    x = np.arange(6.0)
    assert efficientnet_v2.preprocess_input(x) is x
    with pytest.raises(ValueError, match=r"shape: \(2, 10\)"):
        efficientnet_v2.decode_predictions(np.zeros((2, 10)))


def test_imagenet_weights_from_local_server(server, monkeypatch):  # noqa: F811
    kwargs = dict(include_top=False, input_shape=(32, 32, 3))
    source = applications.EfficientNetV2B0(weights=None, **kwargs)
    (server / "efficientnet_v2").mkdir()
    served = server / "efficientnet_v2" / "efficientnetv2-b0_notop.h5"  # Keras's file name
    source.save_weights(str(served))  # legacy `.h5`, the layout of Keras's published files
    monkeypatch.setitem(efficientnet_v2.WEIGHTS_HASHES, "b0", ("0" * 32, _md5(served)))
    # The file follows the variant, not the model's name (Keras would look for `my_b0_notop.h5`).
    model = efficientnet_v2.EfficientNetV2B0(weights="imagenet", name="my_b0", **kwargs)
    assert model.name == "my_b0"
    x = np.random.default_rng(0).uniform(0, 255, (1, 32, 32, 3)).astype("float32")
    _close(ops.convert_to_numpy(model(x)), ops.convert_to_numpy(source(x)))


def test_keras_errors_for_bad_arguments(keras):
    bad = [(dict(weights="imagenet21k"), r"The `weights` argument should be either .*imagenet21k"),
           (dict(weights="imagenet", input_shape=(64, 64, 3)), r"`input_shape` should be \(384, 384, 3\)"),
           (dict(weights="imagenet", classes=10), "`classes` should be 1000"),
           (dict(weights=None, include_top=False, input_shape=(16, 16, 3)), "Input size must be at least 32x32")]
    for kwargs, message in bad:
        for builder in (applications.EfficientNetV2S, keras.applications.EfficientNetV2S):
            with pytest.raises(ValueError, match=message):
                builder(**kwargs)
    tiny = dict(width_coefficient=1.0, depth_coefficient=1.0, default_size=32, weights=None, include_top=False,
                input_shape=(32, 32, 3))
    with pytest.raises(ValueError, match="pooling=mean"):
        efficientnet_v2.EfficientNetV2(blocks_args=TINY_BLOCKS[:1], pooling="mean", **tiny)
    with pytest.raises(ValueError, match="Received: num_repeat=0"):
        efficientnet_v2.EfficientNetV2(blocks_args=[dict(TINY_BLOCKS[0], num_repeat=0)], **tiny)
    with pytest.raises(ValueError, match="Received: conv_type=2"):
        efficientnet_v2.EfficientNetV2(blocks_args=[dict(TINY_BLOCKS[0], conv_type=2)], **tiny)
    with pytest.raises(ValueError, match="Received: name=custom, weights_name=None"):
        efficientnet_v2.EfficientNetV2(name="custom", **tiny)
