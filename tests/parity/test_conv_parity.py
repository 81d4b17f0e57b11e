"""Convolution layers vs Keras 3: same weights and inputs give the same outputs; same layouts."""

import itertools
import warnings

import numpy as np
import pytest

from kerasish import layers
from tests.layers.parity_utils import assert_layer_parity

RNG = np.random.default_rng(0)


def _x(shape):
    return RNG.standard_normal(shape).astype("float32")


_CONV2D = [dict(padding=p, strides=s, dilation_rate=d, data_format=f)
           for p, s, d, f in itertools.product(("valid", "same"), (1, 2), (1, 2),
                                               ("channels_last", "channels_first"))
           if not (s > 1 and d > 1)]


@pytest.mark.parametrize("cfg", _CONV2D, ids=str)
def test_conv2d(keras, cfg):
    shape = (2, 7, 8, 3) if cfg["data_format"] == "channels_last" else (2, 3, 7, 8)
    assert_layer_parity(keras, "Conv2D", dict(filters=4, kernel_size=(2, 3), activation="relu",
                                              **cfg), _x(shape))


@pytest.mark.parametrize("padding,strides,dilation", [
    ("valid", 1, 1), ("same", 2, 1), ("same", 1, 3), ("causal", 1, 2), ("causal", 2, 1)])
def test_conv1d(keras, padding, strides, dilation):
    assert_layer_parity(keras, "Conv1D", dict(filters=4, kernel_size=3, padding=padding,
                                              strides=strides, dilation_rate=dilation),
                        _x((2, 9, 3)))


@pytest.mark.parametrize("cfg", [dict(padding="same", strides=2), dict(data_format="channels_first")],
                         ids=str)
def test_conv3d(keras, cfg):
    shape = (2, 3, 5, 4, 5) if cfg.get("data_format") == "channels_first" else (2, 5, 4, 5, 3)
    assert_layer_parity(keras, "Conv3D", dict(filters=2, kernel_size=2, **cfg), _x(shape))


def test_grouped_conv(keras):
    assert_layer_parity(keras, "Conv2D", dict(filters=6, kernel_size=3, groups=3, padding="same"),
                        _x((2, 5, 5, 6)))


@pytest.mark.parametrize("padding,strides,output_padding,kernel", [
    (p, s, op, k) for p in ("valid", "same") for s in (1, 2, 3) for k in (2, 3)
    for op in ((None,) if s == 1 or k == 2 else (None, 0, 1))])
def test_conv2d_transpose(keras, padding, strides, output_padding, kernel):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_layer_parity(keras, "Conv2DTranspose",
                            dict(filters=3, kernel_size=kernel, padding=padding, strides=strides,
                                 output_padding=output_padding), _x((2, 4, 5, 2)))


@pytest.mark.parametrize("name,shape", [("Conv1DTranspose", (2, 5, 3)),
                                        ("Conv3DTranspose", (1, 3, 3, 3, 2))])
def test_conv_transpose_1d_3d(keras, name, shape):
    assert_layer_parity(keras, name, dict(filters=2, kernel_size=3, strides=2, padding="same"),
                        _x(shape))


def test_conv_transpose_dilation_channels_first(keras):
    assert_layer_parity(keras, "Conv2DTranspose",
                        dict(filters=2, kernel_size=2, dilation_rate=2,
                             data_format="channels_first"), _x((2, 3, 4, 4)))


@pytest.mark.parametrize("name,shape,cfg", [
    ("DepthwiseConv2D", (2, 6, 6, 3), dict(depth_multiplier=2, padding="same")),
    ("DepthwiseConv2D", (2, 3, 7, 7), dict(strides=2, data_format="channels_first")),
    ("DepthwiseConv1D", (2, 9, 3), dict(depth_multiplier=3, dilation_rate=2)),
    ("SeparableConv2D", (2, 6, 6, 3), dict(filters=4, depth_multiplier=2, padding="same")),
    ("SeparableConv2D", (2, 7, 7, 3), dict(filters=4, strides=2)),
    ("SeparableConv1D", (2, 3, 9), dict(filters=4, data_format="channels_first", padding="same")),
])
def test_depthwise_and_separable(keras, name, shape, cfg):
    assert_layer_parity(keras, name, dict(kernel_size=3, **cfg), _x(shape))


def test_fresh_kernel_initialised_on_keras_shape(keras):
    # Glorot's limit uses Keras's fans, (kh*kw*in, kh*kw*out): the kernel's spread must match.
    layer = layers.Conv2D(64, 5)
    layer(np.zeros((1, 8, 8, 32), "float32"))
    kernel = layer.get_weights()[0]
    limit = np.sqrt(6.0 / (25 * 32 + 25 * 64))
    assert kernel.shape == (5, 5, 32, 64)
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.95 * limit


def test_keras1_convolution2d_spelling(keras):
    with pytest.warns(UserWarning, match="Keras 2 API"):
        layer = layers.Convolution2D(32, 3, 3, border_mode="valid", input_shape=(1, 28, 28),
                                     dim_ordering="th", init="he_normal", W_regularizer="l2",
                                     subsample=(2, 2), bias=False)
    reference = keras.layers.Conv2D(32, (3, 3), padding="valid", data_format="channels_first",
                                    strides=(2, 2), use_bias=False)
    assert layer.data_format == "channels_first" and layer.kernel_size == (3, 3)
    assert layer.strides == (2, 2) and layer.use_bias is False
    assert layer.compute_output_shape((None, 1, 28, 28)) == \
        tuple(reference.compute_output_shape((None, 1, 28, 28)))
    assert type(layer.kernel_initializer).__name__ == "HeNormal"
    assert layer.kernel_regularizer is not None


def test_keras1_conv_with_nb_row_keywords():
    with pytest.warns(UserWarning):
        layer = layers.Conv2D(nb_filter=8, nb_row=2, nb_col=4, border_mode="same")
    assert (layer.filters, layer.kernel_size, layer.padding) == (8, (2, 4), "same")


def test_bad_padding_raises_value_error():
    with pytest.raises(ValueError, match="Received: padding='full'"):
        layers.Conv2D(4, 3, padding="full")
    with pytest.raises(ValueError, match="causal"):
        layers.Conv2D(4, 3, padding="causal")
