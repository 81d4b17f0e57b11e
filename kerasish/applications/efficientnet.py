"""EfficientNetB0 to B7 (Tan & Le, ICML 2019), with Keras 3's layer names, weight order and weight
files. The ImageNet preprocessing (`Rescaling` + `Normalization`) is part of the model, so
`preprocess_input` passes its input through."""

import copy
import math

from kerasish import backend, layers
from kerasish.applications import imagenet_utils
from kerasish.utils import file_utils

# EfficientNet's files live in a bucket of their own, not under `imagenet_utils.WEIGHTS_BASE_URL`.
BASE_WEIGHTS_PATH = "https://storage.googleapis.com/keras-applications/"

# (with top, without top) md5 of Keras's files, from keras/src/applications/efficientnet.py.
WEIGHTS_HASHES = {
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}


def _stage(kernel_size, repeats, filters_in, filters_out, expand_ratio, strides):
    return {"kernel_size": kernel_size, "repeats": repeats, "filters_in": filters_in,
            "filters_out": filters_out, "expand_ratio": expand_ratio, "id_skip": True,
            "strides": strides, "se_ratio": 0.25}


# The seven stages of B0; the other variants scale widths and repeats.
DEFAULT_BLOCKS_ARGS = [_stage(3, 1, 32, 16, 1, 1), _stage(3, 2, 16, 24, 6, 2), _stage(5, 2, 24, 40, 6, 2),
                       _stage(3, 3, 40, 80, 6, 2), _stage(5, 3, 80, 112, 6, 1), _stage(5, 4, 112, 192, 6, 2),
                       _stage(3, 1, 192, 320, 6, 1)]

CONV_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                           "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"}}
DENSE_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                            "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"}}
IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225]

# name: (width_coefficient, depth_coefficient, default_size, dropout_rate)
_VARIANTS = {"b0": (1.0, 1.0, 224, 0.2), "b1": (1.0, 1.1, 240, 0.2), "b2": (1.1, 1.2, 260, 0.3),
             "b3": (1.2, 1.4, 300, 0.3), "b4": (1.4, 1.8, 380, 0.4), "b5": (1.6, 2.2, 456, 0.4),
             "b6": (1.8, 2.6, 528, 0.5), "b7": (2.0, 3.1, 600, 0.5)}


