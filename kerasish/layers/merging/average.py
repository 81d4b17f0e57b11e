"""`Average` and `average`: elementwise mean of a list of tensors."""

from kerasish.layers.merging.base_merge import Merge


class Average(Merge):
    """Averages a list of tensors elementwise.

    Example:

    ```python
    y = Average()([x1, x2, x3])
    ```
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out / len(inputs)


def average(inputs, **kwargs):
    """Functional form of `Average`.

    Example:

    >>> kerasish.layers.average([torch.tensor([[1.0, 2.0]]), torch.tensor([[3.0, 6.0]])])
    tensor([[2., 4.]])
    """
    return Average(**kwargs)(inputs)
