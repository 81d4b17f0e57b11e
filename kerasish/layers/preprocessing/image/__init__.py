"""Image preprocessing and augmentation layers (Keras 3's `keras.layers.Random*`, `Resizing`, ...)."""

from kerasish.layers.preprocessing.image.base_image_layer import (  # noqa: F401
    BaseImagePreprocessingLayer,
)
from kerasish.layers.preprocessing.image.center_crop import CenterCrop  # noqa: F401
from kerasish.layers.preprocessing.image.max_num_bounding_boxes import (  # noqa: F401
    MaxNumBoundingBoxes,
)
from kerasish.layers.preprocessing.image.random_crop import RandomCrop  # noqa: F401
from kerasish.layers.preprocessing.image.random_elastic_transform import (  # noqa: F401
    RandomElasticTransform,
)
from kerasish.layers.preprocessing.image.random_flip import RandomFlip  # noqa: F401
from kerasish.layers.preprocessing.image.random_perspective import RandomPerspective  # noqa: F401
from kerasish.layers.preprocessing.image.random_rotation import RandomRotation  # noqa: F401
from kerasish.layers.preprocessing.image.random_shear import RandomShear  # noqa: F401
from kerasish.layers.preprocessing.image.random_translation import (  # noqa: F401
    RandomTranslation,
)
from kerasish.layers.preprocessing.image.random_zoom import RandomZoom  # noqa: F401
from kerasish.layers.preprocessing.image.rescaling import Rescaling  # noqa: F401
from kerasish.layers.preprocessing.image.resizing import Resizing  # noqa: F401
# Colour and mixing augmentation.
from kerasish.layers.preprocessing.image.random_brightness import RandomBrightness  # noqa: F401
from kerasish.layers.preprocessing.image.random_color_degeneration import (  # noqa: F401
    RandomColorDegeneration,
)
from kerasish.layers.preprocessing.image.random_contrast import RandomContrast  # noqa: F401
from kerasish.layers.preprocessing.image.random_grayscale import RandomGrayscale  # noqa: F401
from kerasish.layers.preprocessing.image.random_hue import RandomHue  # noqa: F401
from kerasish.layers.preprocessing.image.random_invert import RandomInvert  # noqa: F401
from kerasish.layers.preprocessing.image.random_posterization import (  # noqa: F401
    RandomPosterization,
)
from kerasish.layers.preprocessing.image.random_saturation import RandomSaturation  # noqa: F401
from kerasish.layers.preprocessing.image.random_sharpness import RandomSharpness  # noqa: F401
from kerasish.layers.preprocessing.image.solarization import Solarization  # noqa: F401
from kerasish.layers.preprocessing.image.auto_contrast import AutoContrast  # noqa: F401
from kerasish.layers.preprocessing.image.clahe import (  # noqa: F401
    ContrastLimitedAdaptiveHistogramEqualization,
)
from kerasish.layers.preprocessing.image.equalization import Equalization  # noqa: F401
from kerasish.layers.preprocessing.image.cut_mix import CutMix  # noqa: F401
from kerasish.layers.preprocessing.image.mix_up import MixUp  # noqa: F401
from kerasish.layers.preprocessing.image.random_color_jitter import RandomColorJitter  # noqa: F401
from kerasish.layers.preprocessing.image.random_erasing import RandomErasing  # noqa: F401
from kerasish.layers.preprocessing.image.random_gaussian_blur import (  # noqa: F401
    RandomGaussianBlur,
)
from kerasish.layers.preprocessing.image.aug_mix import AugMix  # noqa: F401
from kerasish.layers.preprocessing.image.rand_augment import RandAugment  # noqa: F401