def EfficientNet(width_coefficient, depth_coefficient, default_size, dropout_rate=0.2, drop_connect_rate=0.2,
                 depth_divisor=8, activation="swish", blocks_args="default", name="efficientnet",
                 include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                 classes=1000, classifier_activation="softmax", weights_name=None):
    """Instantiates an EfficientNet scaled by `width_coefficient` and `depth_coefficient`.

    Args:
        width_coefficient: float, multiplier of every layer's filters.
        depth_coefficient: float, multiplier of every stage's repeats.
        default_size: int, the default (and ImageNet) input size.
        dropout_rate: float, dropout before the classifier.
        drop_connect_rate: float, the largest drop-connect rate; block `b` of `n` drops whole
            residual branches with rate `drop_connect_rate * b / n`.
        depth_divisor: int, filters are rounded to multiples of it.
        activation: activation of the convolutions. Defaults to `"swish"`.
        blocks_args: list of per-stage dicts (see `DEFAULT_BLOCKS_ARGS`), or `"default"`.
        name, include_top, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation: as in `EfficientNetB0`.
        weights_name: `"b0"` ... `"b7"`: which ImageNet file `weights="imagenet"` loads.

    Returns:
        A `Model` instance.
    """
    imagenet_utils.check_weights(weights, include_top, classes)
    if weights == "imagenet" and weights_name not in WEIGHTS_HASHES:
        raise ValueError("`weights='imagenet'` needs `weights_name` to be one of "
                         f"{sorted(WEIGHTS_HASHES)}. Received: weights_name={weights_name}")
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=32,
                                                    data_format=backend.image_data_format(),
                                                    require_flatten=include_top, weights=weights)
    img_input = imagenet_utils.image_input(input_tensor, input_shape)

    def round_filters(filters):
        return _round_filters(filters, width_coefficient, depth_divisor)

    x = _stem(img_input, round_filters(32), activation, imagenet=weights == "imagenet")
    x = _blocks(x, DEFAULT_BLOCKS_ARGS if blocks_args == "default" else blocks_args, round_filters,
                depth_coefficient, drop_connect_rate, activation)
    x = layers.Conv2D(round_filters(1280), 1, padding="same", use_bias=False,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, name="top_conv")(x)
    x = layers.BatchNormalization(axis=imagenet_utils.bn_axis(), name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = _classifier(x, dropout_rate, classes, classifier_activation, weights)
    else:
        x = imagenet_utils.pool(x, pooling, "avg_pool", "max_pool")
    model = imagenet_utils.finish(input_tensor, img_input, x, name, None if weights == "imagenet" else weights,
                                  None, None, None)
    if weights == "imagenet":
        # Keras names the file after the model's name; the variant's name keeps a custom `name=` working.
        file_name = f"efficientnet{weights_name}{'.h5' if include_top else '_notop.h5'}"
        path = file_utils.get_file(file_name, BASE_WEIGHTS_PATH + file_name, cache_subdir="models",
                                   file_hash=WEIGHTS_HASHES[weights_name][0 if include_top else 1])
        model.load_weights(path)
    return model


def _classifier(x, dropout_rate, classes, classifier_activation, weights):
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if dropout_rate > 0:
        x = layers.Dropout(dropout_rate, name="top_dropout")(x)
    imagenet_utils.validate_activation(classifier_activation, weights)
    return layers.Dense(classes, activation=classifier_activation, kernel_initializer=DENSE_KERNEL_INITIALIZER,
                        name="predictions")(x)


def _round_filters(filters, width_coefficient, divisor):
    """Filters scaled by the width coefficient, rounded to a multiple of `divisor` (never down by >10%)."""
    filters *= width_coefficient
    new_filters = max(divisor, int(filters + divisor / 2) // divisor * divisor)
    if new_filters < 0.9 * filters:
        new_filters += divisor
    return int(new_filters)


def _stem(img_input, filters, activation, imagenet):
    """Pixels in [0, 255] to ImageNet-normalised values, then the strided 3x3 stem convolution."""
    axis = imagenet_utils.bn_axis()
    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=axis)(x)  # its mean/variance come with the weights
    if imagenet:
        # The published files store the variance as std**2 but the original model divided by the
        # variance itself (tensorflow/tensorflow#49930): one more 1/sqrt(variance) matches it.
        x = layers.Rescaling([1.0 / math.sqrt(stddev) for stddev in IMAGENET_STDDEV_RGB])(x)
    x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(filters, 3, strides=2, padding="valid", use_bias=False,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=axis, name="stem_bn")(x)
    return layers.Activation(activation, name="stem_activation")(x)


def _blocks(x, blocks_args, round_filters, depth_coefficient, drop_connect_rate, activation):
    """The MBConv stages: block `b` of `total` gets drop-connect rate `drop_connect_rate * b / total`."""
    blocks_args = copy.deepcopy(blocks_args)
    for args in blocks_args:
        if args["repeats"] <= 0:
            raise ValueError("The number of repeats in `EfficientNet` must be > 0. "
                             f"Received: repeats={args['repeats']}")
    total = float(sum(math.ceil(depth_coefficient * args["repeats"]) for args in blocks_args))
    b = 0
    for i, args in enumerate(blocks_args):
        args["filters_in"] = round_filters(args["filters_in"])
        args["filters_out"] = round_filters(args["filters_out"])
        for j in range(int(math.ceil(depth_coefficient * args.pop("repeats")))):
            if j > 0:  # only a stage's first block strides and changes the width
                args["strides"] = 1
                args["filters_in"] = args["filters_out"]
            x = block(x, activation, drop_connect_rate * b / total, name=f"block{i + 1}{chr(j + 97)}_", **args)
            b += 1
    return x


def block(inputs, activation="swish", drop_rate=0.0, name="", filters_in=32, filters_out=16, kernel_size=3,
          strides=1, expand_ratio=1, se_ratio=0.0, id_skip=True):
    """An inverted residual (MBConv) block: expand, depthwise, squeeze-excite, project, drop-connect.

    Args:
        inputs: input tensor.
        activation: activation function.
        drop_rate: float in [0, 1), rate at which the whole residual branch of a sample is dropped.
        name: string, prefix of the block's layer names.
        filters_in, filters_out: int, input and output channels.
        kernel_size, strides: of the depthwise convolution.
        expand_ratio: int, channel expansion of the first 1x1 convolution.
        se_ratio: float in (0, 1], squeeze-excite width as a fraction of `filters_in`; 0 skips it.
        id_skip: bool, whether to add the input back when shapes allow.

    Returns:
        The block's output tensor.
    """
    axis = imagenet_utils.bn_axis()
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False, kernel_initializer=CONV_KERNEL_INITIALIZER,
                          name=f"{name}expand_conv")(x)
        x = layers.BatchNormalization(axis=axis, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if strides == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, kernel_size), name=f"{name}dwconv_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding="valid" if strides == 2 else "same",
                               use_bias=False, depthwise_initializer=CONV_KERNEL_INITIALIZER,
                               name=f"{name}dwconv")(x)
    x = layers.BatchNormalization(axis=axis, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = _squeeze_excite(x, filters, max(1, int(filters_in * se_ratio)), activation, name)
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False, kernel_initializer=CONV_KERNEL_INITIALIZER,
                      name=f"{name}project_conv")(x)
    x = layers.BatchNormalization(axis=axis, name=f"{name}project_bn")(x)
    if id_skip and strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            # One draw per sample: the residual branch is dropped whole (stochastic depth).
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def _squeeze_excite(x, filters, filters_se, activation, name):
    """Channel gates from the pooled features: reduce to `filters_se`, expand back, sigmoid, multiply."""
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se_shape = (filters, 1, 1) if imagenet_utils.bn_axis() == 1 else (1, 1, filters)
    se = layers.Reshape(se_shape, name=f"{name}se_reshape")(se)
    se = layers.Conv2D(filters_se, 1, padding="same", activation=activation,
                       kernel_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", kernel_initializer=CONV_KERNEL_INITIALIZER,
                       name=f"{name}se_expand")(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def _variant(key):
    width, depth, size, dropout = _VARIANTS[key]

    def build(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
              classes=1000, classifier_activation="softmax", name=f"efficientnet{key}"):
        return EfficientNet(width, depth, size, dropout, name=name, include_top=include_top, weights=weights,
                            input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                            classifier_activation=classifier_activation, weights_name=key)

    build.__name__ = build.__qualname__ = f"EfficientNet{key.upper()}"
    build.__doc__ = _DOCSTRING.format(name=build.__name__, size=size, width=width, depth=depth,
                                     top=_round_filters(1280, width, 8))
    return build


_DOCSTRING = """Instantiates the {name} architecture (width x{width}, depth x{depth}; default input {size}x{size}).

    The ImageNet preprocessing is part of the model (a `Rescaling` and a `Normalization` layer): it
    takes float pixels in [0, 255], and `efficientnet.preprocess_input` passes its input through.

    Args:
        include_top: whether to include the classifier. Defaults to `True`.
        weights: `None` (random initialisation), `"imagenet"` (Keras's published file) or the path
            to a weights file. Defaults to `"imagenet"`.
        input_tensor: optional Keras tensor to use as the image input.
        input_shape: optional shape tuple (at least 32x32, 3 channels with ImageNet weights); only
            `({size}, {size}, 3)` with ImageNet weights and the classifier.
        pooling: with `include_top=False`, `None` (4D output), `"avg"` or `"max"`.
        classes: number of classes of the classifier. Defaults to `1000`.
        classifier_activation: activation of the classifier; only `None` or `"softmax"` with
            pretrained weights. Defaults to `"softmax"`.
        name: the model's name.

    Returns:
        A `Model` instance.

    Example:

    >>> model = EfficientNetB0(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape
    (None, {top})
    """

EfficientNetB0 = _variant("b0")
EfficientNetB1 = _variant("b1")
EfficientNetB2 = _variant("b2")
EfficientNetB3 = _variant("b3")
EfficientNetB4 = _variant("b4")
EfficientNetB5 = _variant("b5")
EfficientNetB6 = _variant("b6")
EfficientNetB7 = _variant("b7")


def preprocess_input(x, data_format=None):
    """Returns `x` unchanged: EfficientNet models normalise their inputs themselves.

    Kept so code written for the other applications runs; `data_format` is accepted and unused.
    """
    return x


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions: see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
