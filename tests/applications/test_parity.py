"""Applications against real Keras 3: same layer names, same weight order, same outputs with shared
random weights, and Keras-saved weight files loading through `weights=path`."""

import numpy as np
import pytest

import kerasish
from kerasish import applications, ops
from tests.conftest import assert_close

# (kerasish path, kwargs): small inputs Keras allows; top once per family where it is cheap.
FAST = [
    ("vgg16.VGG16", dict(include_top=True, input_shape=(32, 32, 3), classes=7)),
    ("vgg19.VGG19", dict(include_top=False, input_shape=(32, 32, 3), pooling="max")),
    ("resnet.ResNet50", dict(include_top=True, input_shape=(32, 32, 3), classes=5,
                             classifier_activation=None)),
    ("resnet_v2.ResNet50V2", dict(include_top=True, input_shape=(32, 32, 3), classes=3)),
    ("mobilenet.MobileNet", dict(include_top=True, input_shape=(32, 32, 3), classes=4, alpha=0.5)),
    ("mobilenet.MobileNet", dict(include_top=False, input_shape=(32, 32, 3), pooling="avg",
                                 depth_multiplier=2)),
    ("mobilenet_v2.MobileNetV2", dict(include_top=True, input_shape=(32, 32, 3), classes=4, alpha=1.3)),
]
# The deeper ones differ from the 50-layer builders only in block counts: checked as slow tests.
SLOW = [
    ("resnet.ResNet101", dict(include_top=False, input_shape=(32, 32, 3), pooling="avg")),
    ("resnet.ResNet152", dict(include_top=False, input_shape=(32, 32, 3))),
    ("resnet_v2.ResNet101V2", dict(include_top=False, input_shape=(32, 32, 3), pooling="max")),
    ("resnet_v2.ResNet152V2", dict(include_top=False, input_shape=(32, 32, 3))),
]


def _get(root, path):
    module, name = path.split(".")
    return getattr(getattr(root, module), name)


def _names(model):
    return [layer.name for layer in model.layers]


def _close(actual, expected):
    # Deep float32 stacks drift by a few ulps per layer: tolerance relative to the output's scale.
    assert_close(actual, expected, rtol=1e-4, atol=1e-5 * max(1.0, float(np.abs(expected).max())))


def _random_bn_stats(keras_model, rng):
    """Non-trivial moving statistics, so inference-mode batch norm is compared too."""
    weights = keras_model.get_weights()
    return [w + rng.uniform(0.1, 0.5, w.shape).astype(w.dtype) if w.ndim == 1 else w for w in weights]


def test_architectures_match_keras(keras, tmp_path):
    _check(keras, tmp_path, FAST)


@pytest.mark.slow
def test_deep_resnets_match_keras(keras, tmp_path):
    _check(keras, tmp_path, SLOW)


def _check(keras, tmp_path, cases):
    rng = np.random.default_rng(0)
    for path, kwargs in cases:
        keras.utils.clear_session()
        kerasish.backend.clear_session()  # auto names (inputs, V2's shortcut poolings) count from zero
        theirs = _get(keras.applications, path)(weights=None, **kwargs)
        ours = _get(applications, path)(weights=None, **kwargs)
        assert ours.name == theirs.name
        assert _names(ours) == _names(theirs), path
        weights = _random_bn_stats(theirs, rng)
        theirs.set_weights(weights)
        assert [w.shape for w in ours.get_weights()] == [w.shape for w in weights], path
        ours.set_weights(weights)
        x = rng.uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
        expected = keras.ops.convert_to_numpy(theirs(x, training=False))
        _close(ops.convert_to_numpy(ours(x, training=False)), expected)
        if path.startswith(("vgg19", "resnet_v2.ResNet50")):  # Keras-written files, both layouts
            for fname in ("k.weights.h5", "k.h5"):
                theirs.save_weights(str(tmp_path / fname)) if fname.endswith(".weights.h5") else \
                    theirs.save(str(tmp_path / fname))
                loaded = _get(applications, path)(weights=str(tmp_path / fname), **kwargs)
                _close(ops.convert_to_numpy(loaded(x, training=False)), expected)
