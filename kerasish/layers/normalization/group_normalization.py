"""`GroupNormalization`: normalizes each sample over groups of channels."""

import torch

from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer
from kerasish.layers.normalization.affine import AffineArgs, normalize


class GroupNormalization(AffineArgs, Layer):
    """Group normalization (Wu & He, 2018): the channels on `axis` are split into `groups`, and each
    group of each sample is normalized with its own mean and biased variance.

    Args:
        groups: number of groups; must divide the number of channels. Defaults to `32`.
            `-1` makes one group per channel (instance normalization).
        axis: the channels axis. Defaults to `-1`.
        epsilon: added to the variance. Defaults to `1e-3`.
        center, scale: whether to learn `beta` and `gamma`. Defaults to `True`.
        beta_initializer, gamma_initializer: defaults to `"zeros"` and `"ones"`.
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: optional.

    Example:

    ```python
    y = kerasish.layers.GroupNormalization(groups=2)(np.random.rand(2, 3, 4).astype("float32"))
    ```
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(groups, int) or (groups <= 0 and groups != -1):
            raise ValueError(f"`groups` must be a positive integer or -1. Received: groups={groups!r}")
        self.groups = groups
        self.axis = axis
        self.epsilon = float(epsilon)
        self._init_affine(center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                          gamma_regularizer, beta_constraint, gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        axis = self.axis % ndim
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(
                f"Axis {self.axis} of the input should have a defined dimension. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        groups = channels if self.groups == -1 else self.groups
        if groups > channels or channels % groups:
            raise ValueError(
                f"Number of groups ({groups}) must divide the number of channels ({channels}) "
                f"and not exceed it. Received: groups={self.groups}, input_shape={tuple(input_shape)}"
            )
        self._axis, self._groups = axis, groups
        self._build_affine((channels,))
        self.input_spec = InputSpec(ndim=ndim, axes={axis: channels})
        self.built = True

    def call(self, inputs):
        x = inputs if inputs.dtype in (torch.float32, torch.float64) else inputs.float()
        axis, groups = self._axis, self._groups
        shape = tuple(x.shape)
        grouped = x.reshape(shape[:axis] + (groups, shape[axis] // groups) + shape[axis + 1:])
        reduce = tuple(i for i in range(1, grouped.ndim) if i != axis)
        var, mean = torch.var_mean(grouped, dim=reduce, keepdim=True, correction=0)
        bshape = [1] * grouped.ndim
        bshape[axis], bshape[axis + 1] = groups, shape[axis] // groups
        gamma = None if self.gamma is None else self.gamma.reshape(bshape)
        beta = None if self.beta is None else self.beta.reshape(bshape)
        out = normalize(grouped, mean, var, gamma, beta, self.epsilon).reshape(shape)
        return out.to(inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"groups": self.groups, "axis": self.axis, "epsilon": self.epsilon})
        config.update(self._affine_config())
        return config
