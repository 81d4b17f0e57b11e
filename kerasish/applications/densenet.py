"""DenseNet121/169/201 (Huang et al., "Densely Connected Convolutional Networks", CVPR 2017), with
Keras 3's layer names, weight order and weight files."""

from kerasish import backend, layers
from kerasish.applications import imagenet_utils

# Dense-block sizes of each published model, and the md5 of Keras's files for it (with top,
# without top), from keras/src/applications/densenet.py.
_BLOCKS = {
    "densenet121": (6, 12, 24, 16),
    "densenet169": (6, 12, 32, 32),
    "densenet201": (6, 12, 48, 32),
}
WEIGHTS_HASHES = {
    "densenet121": ("9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"),
    "densenet169": ("d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"),
    "densenet201": ("1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"),
}
_EPS = 1.001e-5
_GROWTH_RATE = 32


def dense_block(x, blocks, name):
    """`blocks` conv blocks, each concatenating `growth_rate` new channels to its input."""
    for i in range(blocks):
        x = conv_block(x, _GROWTH_RATE, name=f"{name}_block{i + 1}")
    return x


def transition_block(x, reduction, name):
    """Batch norm, relu, a 1x1 convolution keeping `reduction` of the channels, 2x2 average pooling."""
    axis = imagenet_utils.bn_axis()
    x = layers.BatchNormalization(axis=axis, epsilon=_EPS, name=f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    x = layers.Conv2D(int(x.shape[axis] * reduction), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def conv_block(x, growth_rate, name):
    """A bottleneck (1x1 to `4 * growth_rate`, then 3x3 to `growth_rate`) concatenated to `x`."""
    axis = imagenet_utils.bn_axis()
    x1 = layers.BatchNormalization(axis=axis, epsilon=_EPS, name=f"{name}_0_bn")(x)
    x1 = layers.Activation("relu", name=f"{name}_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(x1)
    x1 = layers.BatchNormalization(axis=axis, epsilon=_EPS, name=f"{name}_1_bn")(x1)
    x1 = layers.Activation("relu", name=f"{name}_1_relu")(x1)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(x1)
    return layers.Concatenate(axis=axis, name=f"{name}_concat")([x, x1])


def DenseNet(blocks, include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
             pooling=None, classes=1000, classifier_activation="softmax", name="densenet"):
    """Instantiates a DenseNet with `blocks` conv blocks in its four dense blocks.

    Args:
        blocks: four integers, the number of conv blocks of each dense block.
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
            name: as in `DenseNet121`.

    Returns:
        A `Model` instance. `weights="imagenet"` exists only for the block counts of
        DenseNet121/169/201.
    """
    if backend.image_data_format() == "channels_first":
        raise ValueError("DenseNet does not support the `channels_first` image data format. Switch to "
                         "`channels_last` by editing your local config file at ~/.keras/keras.json. "
                         "Received: image_data_format=channels_first")
    imagenet_utils.check_weights(weights, include_top, classes)
    weights_name = next((key for key, value in _BLOCKS.items() if tuple(blocks) == value), None)
    if weights == "imagenet" and weights_name is None:
        # Keras fails the same way, but only after building the whole model.
        raise ValueError(f"weights_path undefined: no ImageNet weights for these blocks. Received: blocks={blocks}")
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=224, min_size=32,
                                                    data_format=backend.image_data_format(),
                                                    require_flatten=include_top, weights=weights)
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    x = _stem(img_input)
    for stage, count in enumerate(blocks, start=2):
        x = dense_block(x, count, name=f"conv{stage}")
        if stage < 5:
            x = transition_block(x, 0.5, name=f"pool{stage}")
    x = layers.BatchNormalization(axis=imagenet_utils.bn_axis(), epsilon=_EPS, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pool(x, pooling, "avg_pool", "max_pool")
    file_name = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
    file_hash = WEIGHTS_HASHES.get(weights_name, (None, None))[0 if include_top else 1]
    return imagenet_utils.finish(input_tensor, img_input, x, name, weights, file_name, "densenet/", file_hash)


def _stem(img_input):
    # Keras leaves both paddings unnamed: their auto names count from what was built before.
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = layers.BatchNormalization(axis=imagenet_utils.bn_axis(), epsilon=_EPS, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    return layers.MaxPooling2D(3, strides=2, name="pool1")(x)


_ARGS_DOC = """
    Args:
        include_top: whether to include the classifier (global average pooling and a dense layer).
        weights: `None` (random initialisation), `"imagenet"` (Keras's published ImageNet weights) or
            the path to a weights file.
        input_tensor: optional Keras tensor (output of `layers.Input()`) to use as the image input.
        input_shape: optional shape tuple, only with `include_top=False` (otherwise `(224, 224, 3)`);
            3 channels, height and width at least 32.
        pooling: with `include_top=False`: `None` (the last 4D feature map), `"avg"` or `"max"`
            (global pooling to a 2D output).
        classes: number of classes, only with `include_top=True` and no `weights`. Defaults to 1000.
        classifier_activation: activation of the top layer, `None` for logits; only `None` or
            `"softmax"` with pretrained weights.
        name: the model's name.

    Returns:
        A `Model` instance. Inputs go through `kerasish.applications.densenet.preprocess_input`
        (scaled to [0, 1], then normalised per channel on ImageNet). `channels_last` only, as in Keras.
"""


def DenseNet121(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="densenet121"):
    return DenseNet(_BLOCKS["densenet121"], include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name=name)


def DenseNet169(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="densenet169"):
    return DenseNet(_BLOCKS["densenet169"], include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name=name)


def DenseNet201(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="densenet201"):
    return DenseNet(_BLOCKS["densenet201"], include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name=name)


for _fn, _depth in ((DenseNet121, 121), (DenseNet169, 169), (DenseNet201, 201)):
    _fn.__doc__ = f"Instantiates the DenseNet{_depth} architecture (default input 224x224).\n{_ARGS_DOC}"


def preprocess_input(x, data_format=None):
    """Torch-style preprocessing: pixels scaled to [0, 1], then normalised per channel on ImageNet."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions: see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
