"""MobileNetV3 Small and Large (Howard et al., ICCV 2019), with Keras 3's layer names (auto-named
activations included), weight order and weight files."""

import warnings

from kerasish import backend, layers
from kerasish.applications import imagenet_utils

# md5 of Keras's published files: (with top, without top), keyed like the file names.
_HASHES = {
    "large_224_0.75_float": ("765b44a33ad4005b3ac83185abf1d0eb", "40af19a13ebea4e2ee0c676887f69a2e"),
    "large_224_1.0_float": ("59e551e166be033d707958cf9e29a6a7", "07fb09a5933dd0c8eaafa16978110389"),
    "large_minimalistic_224_1.0_float": ("675e7b876c45c57e9e63e6d90a36599c",
                                         "ec5221f64a2f6d1ef965a614bdae7973"),
    "small_224_0.75_float": ("cb65d4e5be93758266aa0a7f2c6708b7", "ebdb5cc8e0b497cd13a7c275d475c819"),
    "small_224_1.0_float": ("8768d4c2e7dee89b9d02b2d03d65d862", "d3e8ec802a04aa4fc771ee12a9a9b836"),
    "small_minimalistic_224_1.0_float": ("99cd97fb2fcdad2bf028eb838de69e37",
                                         "cde8136e733e811080d9fcd8a252f7e4"),
}

# One row per inverted residual block: (expansion, filters, kernel, stride, squeeze-excite, activation).
# kernel "k" is 5 (3 when minimalistic); activation "hs" is hard-swish (ReLU when minimalistic);
# squeeze-excite blocks have none when minimalistic. Expansions are written as Keras computes them.
_SMALL = [(1, 16, 3, 2, True, "relu"), (72.0 / 16, 24, 3, 2, False, "relu"), (88.0 / 24, 24, 3, 1, False, "relu"),
          (4, 40, "k", 2, True, "hs"), (6, 40, "k", 1, True, "hs"), (6, 40, "k", 1, True, "hs"),
          (3, 48, "k", 1, True, "hs"), (3, 48, "k", 1, True, "hs"), (6, 96, "k", 2, True, "hs"),
          (6, 96, "k", 1, True, "hs"), (6, 96, "k", 1, True, "hs")]
_LARGE = [(1, 16, 3, 1, False, "relu"), (4, 24, 3, 2, False, "relu"), (3, 24, 3, 1, False, "relu"),
          (3, 40, "k", 2, True, "relu"), (3, 40, "k", 1, True, "relu"), (3, 40, "k", 1, True, "relu"),
          (6, 80, 3, 2, False, "hs"), (2.5, 80, 3, 1, False, "hs"), (2.3, 80, 3, 1, False, "hs"),
          (2.3, 80, 3, 1, False, "hs"), (6, 112, 3, 1, True, "hs"), (6, 112, 3, 1, True, "hs"),
          (6, 160, "k", 2, True, "hs"), (6, 160, "k", 1, True, "hs"), (6, 160, "k", 1, True, "hs")]


def MobileNetV3Small(input_shape=None, alpha=1.0, minimalistic=False, include_top=True, weights="imagenet",
                     input_tensor=None, classes=1000, pooling=None, dropout_rate=0.2,
                     classifier_activation="softmax", include_preprocessing=True, name="MobileNetV3Small"):
    """Instantiates the MobileNetV3Small architecture (any input of at least 32x32; ImageNet at 224).

    Args:
        input_shape: optional shape tuple, e.g. `(160, 160, 3)`; defaults to `(None, None, 3)` (or the
            shape of `input_tensor`, which it must match when both are given).
        alpha: width multiplier of every block's filters (ImageNet weights exist for `0.75` and
            `1.0`, and `1.0` when `minimalistic`). Defaults to `1.0`.
        minimalistic: drop squeeze-and-excite units, hard-swish and 5x5 kernels (faster on GPUs and
            DSPs). Defaults to `False`.
        include_top: whether to include the classifier. Defaults to `True`.
        weights: `None`, `"imagenet"` or the path of a weights file. Defaults to `"imagenet"`.
        input_tensor: optional Keras tensor (output of `layers.Input()`) to use as the image input.
        classes: number of classes, with `include_top` and no pretrained weights. Defaults to `1000`.
        pooling: `None`, `"avg"` or `"max"`: the head when `include_top=False`.
        dropout_rate: dropout rate before the logits. Defaults to `0.2`.
        classifier_activation: activation of the top layer (`None` or `"softmax"` with pretrained
            weights). Defaults to `"softmax"`.
        include_preprocessing: whether the model starts with a `Rescaling` layer mapping pixels in
            [0, 255] to [-1, 1]; without it, inputs are expected in [-1, 1]. Defaults to `True`.
        name: the model's name. Defaults to `"MobileNetV3Small"`.

    Returns:
        A `Model` instance.

    Example:

    ```python
    model = kerasish.applications.MobileNetV3Small(weights=None, input_shape=(96, 96, 3), classes=10)
    ```
    """
    return _mobilenet_v3(_SMALL, 1024, "small", input_shape, alpha, minimalistic, include_top, weights,
                         input_tensor, classes, pooling, dropout_rate, classifier_activation,
                         include_preprocessing, name)


