"""`Cropping1D`: removes rows/columns from the ends of each spatial axis."""

from kerasish.layers.reshaping.cropping import BaseCropping


class Cropping1D(BaseCropping):
    """Crops `(batch, steps, features)` inputs along the 1 spatial axes (a slice: no copy).

    Args:
        cropping: int, 1 ints, or 1 `(before, after)` pairs. Defaults to `(1, 1)`.

    Example:

    ```python
    y = kerasish.layers.Cropping1D((1, 2))(np.zeros((2, 6, 3), "float32"))  # shape (2, 3, 3)
    ```
    """

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, **kwargs)
