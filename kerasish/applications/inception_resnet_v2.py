"""InceptionResNetV2 (Szegedy et al., AAAI 2017), with Keras 3's layer names, weight order and weight
files, and its `CustomScaleLayer` under Keras's class name so Keras-written model files load."""

from kerasish import backend, layers
from kerasish.applications import imagenet_utils
from kerasish.applications.inception_v3 import DEFAULT_SIZE, MIN_SIZE, check_weights

# (with top, without top) md5 of Keras's files, from keras/src/applications/inception_resnet_v2.py.
WEIGHTS_HASHES = ("e693bd0210a403b3192acc6073ad2e96", "d19885ff4a710c122648d3b5c3b684e4")
# (block type, count, scale) of the repeated Inception-ResNet stages, between the reductions.
_BLOCK35 = ("block35", 10, 0.17)
_BLOCK17 = ("block17", 20, 0.1)
_BLOCK8 = ("block8", 10, 0.2)


@layers._register_layer_from_above
class CustomScaleLayer(layers.Layer):
    """`inputs[0] + inputs[1] * scale`: the scaled residual sum of an Inception-ResNet block.

    Keras names this class `CustomScaleLayer` in saved files; kerasish reads it under that name.

    Args:
        scale: the factor applied to the residual branch (`inputs[1]`).
    """

    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def get_config(self):
        config = super().get_config()
        config.update({"scale": self.scale})
        return config

    def call(self, inputs):
        return inputs[0] + inputs[1] * self.scale


def InceptionResNetV2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                      classes=1000, classifier_activation="softmax", name="inception_resnet_v2"):
    """Instantiates the Inception-ResNet v2 architecture (default input 299x299, at least 75x75).

    Args:
        include_top: whether to include the fully-connected layer at the top.
        weights: `None` (random initialization), `"imagenet"` (Keras's published file, downloaded
            once into `~/.keras/models`) or the path to a weights file to load.
        input_tensor: optional Keras tensor (output of `layers.Input()`) to use as image input.
        input_shape: optional shape tuple, only to be specified if `include_top` is `False`; width
            and height at least 75, e.g. `(150, 150, 3)`.
        pooling: `None`, `"avg"` or `"max"` global pooling when `include_top` is `False`.
        classes: number of classes, only with `include_top=True` and no `"imagenet"` weights.
        classifier_activation: activation of the "top" layer (`None` returns logits).
        name: the model's name.

    Returns:
        A `Model` instance. Inputs go through
        `kerasish.applications.inception_resnet_v2.preprocess_input` (scaled to [-1, 1]).
    """
    check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=DEFAULT_SIZE, min_size=MIN_SIZE,
                                                    data_format=backend.image_data_format(),
                                                    require_flatten=include_top, weights=weights)
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    x = _stem(img_input)
    x = _repeat(x, *_BLOCK35)
    x = _reduction_a(x)
    x = _repeat(x, *_BLOCK17)
    x = _reduction_b(x)
    x = _repeat(x, *_BLOCK8)
    x = conv2d_bn(x, 1536, 1, name="conv_7b")
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pool(x, pooling)
    file_name = f"inception_resnet_v2_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
    return imagenet_utils.finish(input_tensor, img_input, x, name, weights, file_name, "inception_resnet_v2/",
                                 WEIGHTS_HASHES[0 if include_top else 1])


