"""EfficientNetV2 B0-B3, S, M, L (Tan & Le, ICML 2021), with Keras 3's layer names, weight order and
weight files."""

import copy
import math

from kerasish import backend, initializers, layers
from kerasish.applications import imagenet_utils

# md5 of Keras's published files: (with top, without top), keyed by Keras's `weights_name`.
WEIGHTS_HASHES = {
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}

_KEYS = ("kernel_size", "num_repeat", "input_filters", "output_filters", "expand_ratio", "se_ratio",
         "strides", "conv_type")
# One row per stage, in `_KEYS` order; conv_type 1 is a FusedMBConv stage, 0 an MBConv stage.
_B = [(3, 1, 32, 16, 1, 0, 1, 1), (3, 2, 16, 32, 4, 0, 2, 1), (3, 2, 32, 48, 4, 0, 2, 1),
      (3, 3, 48, 96, 4, 0.25, 2, 0), (3, 5, 96, 112, 6, 0.25, 1, 0), (3, 8, 112, 192, 6, 0.25, 2, 0)]
_S = [(3, 2, 24, 24, 1, 0, 1, 1), (3, 4, 24, 48, 4, 0, 2, 1), (3, 4, 48, 64, 4, 0, 2, 1),
      (3, 6, 64, 128, 4, 0.25, 2, 0), (3, 9, 128, 160, 6, 0.25, 1, 0), (3, 15, 160, 256, 6, 0.25, 2, 0)]
_M = [(3, 3, 24, 24, 1, 0, 1, 1), (3, 5, 24, 48, 4, 0, 2, 1), (3, 5, 48, 80, 4, 0, 2, 1),
      (3, 7, 80, 160, 4, 0.25, 2, 0), (3, 14, 160, 176, 6, 0.25, 1, 0), (3, 18, 176, 304, 6, 0.25, 2, 0),
      (3, 5, 304, 512, 6, 0.25, 1, 0)]
_L = [(3, 4, 32, 32, 1, 0, 1, 1), (3, 7, 32, 64, 4, 0, 2, 1), (3, 7, 64, 96, 4, 0, 2, 1),
      (3, 10, 96, 192, 4, 0.25, 2, 0), (3, 19, 192, 224, 6, 0.25, 1, 0), (3, 25, 224, 384, 6, 0.25, 2, 0),
      (3, 7, 384, 640, 6, 0.25, 1, 0)]
DEFAULT_BLOCKS_ARGS = {f"efficientnetv2-{key}": [dict(zip(_KEYS, row)) for row in rows]
                       for key, rows in (("s", _S), ("m", _M), ("l", _L), ("b0", _B), ("b1", _B), ("b2", _B),
                                         ("b3", _B))}

CONV_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                           "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"}}
DENSE_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                            "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"}}


def round_filters(filters, width_coefficient, min_depth, depth_divisor):
    """Filters scaled by `width_coefficient`, rounded to a multiple of `depth_divisor`."""
    filters *= width_coefficient
    minimum_depth = min_depth or depth_divisor
    return int(max(minimum_depth, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor))


def round_repeats(repeats, depth_coefficient):
    """Repeats scaled by `depth_coefficient`, rounded up."""
    return int(math.ceil(depth_coefficient * repeats))


def _bn(x, bn_momentum, name):
    return layers.BatchNormalization(axis=imagenet_utils.bn_axis(), momentum=bn_momentum, name=name)(x)


def _conv(x, filters, kernel_size, strides, name):
    return layers.Conv2D(filters, kernel_size=kernel_size, strides=strides, padding="same", use_bias=False,
                         kernel_initializer=CONV_KERNEL_INITIALIZER, name=name)(x)


