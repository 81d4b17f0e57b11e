"""`Subtract` and `subtract`: the difference of exactly two tensors."""

from kerasish.layers.merging.base_merge import Merge


class Subtract(Merge):
    """`inputs[0] - inputs[1]`.

    Example:

    ```python
    diff = Subtract()([Dense(8)(a), Dense(8)(b)])
    ```
    """

    def _check_inputs(self, input_shape):
        super()._check_inputs(input_shape)
        if len(input_shape) != 2:
            raise ValueError(
                f"A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape={input_shape}"
            )

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. Received: {len(inputs)} inputs")
        return inputs[0] - inputs[1]


def subtract(inputs, **kwargs):
    """Functional form of `Subtract`.

    Example:

    >>> a = kerasish.Input((3,))
    >>> b = kerasish.Input((3,))
    >>> kerasish.layers.subtract([a, b]).shape
    (None, 3)
    """
    return Subtract(**kwargs)(inputs)
