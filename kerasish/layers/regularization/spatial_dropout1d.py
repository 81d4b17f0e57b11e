"""`SpatialDropout1D`: dropout of whole channels of 1D feature maps."""

from kerasish.layers.regularization.spatial_dropout import BaseSpatialDropout


class SpatialDropout1D(BaseSpatialDropout):
    """Drops entire channels of `(batch, steps, channels)` inputs in training (scaling the rest by
    `1 / (1 - rate)`); the identity in inference. Adjacent pixels are strongly correlated, so
    dropping whole feature maps regularizes where element-wise dropout would not.

    Args:
        rate: float in [0, 1), the fraction of channels to drop.
        seed: optional random seed.

    Example:

    ```python
    y = kerasish.layers.SpatialDropout1D(0.5)(np.ones((2, 5, 3), "float32"), training=True)
    ```
    """

    rank = 1

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, data_format="channels_last", seed=seed, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.pop("data_format")
        return config

