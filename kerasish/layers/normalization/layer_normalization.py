"""`LayerNormalization`: normalizes each sample over `axis` with its own mean and variance."""

import torch
import torch.nn.functional as F

from kerasish.layers.layer import Layer
from kerasish.layers.normalization.affine import AffineArgs, normalize


class LayerNormalization(AffineArgs, Layer):
    """Layer normalization (Ba et al., 2016): `(x - mean) / sqrt(var + epsilon) * gamma + beta`,
    with the mean and biased variance taken over `axis` for each sample.

    Args:
        axis: int or list of ints, the axes to normalize. Defaults to `-1`.
        epsilon: added to the variance. Defaults to `1e-3`.
        center, scale: whether to learn `beta` and `gamma`. Defaults to `True`.
        beta_initializer, gamma_initializer: defaults to `"zeros"` and `"ones"`.
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: optional.

    Example:

    ```python
    y = kerasish.layers.LayerNormalization()(np.random.rand(2, 5).astype("float32"))
    ```
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, **kwargs):
        kwargs.pop("rms_scaling", None)
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            axis = list(axis)
        elif not isinstance(axis, int):
            raise TypeError(
                f"Expected an int or a list/tuple of ints for the argument 'axis'. Received: axis={axis!r}"
            )
        self.axis = axis
        self.epsilon = float(epsilon)
        self._init_affine(center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                          gamma_regularizer, beta_constraint, gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        self._axes = sorted(a % ndim for a in axes)
        shape = tuple(input_shape[a] for a in self._axes)
        self._build_affine(shape)
        # torch's fused kernel covers the common case: the trailing axes, in order.
        self._trailing = self._axes == list(range(ndim - len(self._axes), ndim))
        self._bshape = tuple(input_shape[i] if i in self._axes else 1 for i in range(ndim))
        self.built = True

    def call(self, inputs):
        x = inputs if inputs.dtype in (torch.float32, torch.float64) else inputs.float()
        if self._trailing:
            out = F.layer_norm(x, tuple(x.shape[a] for a in self._axes), self.gamma, self.beta,
                               self.epsilon)
        else:
            var, mean = torch.var_mean(x, dim=self._axes, keepdim=True, correction=0)
            gamma = None if self.gamma is None else self.gamma.reshape(self._bshape)
            beta = None if self.beta is None else self.beta.reshape(self._bshape)
            out = normalize(x, mean, var, gamma, beta, self.epsilon)
        return out.to(inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        config.update(self._affine_config())
        return config