def _squeeze_excite(x, filters, input_filters, se_ratio, activation, name):
    """Channel attention: global average, reduce, expand, sigmoid gate on `x`."""
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se_shape = (filters, 1, 1) if imagenet_utils.bn_axis() == 1 else (1, 1, filters)
    se = layers.Reshape(se_shape, name=f"{name}se_reshape")(se)
    se = layers.Conv2D(max(1, int(input_filters * se_ratio)), 1, padding="same", activation=activation,
                       kernel_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", kernel_initializer=CONV_KERNEL_INITIALIZER,
                       name=f"{name}se_expand")(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name):
    """Adds the block's input back when shapes allow; Keras's `survival_probability` is the drop rate."""
    if strides != 1 or input_filters != output_filters:
        return x
    if survival_probability:
        x = layers.Dropout(survival_probability, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
    return layers.add([x, inputs], name=f"{name}add")


def MBConvBlock(input_filters, output_filters, expand_ratio=1, kernel_size=3, strides=1, se_ratio=0.0,
                bn_momentum=0.9, activation="swish", survival_probability=0.8, name=None):
    """Mobile inverted bottleneck: 1x1 expansion, depthwise conv, squeeze-excite, 1x1 projection.

    Returns a function applying the block to a tensor, as in Keras.
    """
    name = backend.get_uid("block0") if name is None else name

    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = _bn(_conv(x, filters, 1, 1, f"{name}expand_conv"), bn_momentum, f"{name}expand_bn")
            x = layers.Activation(activation, name=f"{name}expand_activation")(x)
        x = layers.DepthwiseConv2D(kernel_size=kernel_size, strides=strides, padding="same", use_bias=False,
                                   depthwise_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}dwconv2")(x)
        x = layers.Activation(activation, name=f"{name}activation")(_bn(x, bn_momentum, f"{name}bn"))
        if 0 < se_ratio <= 1:
            x = _squeeze_excite(x, filters, input_filters, se_ratio, activation, name)
        x = _bn(_conv(x, output_filters, 1, 1, f"{name}project_conv"), bn_momentum, f"{name}project_bn")
        return _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name)

    return apply


def FusedMBConvBlock(input_filters, output_filters, expand_ratio=1, kernel_size=3, strides=1, se_ratio=0.0,
                     bn_momentum=0.9, activation="swish", survival_probability=0.8, name=None):
    """MBConv with the expansion and depthwise convolutions fused into one full convolution.

    Returns a function applying the block to a tensor, as in Keras.
    """
    name = backend.get_uid("block0") if name is None else name

    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = _bn(_conv(x, filters, kernel_size, strides, f"{name}expand_conv"), bn_momentum, f"{name}expand_bn")
            x = layers.Activation(activation, name=f"{name}expand_activation")(x)
        if 0 < se_ratio <= 1:
            x = _squeeze_excite(x, filters, input_filters, se_ratio, activation, name)
        # Without expansion the projection is the block's only (strided, k x k) convolution.
        fused = expand_ratio == 1
        x = _conv(x, output_filters, kernel_size if fused else 1, strides if fused else 1, f"{name}project_conv")
        x = _bn(x, bn_momentum, f"{name}project_bn")
        if fused:
            x = layers.Activation(activation, name=f"{name}project_activation")(x)
        return _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name)

    return apply


