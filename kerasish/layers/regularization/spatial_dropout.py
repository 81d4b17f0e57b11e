"""`BaseSpatialDropout`: drops whole feature maps (channels) instead of single elements."""

from kerasish.backend import config as backend_config
from kerasish.layers.core.dropout import Dropout
from kerasish.layers.input_spec import InputSpec


class BaseSpatialDropout(Dropout):
    """Dropout with one keep/drop draw per (sample, channel), shared over the spatial axes."""

    rank = None

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = backend_config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs, training=None):
        if self.data_format == "channels_last":
            self.noise_shape = (None,) + (1,) * self.rank + (None,)
        else:
            self.noise_shape = (None, None) + (1,) * self.rank
        return super().call(inputs, training=training)

    def get_config(self):
        config = super().get_config()
        config.pop("noise_shape", None)
        config["data_format"] = self.data_format
        return config
