"""`RMSNormalization`: `x * rsqrt(mean(square(x)) + epsilon) * scale` over `axis`."""

import torch
import torch.nn.functional as F

from kerasish.layers.layer import Layer


def _check_axis(axis):
    items = axis if isinstance(axis, (list, tuple)) else [axis]
    if not items or not all(isinstance(a, int) and not isinstance(a, bool) for a in items):
        raise TypeError(
            f"Expected an int or a non-empty list/tuple of ints for the argument 'axis'. "
            f"Received: axis={axis!r}"
        )


class RMSNormalization(Layer):
    """Root Mean Square normalization (Zhang and Sennrich, 2019).

    `rms_normalization(x) = x * rsqrt(mean(square(x), axis) + epsilon) * scale`, with a learned
    `scale` (initialised to ones) over the normalized axes. Computed in at least float32 (a half
    precision input comes back in its own dtype); trailing axes run on torch's fused `rms_norm`.

    Args:
        axis: int or list of ints, the axes to normalize. Defaults to `-1`.
        epsilon: added to the mean square. Defaults to `1e-6`.

    Example:

    ```python
    layer = kerasish.layers.RMSNormalization()
    y = layer(np.random.rand(2, 10).astype("float32"))  # layer.scale.shape == (10,)
    ```
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        _check_axis(axis)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = float(epsilon)
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for a in axes:
            if a >= ndim or a < -ndim:
                raise ValueError(
                    f"Axis {a} is out of bounds for input shape {tuple(input_shape)}. "
                    f"Received: axis={self.axis}"
                )
        # As Keras does, `axis` becomes a sorted list once built (it shows so in the config).
        self.axis = sorted(axes)
        self._axes = sorted(a % ndim for a in self.axis)
        self.scale = self.add_weight(name="scale", shape=tuple(input_shape[a] for a in self.axis),
                                     initializer="ones")
        self._trailing = self._axes == list(range(ndim - len(self._axes), ndim))
        self._bshape = tuple(input_shape[i] if i in self._axes else 1 for i in range(ndim))
        self.built = True

    def call(self, inputs):
        x = inputs if inputs.dtype in (torch.float32, torch.float64) else inputs.float()
        scale = self.scale.to(x.dtype)
        if self._trailing:
            out = F.rms_norm(x, tuple(x.shape[a] for a in self._axes), scale, self.epsilon)
        else:
            rrms = torch.rsqrt(x.square().mean(dim=self._axes, keepdim=True) + self.epsilon)
            out = x * rrms * scale.reshape(self._bshape)
        return out.to(inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        return config
