"""`RandomColorJitter`: random brightness, contrast, saturation and hue, in that order."""

from kerasish.layers.preprocessing.image.color_utils import BaseColorLayer, check_value_range
from kerasish.layers.preprocessing.image.random_brightness import RandomBrightness
from kerasish.layers.preprocessing.image.random_contrast import RandomContrast
from kerasish.layers.preprocessing.image.random_hue import RandomHue
from kerasish.layers.preprocessing.image.random_saturation import RandomSaturation
from kerasish.random.seed_generator import SeedGenerator

# (factor argument, attribute, layer class), in Keras's order of application.
_STEPS = (("brightness_factor", "random_brightness", RandomBrightness),
          ("contrast_factor", "random_contrast", RandomContrast),
          ("saturation_factor", "random_saturation", RandomSaturation),
          ("hue_factor", "random_hue", RandomHue))


def _as_list(factor):
    # Pairs as lists, so that a config survives a JSON round trip unchanged.
    return list(factor) if isinstance(factor, tuple) else factor


class RandomColorJitter(BaseColorLayer):
    """Applies `RandomBrightness`, `RandomContrast`, `RandomSaturation` and `RandomHue` (those
    given a factor), in that order, in training. All draws come from this layer's seed.

    Args:
        value_range: the range of the input values. Defaults to `(0, 255)`.
        brightness_factor, contrast_factor, saturation_factor, hue_factor: the `factor` of each
            step (see those layers), or None to skip it.
        seed: an int seed.
        data_format: "channels_last" or "channels_first".

    Example:

    ```python
    layer = kerasish.layers.RandomColorJitter(brightness_factor=0.2, contrast_factor=0.3,
                                              seed=1)
    out = layer(np.random.uniform(0, 255, (2, 8, 8, 3)), training=True)
    ```
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None,
                 saturation_factor=None, hue_factor=None, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = check_value_range(value_range, sort=False)
        self.brightness_factor = _as_list(brightness_factor)
        self.contrast_factor = _as_list(contrast_factor)
        self.saturation_factor = _as_list(saturation_factor)
        self.hue_factor = _as_list(hue_factor)
        self.seed = seed
        self.generator = SeedGenerator(seed)
        for arg, attr, cls in _STEPS:
            factor = getattr(self, arg)
            # Keras builds the steps in the default data format; they get this layer's here.
            step = None if factor is None else cls(factor=factor, value_range=value_range,
                                                   seed=seed, data_format=self.data_format)
            setattr(self, attr, step)

    def transform_images(self, images, transformation, training=True):
        images = self._cast_images(images)
        if not training:
            return images
        for _, attr, _ in _STEPS:
            step = getattr(self, attr)
            if step is not None:
                draw = step.get_random_transformation(images, seed=self._get_seed_generator())
                images = step.transform_images(images, draw)
        return images

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range,
                       "brightness_factor": self.brightness_factor,
                       "contrast_factor": self.contrast_factor,
                       "saturation_factor": self.saturation_factor,
                       "hue_factor": self.hue_factor, "seed": self.seed})
        return config
