"""VGG16 and VGG19 (Simonyan & Zisserman, ICLR 2015), with Keras 3's layer names and weight files."""

from kerasish import backend, layers
from kerasish.applications import imagenet_utils

_HASHES = {"vgg16": ("64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc"),
           "vgg19": ("cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6")}


def VGG(convs_per_block, include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
        pooling=None, classes=1000, classifier_activation="softmax", name="vgg16", weights_name="vgg16"):
    """A VGG network with `convs_per_block[i]` 3x3 convolutions in block `i + 1`."""
    imagenet_utils.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=224, min_size=32,
                                                    data_format=backend.image_data_format(),
                                                    require_flatten=include_top, weights=weights)
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    x = img_input
    for block, (filters, convs) in enumerate(zip((64, 128, 256, 512, 512), convs_per_block), start=1):
        for i in range(1, convs + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{i}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pool(x, pooling)
    suffix = "" if include_top else "_notop"
    return imagenet_utils.finish(input_tensor, img_input, x, name, weights,
                                 f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5", f"{weights_name}/",
                                 _HASHES[weights_name][0 if include_top else 1])


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
          classes=1000, classifier_activation="softmax", name="vgg16"):
    """Instantiates the VGG16 model (default input 224x224, at least 32x32).

    Args:
        include_top: whether to include the 3 fully-connected layers at the top.
        weights: `None` (random initialization), `"imagenet"` (Keras's published file, downloaded
            once into `~/.keras/models`) or the path to a weights file to load.
        input_tensor: optional Keras tensor (output of `layers.Input()`) to use as image input.
        input_shape: optional shape tuple, only to be specified if `include_top` is `False`
            (otherwise it has to be `(224, 224, 3)` with `weights="imagenet"`).
        pooling: `None`, `"avg"` or `"max"` global pooling when `include_top` is `False`.
        classes: number of classes, only with `include_top=True` and no `"imagenet"` weights.
        classifier_activation: activation of the "top" layer (`None` returns logits); only `None`
            or `"softmax"` with pretrained weights.
        name: the model's name.

    Returns:
        A `Model` instance. Inputs go through `kerasish.applications.vgg16.preprocess_input`.
    """
    return VGG((2, 2, 3, 3, 3), include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation, name, "vgg16")


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
          classes=1000, classifier_activation="softmax", name="vgg19"):
    """Instantiates the VGG19 model (default input 224x224, at least 32x32); arguments as `VGG16`."""
    return VGG((2, 2, 4, 4, 4), include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation, name, "vgg19")


def preprocess_input(x, data_format=None):
    """Caffe-style preprocessing: RGB to BGR, then each channel zero-centred on ImageNet."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions: see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