def EfficientNetV2(width_coefficient, depth_coefficient, default_size, dropout_rate=0.2, drop_connect_rate=0.2,
                   depth_divisor=8, min_depth=8, bn_momentum=0.9, activation="swish", blocks_args="default",
                   name="efficientnetv2", include_top=True, weights="imagenet", input_tensor=None,
                   input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
                   include_preprocessing=True, weights_name=None):
    """Instantiates an EfficientNetV2 network from its scaling coefficients.

    Args:
        width_coefficient: scaling coefficient of the network's width (filters).
        depth_coefficient: scaling coefficient of the network's depth (block repeats).
        default_size: default input image size.
        dropout_rate: dropout rate before the classifier.
        drop_connect_rate: largest drop rate of the residual branches (grows linearly with depth).
        depth_divisor: filters are rounded to a multiple of this.
        min_depth: minimum number of filters.
        bn_momentum: momentum of the batch normalization layers.
        activation: activation of the blocks.
        blocks_args: `"default"` (the stages of `weights_name`'s variant, else of `name`'s) or a list
            of dicts with the keys of `DEFAULT_BLOCKS_ARGS`'s entries.
        name: the model's name.
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
        include_preprocessing: as in `EfficientNetV2B0`.
        weights_name: the variant's key in `WEIGHTS_HASHES` (`"b0"`..`"b3"`, `"-s"`, `"-m"`, `"-l"`).

    Returns:
        A `Model` instance.
    """
    # Keras keys the default stages, the preprocessing and the weight file on `name`, so a custom
    # name breaks them there; here they follow the variant (`weights_name`), and the name is just a name.
    variant = f"efficientnetv2-{weights_name.lstrip('-')}" if weights_name else name
    if blocks_args == "default":
        if variant not in DEFAULT_BLOCKS_ARGS:
            raise ValueError("`blocks_args='default'` needs a Keras variant: `weights_name` one of "
                             f"{sorted(WEIGHTS_HASHES)} or `name` one of {sorted(DEFAULT_BLOCKS_ARGS)}. "
                             f"Received: name={name}, weights_name={weights_name}")
        blocks_args = DEFAULT_BLOCKS_ARGS[variant]
    imagenet_utils.check_weights(weights, include_top, classes)
    if weights == "imagenet" and weights_name not in WEIGHTS_HASHES:
        raise ValueError("ImageNet weights exist only for Keras's variants (`weights_name` one of "
                         f"{sorted(WEIGHTS_HASHES)}). Received: weights_name={weights_name}")
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=32,
                                                    data_format=backend.image_data_format(),
                                                    require_flatten=include_top, weights=weights)
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    x = img_input
    if include_preprocessing:
        x = _preprocessing(x, input_shape, variant.split("-")[-1].startswith("b"))
    width = dict(width_coefficient=width_coefficient, min_depth=min_depth, depth_divisor=depth_divisor)
    x = _conv(x, round_filters(blocks_args[0]["input_filters"], **width), 3, 2, "stem_conv")
    x = layers.Activation(activation, name="stem_activation")(_bn(x, bn_momentum, "stem_bn"))
    x = _stages(x, blocks_args, width, depth_coefficient, drop_connect_rate, bn_momentum, activation)
    x = _conv(x, round_filters(1280, **width), 1, 1, "top_conv")
    x = layers.Activation(activation, name="top_activation")(_bn(x, bn_momentum, "top_bn"))
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, kernel_initializer=DENSE_KERNEL_INITIALIZER,
                         bias_initializer=initializers.Constant(0.0), name="predictions")(x)
    else:
        x = imagenet_utils.pool(x, pooling, avg_name="avg_pool", max_name="max_pool")
    file_name = f"{variant}{'.h5' if include_top else '_notop.h5'}"
    file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1] if weights == "imagenet" else None
    return imagenet_utils.finish(input_tensor, img_input, x, name, weights, file_name, "efficientnet_v2/",
                                 file_hash)


def _preprocessing(x, input_shape, bx_variant):
    """[0, 255] pixels to the network's range: ImageNet mean/std for the B variants (on 3 channels),
    else [-1, 1]."""
    axis = imagenet_utils.bn_axis()
    if bx_variant and input_shape[axis - 1] == 3:
        x = layers.Rescaling(scale=1.0 / 255)(x)
        return layers.Normalization(mean=[0.485, 0.456, 0.406], variance=[0.229**2, 0.224**2, 0.225**2],
                                    axis=axis)(x)
    return layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)


