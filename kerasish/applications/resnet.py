"""ResNet50/101/152 (He et al., CVPR 2015) and the builder ResNet V2 shares, with Keras 3's layer
names, weight order and weight files."""

from kerasish import backend, layers
from kerasish.applications import imagenet_utils

# (with top, without top) md5 of Keras's files, from keras/src/applications/resnet.py.
WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}
_EPS = 1.001e-5


def ResNet(stack_fn, preact, use_bias, include_top=True, weights="imagenet", input_tensor=None,
           input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet",
           weights_name=None):
    """A ResNet whose residual stages come from `stack_fn(x)`; `preact` selects the V2 layout."""
    imagenet_utils.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=224, min_size=32,
                                                    data_format=backend.image_data_format(),
                                                    require_flatten=include_top, weights=weights)
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    axis = imagenet_utils.bn_axis()
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = layers.BatchNormalization(axis=axis, epsilon=_EPS, name="conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = layers.BatchNormalization(axis=axis, epsilon=_EPS, name="post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pool(x, pooling, "avg_pool", "max_pool")
    file_name = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
    file_hash = WEIGHTS_HASHES.get(weights_name, (None, None))[0 if include_top else 1]
    return imagenet_utils.finish(input_tensor, img_input, x, name, weights, file_name, "resnet/", file_hash)


def residual_block_v1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    """A bottleneck block: 1x1, kxk, 1x1 convolutions, batch norm after each, then the shortcut added."""
    axis = imagenet_utils.bn_axis()
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = layers.BatchNormalization(axis=axis, epsilon=_EPS, name=f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=_EPS, name=f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="SAME", name=f"{name}_2_conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=_EPS, name=f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=_EPS, name=f"{name}_3_bn")(x)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def stack_residual_blocks_v1(x, filters, blocks, stride1=2, name=None):
    """`blocks` V1 blocks; the first one strides by `stride1` and has a convolution shortcut."""
    x = residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def residual_block_v2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    """A pre-activation bottleneck block (batch norm and relu before the convolutions)."""
    axis = imagenet_utils.bn_axis()
    preact = layers.BatchNormalization(axis=axis, epsilon=_EPS, name=f"{name}_preact_bn")(x)
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        # Keras leaves this pooling layer unnamed: its auto name depends on what was built before.
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = layers.BatchNormalization(axis=axis, epsilon=_EPS, name=f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=f"{name}_2_conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=_EPS, name=f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def stack_residual_blocks_v2(x, filters, blocks, stride1=2, name=None):
    """`blocks` V2 blocks; the first has a convolution shortcut, the last strides by `stride1`."""
    x = residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{i}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def _v1(blocks, name, include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation, weights_name):
    def stack_fn(x):
        x = stack_residual_blocks_v1(x, 64, blocks[0], stride1=1, name="conv2")
        for stage, (filters, count) in enumerate(zip((128, 256, 512), blocks[1:]), start=3):
            x = stack_residual_blocks_v1(x, filters, count, name=f"conv{stage}")
        return x

    return ResNet(stack_fn, False, True, include_top, weights, input_tensor, input_shape, pooling, classes,
                  classifier_activation, name, weights_name)


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
             classes=1000, classifier_activation="softmax", name="resnet50"):
    """Instantiates the ResNet50 architecture (default input 224x224, at least 32x32).

    Args:
        include_top: whether to include the fully-connected layer at the top.
        weights: `None` (random initialization), `"imagenet"` (Keras's published file, downloaded
            once into `~/.keras/models`) or the path to a weights file to load.
        input_tensor: optional Keras tensor (output of `layers.Input()`) to use as image input.
        input_shape: optional shape tuple, only to be specified if `include_top` is `False`.
        pooling: `None`, `"avg"` or `"max"` global pooling when `include_top` is `False`.
        classes: number of classes, only with `include_top=True` and no `"imagenet"` weights.
        classifier_activation: activation of the "top" layer (`None` returns logits).
        name: the model's name.

    Returns:
        A `Model` instance. Inputs go through `kerasish.applications.resnet.preprocess_input`.
    """
    return _v1((3, 4, 6, 3), name, include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation, "resnet50")


def ResNet101(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
              classes=1000, classifier_activation="softmax", name="resnet101"):
    """Instantiates the ResNet101 architecture; arguments as `ResNet50`."""
    return _v1((3, 4, 23, 3), name, include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation, "resnet101")


def ResNet152(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
              classes=1000, classifier_activation="softmax", name="resnet152"):
    """Instantiates the ResNet152 architecture; arguments as `ResNet50`."""
    return _v1((3, 8, 36, 3), name, include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation, "resnet152")


def preprocess_input(x, data_format=None):
    """Caffe-style preprocessing: RGB to BGR, then each channel zero-centred on ImageNet."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions: see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
