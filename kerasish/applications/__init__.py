"""Keras Applications: ImageNet architectures with Keras 3's layer names, weight order and
published weight files (see docs/applications.md)."""

from kerasish.applications import efficientnet_v2  # noqa: F401
from kerasish.applications import imagenet_utils, mobilenet, mobilenet_v2, resnet, resnet50, resnet_v2, vgg16, vgg19  # noqa: F401
from kerasish.applications import densenet  # noqa: F401
from kerasish.applications.densenet import DenseNet121, DenseNet169, DenseNet201  # noqa: F401
from kerasish.applications import inception_resnet_v2, inception_v3  # noqa: F401
from kerasish.applications.inception_resnet_v2 import InceptionResNetV2  # noqa: F401
from kerasish.applications.inception_v3 import InceptionV3  # noqa: F401
from kerasish.applications import convnext  # noqa: F401
from kerasish.applications.convnext import (ConvNeXtBase, ConvNeXtLarge, ConvNeXtSmall, ConvNeXtTiny,  # noqa: F401
                                            ConvNeXtXLarge)
from kerasish.applications import efficientnet  # noqa: F401
from kerasish.applications.efficientnet import (EfficientNetB0, EfficientNetB1, EfficientNetB2, EfficientNetB3,  # noqa: F401
                                                EfficientNetB4, EfficientNetB5, EfficientNetB6, EfficientNetB7)
from kerasish.applications.efficientnet_v2 import (EfficientNetV2B0, EfficientNetV2B1, EfficientNetV2B2,  # noqa: F401
                                                   EfficientNetV2B3, EfficientNetV2L, EfficientNetV2M,
                                                   EfficientNetV2S)
from kerasish.applications.mobilenet import MobileNet  # noqa: F401
from kerasish.applications.mobilenet_v2 import MobileNetV2  # noqa: F401
from kerasish.applications import mobilenet_v3  # noqa: F401
from kerasish.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small  # noqa: F401
from kerasish.applications import nasnet  # noqa: F401
from kerasish.applications.nasnet import NASNetLarge, NASNetMobile  # noqa: F401
from kerasish.applications.resnet import ResNet50, ResNet101, ResNet152  # noqa: F401
from kerasish.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2  # noqa: F401
from kerasish.applications.vgg import VGG16, VGG19  # noqa: F401
from kerasish.applications import xception  # noqa: F401
from kerasish.applications.xception import Xception  # noqa: F401
