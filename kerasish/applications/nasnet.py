"""NASNet-A (Zoph et al., CVPR 2018): the generic `NASNet` builder, `NASNetMobile` and `NASNetLarge`, with
Keras 3's cell layer names, weight order and weight files."""

import os

from kerasish import backend, layers
from kerasish.applications import imagenet_utils
from kerasish.models import Model
from kerasish.utils import data_utils, file_utils

# default_size -> ((cache name, published name, md5) with the top, (...) without it).
_WEIGHTS = {
    224: (("nasnet_mobile.h5", "NASNet-mobile.h5", "020fb642bf7360b370c678b08e0adf61"),
          ("nasnet_mobile_no_top.h5", "NASNet-mobile-no-top.h5", "1ed92395b5b598bdda52abe5c0dbfd63")),
    331: (("nasnet_large.h5", "NASNet-large.h5", "11577c9a518f0070763c2b964a382f17"),
          ("nasnet_large_no_top.h5", "NASNet-large-no-top.h5", "d81d89dc07e6e56530c4e77faddd61b5")),
}


def NASNet(input_shape=None, penultimate_filters=4032, num_blocks=6, stem_block_filters=96, skip_reduction=True,
           filter_multiplier=2, include_top=True, weights="imagenet", input_tensor=None, pooling=None,
           classes=1000, default_size=None, classifier_activation="softmax", name="NASNet"):
    """Instantiates a NASNet-A model, written `NASNet (N @ P)` in the paper: N = `num_blocks` normal
    cells per stage, P = `penultimate_filters`. Only the `channels_last` data format is supported.

    Args:
        input_shape: optional shape tuple, at least 32x32 with 3 channels; with ImageNet weights it
            must be static (no `None`).
        penultimate_filters: filters of the penultimate layer; a multiple of
            `24 * filter_multiplier ** 2`. Defaults to `4032`.
        num_blocks: normal cells repeated in each of the three stages. Defaults to `6`.
        stem_block_filters: filters of the first convolution. Defaults to `96`.
        skip_reduction: whether the cell after a reduction cell sees the reduction's input (`False`)
            or the input of the cell before it (`True`) as its previous path. Defaults to `True`.
        filter_multiplier: width growth per stage. Defaults to `2`.
        include_top, weights, input_tensor, pooling, classes, classifier_activation: as in `VGG16`.
        default_size: the default image size (224 picks NASNetMobile's ImageNet files, 331
            NASNetLarge's). Defaults to `331`.
        name: the model's name. Defaults to `"NASNet"`.

    Returns:
        A `Model` instance. Inputs go through `kerasish.applications.nasnet.preprocess_input`.
    """
    _check_arguments(input_shape, weights, include_top, classes)
    default_size = 331 if default_size is None else default_size
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=32,
                                                    data_format=backend.image_data_format(),
                                                    require_flatten=include_top, weights=weights)
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    if penultimate_filters % (24 * (filter_multiplier ** 2)) != 0:
        raise ValueError("For NASNet-A models, the `penultimate_filters` must be a multiple of 24 * "
                         f"(`filter_multiplier` ** 2). Current value: {penultimate_filters}. Received: "
                         f"penultimate_filters={penultimate_filters}, filter_multiplier={filter_multiplier}")
    filters = penultimate_filters // 24
    x = layers.Conv2D(stem_block_filters, (3, 3), strides=(2, 2), padding="valid", use_bias=False,
                      name="stem_conv1", kernel_initializer="he_normal")(img_input)
    x = _bn("stem_bn1")(x)
    x, p = _reduction_a_cell(x, None, filters // (filter_multiplier ** 2), "stem_1")
    x, p = _reduction_a_cell(x, p, filters // filter_multiplier, "stem_2")
    for stage in range(3):
        if stage:
            x, p_reduce = _reduction_a_cell(x, p, filters * filter_multiplier ** stage,
                                            f"reduce_{stage * num_blocks}")
            p = p if skip_reduction else p_reduce
        for i in range(num_blocks):
            block_id = stage * num_blocks + i + 1 if stage else i
            x, p = _normal_a_cell(x, p, filters * filter_multiplier ** stage, f"{block_id}")
    x = layers.Activation("relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pool(x, pooling)
    inputs = data_utils.get_source_inputs(input_tensor) if input_tensor is not None else img_input
    model = Model(inputs, x, name=name)
    if weights == "imagenet":
        model.load_weights(_imagenet_file(default_size, include_top))
    elif weights is not None:
        model.load_weights(weights)
    return model


def NASNetMobile(input_shape=None, include_top=True, weights="imagenet", input_tensor=None, pooling=None,
                 classes=1000, classifier_activation="softmax", name="nasnet_mobile"):
    """Instantiates NASNet-A Mobile (4 @ 1056; default input 224x224, at least 32x32).

    Keras 3.15 refuses this model on its own torch backend ("pretrained incorrect"); kerasish builds it,
    and it matches Keras's builder on the same weights (see docs/applications.md).

    Args:
        input_shape: optional shape tuple; `(224, 224, 3)` with ImageNet weights and a top. Without a
            top it defaults to `(224, 224, 3)` too.
        include_top, weights, input_tensor, pooling, classes, classifier_activation: as in `VGG16`.
        name: the model's name. Defaults to `"nasnet_mobile"`.

    Returns:
        A `Model` instance. Inputs go through `kerasish.applications.nasnet.preprocess_input`.
    """
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return NASNet(input_shape, penultimate_filters=1056, num_blocks=4, stem_block_filters=32, skip_reduction=False,
                  filter_multiplier=2, include_top=include_top, weights=weights, input_tensor=input_tensor,
                  pooling=pooling, classes=classes, default_size=224,
                  classifier_activation=classifier_activation, name=name)


def NASNetLarge(input_shape=None, include_top=True, weights="imagenet", input_tensor=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="nasnet_large"):
    """Instantiates NASNet-A Large (6 @ 4032; default input 331x331, at least 32x32).

    Args:
        input_shape: optional shape tuple; `(331, 331, 3)` with ImageNet weights and a top.
        include_top, weights, input_tensor, pooling, classes, classifier_activation: as in `VGG16`.
        name: the model's name. Defaults to `"nasnet_large"`.

    Returns:
        A `Model` instance. Inputs go through `kerasish.applications.nasnet.preprocess_input`.
    """
    return NASNet(input_shape, penultimate_filters=4032, num_blocks=6, stem_block_filters=96, skip_reduction=True,
                  filter_multiplier=2, include_top=include_top, weights=weights, input_tensor=input_tensor,
                  pooling=pooling, classes=classes, default_size=331,
                  classifier_activation=classifier_activation, name=name)


def _check_arguments(input_shape, weights, include_top, classes):
    """Keras's NASNet checks (and messages), before anything is built."""
    if backend.image_data_format() == "channels_first":
        raise ValueError("NASNet does not support the `channels_first` image data format. Switch to "
                         "`channels_last` by editing your local config file at ~/.keras/keras.json. "
                         "Received: image_data_format=channels_first")
    if not (weights in {"imagenet", None}
            or (isinstance(weights, (str, os.PathLike)) and os.path.exists(weights))):
        raise ValueError("The `weights` argument should be either `None` (random initialization), `imagenet` "
                         "(pre-training on ImageNet), or the path to the weights file to be loaded. "
                         f"Received: weights={weights}")
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError('If using `weights` as `"imagenet"` with `include_top` as true, `classes` should be '
                         f"1000. Received: classes={classes}")
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise ValueError("When specifying the input shape of a NASNet and loading `ImageNet` weights, the "
                         "input_shape argument must be static (no None entries). Got: "
                         f"`input_shape={input_shape}`. Received: input_shape={input_shape}")


def _imagenet_file(default_size, include_top):
    if default_size not in _WEIGHTS:
        raise ValueError("ImageNet weights can only be loaded with NASNetLarge or NASNetMobile. "
                         f"Received: default_size={default_size}")
    file_name, published, file_hash = _WEIGHTS[default_size][0 if include_top else 1]
    # The cached name differs from the published one, as in Keras.
    return file_utils.get_file(file_name, f"{imagenet_utils.WEIGHTS_BASE_URL}nasnet/{published}",
                               cache_subdir="models", file_hash=file_hash)


def _bn(name):
    return layers.BatchNormalization(axis=-1, momentum=0.9997, epsilon=1e-3, name=name)


def _conv1x1(filters, name):
    return layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", use_bias=False, name=name,
                         kernel_initializer="he_normal")


def _separable_conv_block(ip, filters, kernel_size=(3, 3), strides=(1, 1), block_id=None):
    """Two [relu, separable conv, batch norm] stacks; the first one may downsample."""
    x = layers.Activation("relu")(ip)
    if strides == (2, 2):
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, kernel_size),
                                 name=f"separable_conv_1_pad_{block_id}")(x)
    x = layers.SeparableConv2D(filters, kernel_size, strides=strides, name=f"separable_conv_1_{block_id}",
                               padding="valid" if strides == (2, 2) else "same", use_bias=False)(x)
    x = _bn(f"separable_conv_1_bn_{block_id}")(x)
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(filters, kernel_size, name=f"separable_conv_2_{block_id}", padding="same",
                               use_bias=False)(x)
    return _bn(f"separable_conv_2_bn_{block_id}")(x)


