"""ResNet50V2/101V2/152V2 (He et al., "Identity Mappings in Deep Residual Networks", 2016)."""

from kerasish.applications import imagenet_utils, resnet


def _v2(blocks, name, include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation, weights_name):
    def stack_fn(x):
        for stage, (filters, count) in enumerate(zip((64, 128, 256), blocks[:3]), start=2):
            x = resnet.stack_residual_blocks_v2(x, filters, count, name=f"conv{stage}")
        return resnet.stack_residual_blocks_v2(x, 512, blocks[3], stride1=1, name="conv5")

    return resnet.ResNet(stack_fn, True, True, include_top, weights, input_tensor, input_shape, pooling,
                         classes, classifier_activation, name, weights_name)


def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
               classes=1000, classifier_activation="softmax", name="resnet50v2"):
    """Instantiates the ResNet50V2 architecture; arguments as `resnet.ResNet50`.

    Inputs go through `kerasish.applications.resnet_v2.preprocess_input` (scaled to [-1, 1]).
    """
    return _v2((3, 4, 6, 3), name, include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation, "resnet50v2")


def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="resnet101v2"):
    """Instantiates the ResNet101V2 architecture; arguments as `resnet.ResNet50`."""
    return _v2((3, 4, 23, 3), name, include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation, "resnet101v2")


def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="resnet152v2"):
    """Instantiates the ResNet152V2 architecture; arguments as `resnet.ResNet50`."""
    return _v2((3, 8, 36, 3), name, include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation, "resnet152v2")


def preprocess_input(x, data_format=None):
    """TF-style preprocessing: pixels scaled to [-1, 1]."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions: see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