def conv2d_bn(x, filters, kernel_size, strides=1, padding="same", activation="relu", use_bias=False, name=None):
    """Convolution, then batch norm without scale (only when there is no bias), then `activation`.

    Args:
        x: input tensor.
        filters: filters of the `Conv2D`.
        kernel_size: kernel size of the `Conv2D`.
        strides: strides of the `Conv2D`.
        padding: padding mode of the `Conv2D`.
        activation: activation after the batch norm; `None` for none.
        use_bias: whether the `Conv2D` has a bias (then there is no batch norm).
        name: if given, the layers are `name`, `{name}_bn` and `{name}_ac`; else auto-named.

    Returns:
        The output tensor.
    """
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias, name=name)(x)
    if not use_bias:
        x = layers.BatchNormalization(axis=imagenet_utils.bn_axis(), scale=False,
                                      name=None if name is None else f"{name}_bn")(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


def inception_resnet_block(x, scale, block_type, block_idx, activation="relu"):
    """One Inception-ResNet block: `activation(x + scale * r)`, `r` the residual branch.

    Args:
        x: input tensor.
        scale: factor of the residual branch.
        block_type: `"block35"`, `"block17"` or `"block8"`: the branches of the residual.
        block_idx: the block's index; its named layers start with `{block_type}_{block_idx}`.
        activation: activation after the sum; `None` for none.

    Returns:
        The output tensor.
    """
    if block_type not in _BRANCHES:
        raise ValueError('Unknown Inception-ResNet block type. Expects "block35", "block17" or "block8", '
                         f"but got: {block_type}")
    branches = _BRANCHES[block_type](x)
    block_name = f"{block_type}_{block_idx}"
    axis = imagenet_utils.bn_axis()
    mixed = layers.Concatenate(axis=axis, name=f"{block_name}_mixed")(branches)
    up = conv2d_bn(mixed, x.shape[axis], 1, activation=None, use_bias=True, name=f"{block_name}_conv")
    # Keras leaves the scale layer unnamed (`custom_scale_layer`, `custom_scale_layer_1`, ...).
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


def _branches_35(x):
    branch_0 = conv2d_bn(x, 32, 1)
    branch_1 = conv2d_bn(conv2d_bn(x, 32, 1), 32, 3)
    branch_2 = conv2d_bn(x, 32, 1)
    branch_2 = conv2d_bn(conv2d_bn(branch_2, 48, 3), 64, 3)
    return [branch_0, branch_1, branch_2]


def _branches_factorised(x, mid, out, kernel):
    """block17 (1x7/7x1) and block8 (1x3/3x1): a 1x1 branch and a factorised one."""
    branch_0 = conv2d_bn(x, 192, 1)
    branch_1 = conv2d_bn(x, 128 if kernel == 7 else 192, 1)
    branch_1 = conv2d_bn(branch_1, mid, [1, kernel])
    return [branch_0, conv2d_bn(branch_1, out, [kernel, 1])]


_BRANCHES = {
    "block35": _branches_35,
    "block17": lambda x: _branches_factorised(x, 160, 192, 7),
    "block8": lambda x: _branches_factorised(x, 224, 256, 3),
}


def _repeat(x, block_type, count, scale):
    # The last block8 has no activation and a unit scale, as in Keras.
    last_plain = block_type == "block8"
    for block_idx in range(1, count + 1):
        if last_plain and block_idx == count:
            return inception_resnet_block(x, 1.0, block_type, block_idx, activation=None)
        x = inception_resnet_block(x, scale, block_type, block_idx)
    return x


def _stem(x):
    """Down to 35x35 (at the default size), then mixed_5b."""
    x = conv2d_bn(x, 32, 3, strides=2, padding="valid")
    x = conv2d_bn(x, 32, 3, padding="valid")
    x = conv2d_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = conv2d_bn(x, 80, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)
    branch_0 = conv2d_bn(x, 96, 1)
    branch_1 = conv2d_bn(conv2d_bn(x, 48, 1), 64, 5)
    branch_2 = conv2d_bn(x, 64, 1)
    branch_2 = conv2d_bn(conv2d_bn(branch_2, 96, 3), 96, 3)
    branch_pool = layers.AveragePooling2D(3, strides=1, padding="same")(x)
    branch_pool = conv2d_bn(branch_pool, 64, 1)
    branches = [branch_0, branch_1, branch_2, branch_pool]
    return layers.Concatenate(axis=imagenet_utils.bn_axis(), name="mixed_5b")(branches)


def _reduction_a(x):
    """mixed_6a: down to 17x17."""
    branch_0 = conv2d_bn(x, 384, 3, strides=2, padding="valid")
    branch_1 = conv2d_bn(conv2d_bn(x, 256, 1), 256, 3)
    branch_1 = conv2d_bn(branch_1, 384, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    return layers.Concatenate(axis=imagenet_utils.bn_axis(), name="mixed_6a")([branch_0, branch_1, branch_pool])


def _reduction_b(x):
    """mixed_7a: down to 8x8."""
    branch_0 = conv2d_bn(conv2d_bn(x, 256, 1), 384, 3, strides=2, padding="valid")
    branch_1 = conv2d_bn(conv2d_bn(x, 256, 1), 288, 3, strides=2, padding="valid")
    branch_2 = conv2d_bn(conv2d_bn(x, 256, 1), 288, 3)
    branch_2 = conv2d_bn(branch_2, 320, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    branches = [branch_0, branch_1, branch_2, branch_pool]
    return layers.Concatenate(axis=imagenet_utils.bn_axis(), name="mixed_7a")(branches)


def preprocess_input(x, data_format=None):
    """Scales input pixels from [0, 255] to [-1, 1] (`imagenet_utils.preprocess_input`, mode "tf")."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions: see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