def _adjust_block(p, ip, filters, block_id):
    """The previous path `p` brought to the size and width of the current input `ip`."""
    if p is None:
        return ip
    if p.shape[-2] != ip.shape[-2]:
        # Halve the size on two paths offset by one pixel, each to half the filters.
        p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
        p1 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid",
                                     name=f"adjust_avg_pool_1_{block_id}")(p)
        p1 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name=f"adjust_conv_1_{block_id}",
                           kernel_initializer="he_normal")(p1)
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid",
                                     name=f"adjust_avg_pool_2_{block_id}")(p2)
        p2 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name=f"adjust_conv_2_{block_id}",
                           kernel_initializer="he_normal")(p2)
        p = layers.concatenate([p1, p2], axis=-1)
        return _bn(f"adjust_bn_{block_id}")(p)
    if p.shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = _conv1x1(filters, f"adjust_conv_projection_{block_id}")(p)
        return _bn(f"adjust_bn_{block_id}")(p)
    return p


def _normal_a_cell(ip, p, filters, block_id):
    """A Normal cell of NASNet-A (Fig. 4 of the paper): returns (output, this cell's input)."""
    p = _adjust_block(p, ip, filters, block_id)
    h = layers.Activation("relu")(ip)
    h = _bn(f"normal_bn_1_{block_id}")(_conv1x1(filters, f"normal_conv_1_{block_id}")(h))
    x1 = layers.add([_separable_conv_block(h, filters, (5, 5), block_id=f"normal_left1_{block_id}"),
                     _separable_conv_block(p, filters, block_id=f"normal_right1_{block_id}")],
                    name=f"normal_add_1_{block_id}")
    x2 = layers.add([_separable_conv_block(p, filters, (5, 5), block_id=f"normal_left2_{block_id}"),
                     _separable_conv_block(p, filters, (3, 3), block_id=f"normal_right2_{block_id}")],
                    name=f"normal_add_2_{block_id}")
    x3 = _avg_pool_same(f"normal_left3_{block_id}")(h)
    x3 = layers.add([x3, p], name=f"normal_add_3_{block_id}")
    x4_1 = _avg_pool_same(f"normal_left4_{block_id}")(p)
    x4_2 = _avg_pool_same(f"normal_right4_{block_id}")(p)
    x4 = layers.add([x4_1, x4_2], name=f"normal_add_4_{block_id}")
    x5 = _separable_conv_block(h, filters, block_id=f"normal_left5_{block_id}")
    x5 = layers.add([x5, h], name=f"normal_add_5_{block_id}")
    x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name=f"normal_concat_{block_id}")
    return x, ip


