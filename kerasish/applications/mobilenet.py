"""MobileNet V1 (Howard et al., 2017), with Keras 3's layer names, weight order and weight files."""

import warnings

from kerasish import backend, layers
from kerasish.applications import imagenet_utils

_ALPHA_TEXT = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0", 0.25: "2_5"}
_SIZES = (128, 160, 192, 224)


def MobileNet(input_shape=None, alpha=1.0, depth_multiplier=1, dropout=1e-3, include_top=True,
              weights="imagenet", input_tensor=None, pooling=None, classes=1000,
              classifier_activation="softmax", name=None):
    """Instantiates the MobileNet architecture (default input 224x224, at least 32x32).

    Args:
        input_shape: optional shape tuple; with ImageNet weights a square size of 128, 160, 192 or
            224 picks the matching file.
        alpha: width multiplier of every layer's filters (0.25, 0.5, 0.75 or 1.0 for ImageNet weights).
        depth_multiplier: depth multiplier of the depthwise convolutions (1 for ImageNet weights).
        dropout: dropout rate before the classifier.
        include_top, weights, input_tensor, pooling, classes, classifier_activation: as in `VGG16`.
        name: the model's name; defaults to `mobilenet_{alpha:0.2f}_{rows}`.

    Returns:
        A `Model` instance. Inputs go through `kerasish.applications.mobilenet.preprocess_input`.
    """
    imagenet_utils.check_weights(weights, include_top, classes)
    channels_first = backend.image_data_format() == "channels_first"
    default_size = 224
    if input_shape is not None:
        rows, cols = input_shape[1:3] if channels_first else input_shape[:2]
        default_size = rows if rows == cols and rows in _SIZES else 224
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=32,
                                                    data_format=backend.image_data_format(),
                                                    require_flatten=include_top, weights=weights)
    rows, cols = input_shape[1:3] if channels_first else input_shape[:2]
    if weights == "imagenet":
        rows = _check_imagenet(alpha, depth_multiplier, rows, cols)
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    x = _conv_block(img_input, 32, alpha, strides=(2, 2))
    blocks = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]
    for block_id, (filters, stride) in enumerate(blocks, start=1):
        x = _depthwise_conv_block(x, filters, alpha, depth_multiplier, (stride, stride), block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pool(x, pooling)
    name = f"mobilenet_{alpha:0.2f}_{rows}" if name is None else name
    file_name = f"mobilenet_{_ALPHA_TEXT.get(alpha)}_{rows}_tf{'' if include_top else '_no_top'}.h5"
    # Keras publishes no hashes for these files.
    return imagenet_utils.finish(input_tensor, img_input, x, name, weights, file_name, "mobilenet/", None)


def _check_imagenet(alpha, depth_multiplier, rows, cols):
    if depth_multiplier != 1:
        raise ValueError("If imagenet weights are being loaded, depth multiplier must be 1.  "
                         f"Received depth_multiplier={depth_multiplier}")
    if alpha not in _ALPHA_TEXT:
        raise ValueError("If imagenet weights are being loaded, alpha can be one of`0.25`, `0.50`, `0.75` or "
                         f"`1.0` only.  Received alpha={alpha}")
    if rows != cols or rows not in _SIZES:
        warnings.warn("`input_shape` is undefined or non-square, or `rows` is not in [128, 160, 192, 224]. "
                      "Weights for input shape (224, 224) will be loaded as the default.", stacklevel=3)
        return 224
    return rows


def _conv_block(inputs, filters, alpha, kernel=(3, 3), strides=(1, 1)):
    axis = 1 if backend.image_data_format() == "channels_first" else -1
    x = layers.Conv2D(int(filters * alpha), kernel, padding="same", use_bias=False, strides=strides,
                      name="conv1")(inputs)
    x = layers.BatchNormalization(axis=axis, name="conv1_bn")(x)
    return layers.ReLU(6.0, name="conv1_relu")(x)


def _depthwise_conv_block(inputs, pointwise_filters, alpha, depth_multiplier=1, strides=(1, 1), block_id=1):
    axis = 1 if backend.image_data_format() == "channels_first" else -1
    x = inputs
    if strides != (1, 1):
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D((3, 3), padding="same" if strides == (1, 1) else "valid",
                               depth_multiplier=depth_multiplier, strides=strides, use_bias=False,
                               name=f"conv_dw_{block_id}")(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(int(pointwise_filters * alpha), (1, 1), padding="same", use_bias=False, strides=(1, 1),
                      name=f"conv_pw_{block_id}")(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def preprocess_input(x, data_format=None):
    """TF-style preprocessing: pixels scaled to [-1, 1]."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions: see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
