"""Xception (Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions", CVPR 2017),
with Keras 3's layer names, weight order and weight files."""

from kerasish import backend, layers
from kerasish.applications import imagenet_utils

# md5 of Keras's files (with top, without top), from keras/src/applications/xception.py.
WEIGHTS_HASHES = ("0a58e3b7378bc2990ea3b43d5981f1f6", "b0042744bf5b25fce3cb969f33bebb97")


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
             classes=1000, classifier_activation="softmax", name="xception"):
    """Instantiates the Xception architecture (default input 299x299).

    Args:
        include_top: whether to include the classifier (global average pooling and a dense layer).
        weights: `None` (random initialisation), `"imagenet"` (Keras's published ImageNet weights) or
            the path to a weights file.
        input_tensor: optional Keras tensor (output of `layers.Input()`) to use as the image input.
        input_shape: optional shape tuple, only with `include_top=False` (otherwise `(299, 299, 3)`);
            3 channels, height and width at least 71.
        pooling: with `include_top=False`: `None` (the last 4D feature map), `"avg"` or `"max"`
            (global pooling to a 2D output).
        classes: number of classes, only with `include_top=True` and no `weights`. Defaults to 1000.
        classifier_activation: activation of the top layer, `None` for logits; only `None` or
            `"softmax"` with pretrained weights.
        name: the model's name.

    Returns:
        A `Model` instance. Inputs go through `kerasish.applications.xception.preprocess_input`
        (scaled to [-1, 1]).
    """
    imagenet_utils.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=299, min_size=71,
                                                    data_format=backend.image_data_format(),
                                                    require_flatten=include_top, weights=weights)
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    x = _entry_flow(img_input)
    for i in range(8):  # middle flow
        x = _separable_block(x, (728, 728, 728), f"block{i + 5}", first_relu=True, shortcut="identity")
    x = _separable_block(x, (728, 1024), "block13", first_relu=True, shortcut="conv")
    x = _separable_conv_bn(x, 1536, "block14_sepconv1")
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _separable_conv_bn(x, 2048, "block14_sepconv2")
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pool(x, pooling)  # Keras leaves these poolings unnamed
    file_name = f"xception_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
    file_hash = WEIGHTS_HASHES[0 if include_top else 1]
    return imagenet_utils.finish(input_tensor, img_input, x, name, weights, file_name, "xception/", file_hash)


def _channel_axis():
    return 1 if backend.image_data_format() == "channels_first" else -1


def _entry_flow(img_input):
    axis = _channel_axis()
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=axis, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=axis, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)
    x = _separable_block(x, (128, 128), "block2", first_relu=False, shortcut="conv")
    x = _separable_block(x, (256, 256), "block3", first_relu=True, shortcut="conv")
    return _separable_block(x, (728, 728), "block4", first_relu=True, shortcut="conv")


def _separable_conv_bn(x, filters, name):
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=_channel_axis(), name=f"{name}_bn")(x)


def _separable_block(x, filters, prefix, first_relu, shortcut):
    """Relu + separable conv + batch norm per entry of `filters`, then the shortcut added: `"conv"`
    (a strided 1x1 conv, and a 3x3 max pooling on the main path) or `"identity"`."""
    if shortcut == "conv":
        # Keras leaves the shortcut's layers (and the additions) unnamed: auto names, in this order.
        residual = layers.Conv2D(filters[-1], (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
        residual = layers.BatchNormalization(axis=_channel_axis())(residual)
    else:
        residual = x
    for i, count in enumerate(filters, start=1):
        if i > 1 or first_relu:
            # Keras names block2's only activation `block2_sepconv2_act`, as the counter gives.
            x = layers.Activation("relu", name=f"{prefix}_sepconv{i}_act")(x)
        x = _separable_conv_bn(x, count, f"{prefix}_sepconv{i}")
    if shortcut == "conv":
        x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"{prefix}_pool")(x)
    return layers.add([x, residual])


def preprocess_input(x, data_format=None):
    """TF-style preprocessing: pixels scaled to [-1, 1]."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions: see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