def _reduction_a_cell(ip, p, filters, block_id):
    """A Reduction cell of NASNet-A (Fig. 4 of the paper): returns (output, this cell's input)."""
    p = _adjust_block(p, ip, filters, block_id)
    h = layers.Activation("relu")(ip)
    h = _bn(f"reduction_bn_1_{block_id}")(_conv1x1(filters, f"reduction_conv_1_{block_id}")(h))
    h3 = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(h, 3), name=f"reduction_pad_1_{block_id}")(h)
    x1_1 = _separable_conv_block(h, filters, (5, 5), strides=(2, 2), block_id=f"reduction_left1_{block_id}")
    x1_2 = _separable_conv_block(p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right1_{block_id}")
    x1 = layers.add([x1_1, x1_2], name=f"reduction_add_1_{block_id}")
    x2_1 = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_left2_{block_id}")(h3)
    x2_2 = _separable_conv_block(p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right2_{block_id}")
    x2 = layers.add([x2_1, x2_2], name=f"reduction_add_2_{block_id}")
    x3_1 = layers.AveragePooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_left3_{block_id}")(h3)
    x3_2 = _separable_conv_block(p, filters, (5, 5), strides=(2, 2), block_id=f"reduction_right3_{block_id}")
    x3 = layers.add([x3_1, x3_2], name=f"reduction_add3_{block_id}")
    x4 = _avg_pool_same(f"reduction_left4_{block_id}")(x1)
    x4 = layers.add([x2, x4])  # the one auto-named add of the cell, as in Keras
    # Keras names this branch "left4" too (its layers are reduction_left4's separable convolutions).
    x5_1 = _separable_conv_block(x1, filters, (3, 3), block_id=f"reduction_left4_{block_id}")
    x5_2 = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_right5_{block_id}")(h3)
    x5 = layers.add([x5_1, x5_2], name=f"reduction_add4_{block_id}")
    x = layers.concatenate([x2, x3, x4, x5], axis=-1, name=f"reduction_concat_{block_id}")
    return x, ip


def _avg_pool_same(name):
    return layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name=name)


def preprocess_input(x, data_format=None):
    """TF-style preprocessing: pixels scaled to [-1, 1]."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions: see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