def MobileNetV3Large(input_shape=None, alpha=1.0, minimalistic=False, include_top=True, weights="imagenet",
                     input_tensor=None, classes=1000, pooling=None, dropout_rate=0.2,
                     classifier_activation="softmax", include_preprocessing=True, name="MobileNetV3Large"):
    """Instantiates the MobileNetV3Large architecture (any input of at least 32x32; ImageNet at 224).

    Args: as in `MobileNetV3Small`; `name` defaults to `"MobileNetV3Large"`.

    Returns:
        A `Model` instance.

    Example:

    ```python
    base = kerasish.applications.MobileNetV3Large(weights=None, include_top=False, pooling="avg")
    ```
    """
    return _mobilenet_v3(_LARGE, 1280, "large", input_shape, alpha, minimalistic, include_top, weights,
                         input_tensor, classes, pooling, dropout_rate, classifier_activation,
                         include_preprocessing, name)


def _mobilenet_v3(blocks, last_point_ch, model_type, input_shape, alpha, minimalistic, include_top, weights,
                  input_tensor, classes, pooling, dropout_rate, classifier_activation, include_preprocessing,
                  name):
    imagenet_utils.check_weights(weights, include_top, classes)
    input_shape = _input_shape(input_shape, input_tensor)
    if weights == "imagenet":
        _check_imagenet(input_shape, alpha, minimalistic)
    img_input = input_tensor if input_tensor is not None else layers.Input(shape=input_shape)
    axis = 1 if backend.image_data_format() == "channels_first" else -1
    activation = _relu if minimalistic else _hard_swish
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=1e-3, momentum=0.999, name="conv_bn")(x)
    x = activation(x)
    for block_id, (expansion, filters, kernel, stride, se, act) in enumerate(blocks):
        x = _inverted_res_block(x, expansion, _depth(filters * alpha), 3 if minimalistic or kernel == 3 else 5,
                                stride, 0.25 if se and not minimalistic else None,
                                activation if act == "hs" else _relu, block_id)
    last_conv_ch = _depth(x.shape[axis] * 6)
    if alpha > 1.0:  # wider models widen the head too
        last_point_ch = _depth(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False, name="conv_1")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=1e-3, momentum=0.999, name="conv_1_bn")(x)
    x = activation(x)
    if include_top:
        x = _top(x, last_point_ch, activation, dropout_rate, classes, classifier_activation, weights)
    else:
        x = imagenet_utils.pool(x, pooling, avg_name="avg_pool", max_name="max_pool")
    model_name = f"{model_type}{'_minimalistic' if minimalistic else ''}_224_{float(alpha)}_float"
    file_name = f"weights_mobilenet_v3_{model_name}{'.h5' if include_top else '_no_top_v2.h5'}"
    file_hash = _HASHES.get(model_name, (None, None))[0 if include_top else 1]
    return imagenet_utils.finish(input_tensor, img_input, x, name, weights, file_name, "mobilenet_v3/",
                                 file_hash)


def _input_shape(input_shape, input_tensor):
    """Keras's rules: the shape of `input_tensor` when none is given, else `(None, None, 3)`."""
    channels_first = backend.image_data_format() == "channels_first"
    if input_tensor is not None:
        if not backend.is_keras_tensor(input_tensor):
            raise ValueError("`input_tensor` must be a Keras tensor (the output of `layers.Input()`). "
                             f"Received: input_tensor of type {type(input_tensor).__name__}")
        tensor_shape = tuple(input_tensor.shape[1:])
        if input_shape is None:
            input_shape = tensor_shape
        elif tuple(input_shape) != tensor_shape:
            # Keras raises on a mismatch too; the tensor would win and `input_shape` be ignored.
            raise ValueError("`input_shape` must match the shape of `input_tensor`. Received: "
                             f"input_shape={input_shape}, input_tensor.shape={input_tensor.shape}")
    if input_shape is None:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    if len(input_shape) != 3:
        raise ValueError(f"`input_shape` must be a tuple of three integers. Received: input_shape={input_shape}")
    rows, cols = input_shape[1:3] if channels_first else input_shape[:2]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(f"Input size must be at least 32x32; Received: input_shape={input_shape}")
    return tuple(input_shape)


