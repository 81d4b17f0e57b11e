"""`Equalization`: histogram equalization of each channel."""

import numbers

import torch

from kerasish.layers.preprocessing.image.color_utils import BaseColorLayer, check_value_range


def _scale(values, source, target):
    scale = (target[1] - target[0]) / (source[1] - source[0])
    return values * scale + (target[0] - source[0] * scale)


class Equalization(BaseColorLayer):
    """Equalizes the histogram of each channel, so that its values spread over the whole range.

    As in Keras, one histogram of `bins` bins is made per channel over the whole batch, the layer
    acts in training only (the identity in inference), and a channel with a single value is
    left unchanged.

    Args:
        value_range: the range of the input values. Defaults to `(0, 255)`.
        bins: the number of histogram bins. Defaults to `256`.
        data_format: "channels_last" or "channels_first".

    Example:

    ```python
    layer = kerasish.layers.Equalization()
    out = layer(np.random.uniform(0, 128, (2, 8, 8, 3)), training=True)
    ```
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if not isinstance(bins, numbers.Integral) or isinstance(bins, bool) or bins < 2:
            raise ValueError(f"`bins` should be an integer of at least 2. Received: bins={bins!r}")
        self.bins = bins
        self.value_range = check_value_range(value_range)

    def _histogram(self, channel):
        scaled = (channel - 0.0) * (self.bins - 1) / (255.0 - 0.0)
        indices = scaled.to(torch.int32).clamp(0, self.bins - 1).reshape(-1)
        return torch.bincount(indices, minlength=self.bins)

    def _equalize(self, channel, hist):
        cdf = torch.cumsum(hist, dim=0)
        cdf_min = cdf[torch.nonzero(cdf)[0][0]]
        denominator = cdf[-1] - cdf_min
        denominator = torch.where(denominator == 0, torch.ones_like(denominator), denominator)
        lookup = torch.round((cdf - cdf_min) * 255 / denominator).clamp(0, 255)
        indices = (channel / 255.0 * (self.bins - 1)).clamp(0, self.bins - 1).to(torch.int32)
        return lookup[indices.long()]

    def _equalize_channel(self, channel):
        channel = _scale(channel, self.value_range, (0, 255))
        hist = self._histogram(channel)
        if torch.count_nonzero(hist) > 1:
            channel = self._equalize(channel, hist).to(channel.dtype)
        return _scale(channel, (0, 255), self.value_range)

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast_images(images)
        if not training:
            return images
        axis = -1 if self.data_format == "channels_last" else -3
        channels = [self._equalize_channel(c) for c in images.unbind(axis)]
        return torch.stack(channels, dim=axis)

    def get_config(self):
        config = super().get_config()
        config.update({"bins": self.bins, "value_range": self.value_range})
        return config
