"""`Concatenate` and `concatenate`: joins a list of tensors along one axis."""

import torch

from kerasish.layers.layer import Layer


class Concatenate(Layer):
    """Concatenates a list of tensors along `axis`; the other axes must match.

    Args:
        axis: the concatenation axis. Defaults to `-1`.

    Example:

    ```python
    merged = Concatenate()([Dense(8)(a), Dense(4)(b)])   # (batch, 12)
    ```
    """

    supports_masking = True

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axis, int):
            raise TypeError(f"`axis` must be an integer. Received: axis={axis!r}")
        self.axis = axis

    def _check(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) < 1 or \
                not isinstance(input_shape[0], (list, tuple)):
            raise ValueError(
                "A `Concatenate` layer should be called on a list of at least 1 input. "
                f"Received: input_shape={input_shape}"
            )
        ranks = {len(s) for s in input_shape}
        if len(ranks) != 1:
            raise ValueError(
                "A `Concatenate` layer requires inputs with matching shapes except for the concatenation "
                f"axis. Received: input_shape={input_shape}"
            )
        rank = ranks.pop()
        axis = self.axis % rank
        for i in range(rank):
            if i == axis:
                continue
            known = {s[i] for s in input_shape if s[i] is not None}
            if len(known) > 1:
                raise ValueError(
                    "A `Concatenate` layer requires inputs with matching shapes except for the "
                    f"concatenation axis. Received: input_shape={input_shape}"
                )
        return axis

    def build(self, input_shape):
        self._check(input_shape)
        self.built = True

    def call(self, inputs):
        return torch.cat(list(inputs), dim=self.axis)

    def compute_output_shape(self, input_shape):
        axis = self._check(input_shape)
        out = list(input_shape[0])
        sizes = [s[axis] for s in input_shape]
        out[axis] = None if any(d is None for d in sizes) else sum(sizes)
        for i in range(len(out)):
            if i != axis and out[i] is None:
                out[i] = next((s[i] for s in input_shape if s[i] is not None), None)
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)) or len(mask) != len(inputs):
            raise ValueError(f"`mask` should be a list of {len(inputs)} masks. Received: mask={mask}")
        if all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            if m is None:
                masks.append(torch.ones_like(x, dtype=torch.bool))
            elif m.ndim < x.ndim:
                masks.append(m.bool().unsqueeze(-1).expand(x.shape))
            else:
                masks.append(m.bool())
        return torch.cat(masks, dim=self.axis).any(dim=-1)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis=-1, **kwargs):
    """Functional form of `Concatenate`: `concatenate([x1, x2], axis=-1)`.

    Example:

    >>> kerasish.layers.concatenate([np.zeros((2, 3), "float32"), np.ones((2, 2), "float32")]).shape
    torch.Size([2, 5])
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