def _check_imagenet(input_shape, alpha, minimalistic):
    if alpha not in ((1.0,) if minimalistic else (0.75, 1.0)):
        raise ValueError("If imagenet weights are being loaded, alpha can be one of `0.75`, `1.0` for non "
                         f"minimalistic or `1.0` for minimalistic only. Received: alpha={alpha}, "
                         f"minimalistic={minimalistic}")
    rows, cols = input_shape[1:3] if backend.image_data_format() == "channels_first" else input_shape[:2]
    if rows != cols or rows != 224:
        # The weights fit any size (the network is fully convolutional); Keras only warns.
        warnings.warn("`input_shape` is undefined or non-square, or `rows` is not 224. Weights for input shape "
                      "(224, 224) will be loaded as the default.", stacklevel=4)


def _top(x, last_point_ch, activation, dropout_rate, classes, classifier_activation, weights):
    """Keras's classifier: 1x1 convolutions on the pooled features, then flattened."""
    x = layers.GlobalAveragePooling2D(keepdims=True)(x)
    x = layers.Conv2D(last_point_ch, kernel_size=1, padding="same", use_bias=True, name="conv_2")(x)
    x = activation(x)
    if dropout_rate > 0:
        x = layers.Dropout(dropout_rate)(x)
    x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
    x = layers.Flatten()(x)
    imagenet_utils.validate_activation(classifier_activation, weights)
    return layers.Activation(activation=classifier_activation, name="predictions")(x)


def _relu(x):
    return layers.ReLU()(x)


def _hard_sigmoid(x):
    # Written with ops on the symbolic tensor, as Keras does: the graph (an `add` node, an
    # auto-named ReLU, a `multiply` node) and its auto-names then match Keras's.
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def _hard_swish(x):
    return layers.Activation("hard_swish")(x)


def _depth(v, divisor=8, min_value=None):
    """`v` rounded to a multiple of `divisor`, never down by more than 10%."""
    min_value = divisor if min_value is None else min_value
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def _se_block(inputs, filters, se_ratio, prefix):
    """Squeeze-and-excite: channel weights from the pooled features, gated by a hard sigmoid."""
    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(inputs)
    x = layers.Conv2D(_depth(filters * se_ratio), kernel_size=1, padding="same",
                      name=f"{prefix}squeeze_excite_conv")(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", name=f"{prefix}squeeze_excite_conv_1")(x)
    x = _hard_sigmoid(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, x])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation, block_id):
    """Expand (1x1, not in block 0), depthwise, optional squeeze-excite, project (1x1), residual add."""
    axis = 1 if backend.image_data_format() == "channels_first" else -1
    shortcut = x
    prefix = "expanded_conv_"
    infilters = x.shape[axis]
    if block_id:
        prefix = f"expanded_conv_{block_id}_"
        x = layers.Conv2D(_depth(infilters * expansion), kernel_size=1, padding="same", use_bias=False,
                          name=f"{prefix}expand")(x)
        x = layers.BatchNormalization(axis=axis, epsilon=1e-3, momentum=0.999, name=f"{prefix}expand_bn")(x)
        x = activation(x)
    if stride == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, kernel_size),
                                 name=f"{prefix}depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride, padding="same" if stride == 1 else "valid",
                               use_bias=False, name=f"{prefix}depthwise")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=1e-3, momentum=0.999, name=f"{prefix}depthwise_bn")(x)
    x = activation(x)
    if se_ratio:
        x = _se_block(x, _depth(infilters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", use_bias=False, name=f"{prefix}project")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=1e-3, momentum=0.999, name=f"{prefix}project_bn")(x)
    if stride == 1 and infilters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


def preprocess_input(x, data_format=None):
    """A pass-through, kept for compatibility: the models rescale their own inputs.

    MobileNetV3 models include their preprocessing (a `Rescaling` layer, unless built with
    `include_preprocessing=False`), so they take pixels in [0, 255] as they are.

    Args:
        x: a float NumPy array or tensor.
        data_format: unused; the global `image_data_format()` when `None`.

    Returns:
        `x`, unchanged.
    """
    return x


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions: see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
