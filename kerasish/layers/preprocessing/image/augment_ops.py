"""The augmentation layers `AugMix` and `RandAugment` choose from, built as Keras builds them."""

from kerasish.layers.preprocessing.image.auto_contrast import AutoContrast
from kerasish.layers.preprocessing.image.equalization import Equalization
from kerasish.layers.preprocessing.image.random_brightness import RandomBrightness
from kerasish.layers.preprocessing.image.random_color_degeneration import RandomColorDegeneration
from kerasish.layers.preprocessing.image.random_contrast import RandomContrast
from kerasish.layers.preprocessing.image.random_posterization import RandomPosterization
from kerasish.layers.preprocessing.image.random_rotation import RandomRotation
from kerasish.layers.preprocessing.image.random_sharpness import RandomSharpness
from kerasish.layers.preprocessing.image.random_shear import RandomShear
from kerasish.layers.preprocessing.image.random_translation import RandomTranslation
from kerasish.layers.preprocessing.image.solarization import Solarization


def build_augment_layers(owner, names, factor, value_range, interpolation, seed, data_format,
                         **kwargs):
    """Sets `owner.<name>` to each named augmentation layer, with Keras's arguments."""
    kwargs.pop("name", None)  # Keras gives every step the owner's name; they get their own
    common = dict(seed=seed, data_format=data_format, **kwargs)
    geometric = dict(interpolation=interpolation, **common)
    colour = dict(value_range=value_range, **common)
    makers = {
        "random_shear": lambda: RandomShear(x_factor=factor, y_factor=factor, **geometric),
        "random_translation": lambda: RandomTranslation(height_factor=factor,
                                                        width_factor=factor, **geometric),
        "random_rotation": lambda: RandomRotation(factor=factor, **geometric),
        "random_brightness": lambda: RandomBrightness(factor=factor, **colour),
        "random_color_degeneration": lambda: RandomColorDegeneration(factor=factor, **colour),
        "random_contrast": lambda: RandomContrast(factor=factor, **colour),
        "random_sharpness": lambda: RandomSharpness(factor=factor, **colour),
        "solarization": lambda: Solarization(addition_factor=factor, threshold_factor=factor,
                                             **colour),
        "random_posterization": lambda: RandomPosterization(
            factor=max(1, int(8 * factor[1])), **colour),
        "auto_contrast": lambda: AutoContrast(value_range=value_range, data_format=data_format,
                                              **kwargs),
        "equalization": lambda: Equalization(value_range=value_range, data_format=data_format,
                                             **kwargs),
    }
    for name in names:
        setattr(owner, name, makers[name]())
