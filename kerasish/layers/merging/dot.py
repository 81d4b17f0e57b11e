"""`Dot` and `dot`: per-sample dot products between two tensors along given axes."""

import torch
import torch.nn.functional as F

from kerasish.backend import config
from kerasish.layers.layer import Layer


def _resolve_axes(axes, ranks):
    if isinstance(axes, int):
        return [axes % r if axes < 0 else axes for r in ranks]
    return [a % r if a < 0 else a for a, r in zip(axes, ranks)]


def batch_dot(x, y, axes):
    """Keras's `batch_dot` for rank >= 2 tensors, summing `x` axis `axes[0]` with `y` axis `axes[1]`."""
    a0, a1 = axes
    x_rank, y_rank = x.ndim, y.ndim
    if x_rank == 2:
        x, a0 = x.unsqueeze(1), a0 + 1
    if y_rank == 2:
        y = y.unsqueeze(2)
    x = x.movedim(a0, -1)
    y = y.movedim(a1, 1)
    mid, trail = tuple(x.shape[1:-1]), tuple(y.shape[2:])
    out = torch.bmm(x.reshape(x.shape[0], -1, x.shape[-1]), y.reshape(y.shape[0], y.shape[1], -1))
    out = out.reshape((out.shape[0],) + mid + trail)
    if x_rank == 2:
        out = out.squeeze(1)
    elif y_rank == 2:
        out = out.squeeze(-1)
    return out


class Dot(Layer):
    """Dot product of two samples along `axes` (cosine similarity with `normalize=True`).

    Args:
        axes: an axis, or a pair of axes (one per input), along which the dot product is taken.
        normalize: L2-normalize both inputs along the dot axes first. Defaults to `False`.

    Example:

    ```python
    similarity = Dot(axes=1, normalize=True)([embed_a, embed_b])   # (batch, 1)
    ```
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)) or len(axes) != 2 or \
                    not all(isinstance(a, int) for a in axes):
                raise ValueError(f"`axes` must be an int or a pair of ints. Received: axes={axes!r}")
            axes = tuple(axes)
        self.axes = axes
        self.normalize = bool(normalize)

    def _axes_for(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2 or \
                not isinstance(input_shape[0], (list, tuple)):
            raise ValueError(f"A `Dot` layer should be called on a list of 2 inputs. Received: input_shape={input_shape}")
        s1, s2 = input_shape
        axes = _resolve_axes(self.axes, (len(s1), len(s2)))
        if 0 in axes:
            raise ValueError(f"`Dot` cannot reduce over the batch axis. Received: axes={self.axes}")
        if s1[axes[0]] is not None and s2[axes[1]] is not None and s1[axes[0]] != s2[axes[1]]:
            raise ValueError(
                f"Incompatible input shapes: axis values {s1[axes[0]]} (at axis {axes[0]}) != "
                f"{s2[axes[1]]} (at axis {axes[1]}). Full input shapes: {s1}, {s2}"
            )
        return axes

    def build(self, input_shape):
        self._axes_for(input_shape)
        self.built = True

    def call(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"A `Dot` layer should be called on exactly 2 inputs. Received: {len(inputs)} inputs")
        x1, x2 = inputs
        axes = _resolve_axes(self.axes, (x1.ndim, x2.ndim))
        if self.normalize:
            x1 = F.normalize(x1, p=2.0, dim=axes[0], eps=config.epsilon())
            x2 = F.normalize(x2, p=2.0, dim=axes[1], eps=config.epsilon())
        return batch_dot(x1, x2, axes)

    def compute_output_shape(self, input_shape):
        axes = self._axes_for(input_shape)
        s1, s2 = list(input_shape[0]), list(input_shape[1])
        s1.pop(axes[0])
        s2.pop(axes[1])
        s2.pop(0)
        out = s1 + s2
        return tuple(out) if len(out) > 1 else (out[0], 1)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def dot(inputs, axes=-1, normalize=False, **kwargs):
    """Functional form of `Dot`.

    Example:

    >>> kerasish.layers.dot([torch.tensor([[1.0, 2.0]]), torch.tensor([[3.0, 4.0]])], axes=1)
    tensor([[11.]])
    """
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