def _stages(x, blocks_args, width, depth_coefficient, drop_connect_rate, bn_momentum, activation):
    """The blocks, named `block{stage}{letter}_`; the drop rate grows linearly over all blocks."""
    blocks_args = copy.deepcopy(blocks_args)
    total = float(sum(args["num_repeat"] for args in blocks_args))
    b = 0
    for i, args in enumerate(blocks_args):
        if args["num_repeat"] <= 0:
            raise ValueError("The number of repeats in `EfficientNetV2` must be > 0. "
                             f"Received: num_repeat={args['num_repeat']}")
        args["input_filters"] = round_filters(args["input_filters"], **width)
        args["output_filters"] = round_filters(args["output_filters"], **width)
        conv_type = args.pop("conv_type")
        if conv_type not in (0, 1):
            raise ValueError("`conv_type` must be 0 (MBConv) or 1 (FusedMBConv). "
                             f"Received: conv_type={conv_type}")
        block = FusedMBConvBlock if conv_type == 1 else MBConvBlock
        for j in range(round_repeats(args.pop("num_repeat"), depth_coefficient)):
            if j > 0:  # only a stage's first block changes stride and width
                args["strides"] = 1
                args["input_filters"] = args["output_filters"]
            x = block(activation=activation, bn_momentum=bn_momentum,
                      survival_probability=drop_connect_rate * b / total, name=f"block{i + 1}{chr(j + 97)}_",
                      **args)(x)
            b += 1
    return x


def _variant(width_coefficient, depth_coefficient, default_size, weights_name):
    def build(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
              classes=1000, classifier_activation="softmax", include_preprocessing=True,
              name=f"efficientnetv2-{weights_name.lstrip('-')}"):
        return EfficientNetV2(width_coefficient, depth_coefficient, default_size, name=name,
                              include_top=include_top, weights=weights, input_tensor=input_tensor,
                              input_shape=input_shape, pooling=pooling, classes=classes,
                              classifier_activation=classifier_activation,
                              include_preprocessing=include_preprocessing, weights_name=weights_name)

    function = f"EfficientNetV2{weights_name.lstrip('-').upper()}"
    build.__name__ = build.__qualname__ = function
    build.__module__ = __name__
    build.__doc__ = _DOC.format(name=function, size=default_size)
    return build


_DOC = """Instantiates the {name} architecture (default input {size}x{size}, at least 32x32).

    Preprocessing is part of the model by default: it takes float pixels in [0, 255]
    (`preprocess_input` passes them through). With `include_preprocessing=False` it takes pixels in
    [-1, 1].

    Args:
        include_top: whether to include the classifier (average pooling, dropout, dense) at the top.
        weights: `None` (random initialization), `"imagenet"` (Keras's published file, downloaded
            once into `~/.keras/models`) or the path to a weights file to load.
        input_tensor: optional Keras tensor (output of `layers.Input()`) to use as image input.
        input_shape: optional shape tuple, only to be specified if `include_top` is `False`
            (otherwise it has to be `({size}, {size}, 3)` with `weights="imagenet"`).
        pooling: `None`, `"avg"` or `"max"` global pooling when `include_top` is `False`.
        classes: number of classes, only with `include_top=True` and no `"imagenet"` weights.
        classifier_activation: activation of the "top" layer (`None` returns logits); only `None`
            or `"softmax"` with pretrained weights.
        include_preprocessing: whether the model starts with its preprocessing layers (`Rescaling`,
            and for the B variants on 3 channels, `Normalization` with ImageNet's mean and std).
        name: the model's name.

    Returns:
        A `Model` instance.
    """

EfficientNetV2B0 = _variant(1.0, 1.0, 224, "b0")
EfficientNetV2B1 = _variant(1.0, 1.1, 240, "b1")
EfficientNetV2B2 = _variant(1.1, 1.2, 260, "b2")
EfficientNetV2B3 = _variant(1.2, 1.4, 300, "b3")
EfficientNetV2S = _variant(1.0, 1.0, 384, "-s")
EfficientNetV2M = _variant(1.0, 1.0, 480, "-m")
EfficientNetV2L = _variant(1.0, 1.0, 480, "-l")


def preprocess_input(x, data_format=None):
    """A pass-through, kept for API compatibility: EfficientNetV2 models preprocess inside.

    Args:
        x: a floating point NumPy array or tensor.
        data_format: unused; accepted as in Keras.

    Returns:
        `x`, unchanged.
    """
    return x


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions: see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
