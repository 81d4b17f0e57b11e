"""`SpatialDropout3D`: dropout of whole channels of 3D feature maps."""

from kerasish.layers.regularization.spatial_dropout import BaseSpatialDropout


class SpatialDropout3D(BaseSpatialDropout):
    """Drops entire channels of `(batch, d1, d2, d3, channels)` inputs in training (scaling the rest by
    `1 / (1 - rate)`); the identity in inference. Adjacent pixels are strongly correlated, so
    dropping whole feature maps regularizes where element-wise dropout would not.

    Args:
        rate: float in [0, 1), the fraction of channels to drop.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to `image_data_format()`.
        seed: optional random seed.

    Example:

    ```python
    y = kerasish.layers.SpatialDropout3D(0.5)(np.ones((2, 3, 3, 3, 2), "float32"), training=True)
    ```
    """

    rank = 3

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, data_format=data_format, seed=seed, **kwargs)

