"""`BatchNormalization`: normalizes with batch statistics in training, moving ones in inference."""

import torch

from kerasish import initializers
from kerasish.compat.legacy_args import legacy_arguments
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer
from kerasish.layers.normalization.affine import AffineArgs, normalize


class BatchNormalization(AffineArgs, Layer):
    """Batch normalization with Keras's conventions.

    In training (`training=True` and the layer trainable) the output is normalized with the
    batch's mean and biased variance, and the moving statistics are updated as
    `moving = moving * momentum + batch * (1 - momentum)` (the biased batch variance, as Keras 3
    does). Otherwise (inference, or `trainable=False`, as in Keras) the moving statistics are used.

    Args:
        axis: the features axis. Defaults to `-1` (channels-last).
        momentum: momentum of the moving statistics. Defaults to `0.99`.
        epsilon: added to the variance. Defaults to `1e-3`.
        center, scale: whether to learn `beta` and `gamma`. Defaults to `True`.
        beta_initializer, gamma_initializer: defaults to `"zeros"` and `"ones"`.
        moving_mean_initializer, moving_variance_initializer: defaults to `"zeros"` and `"ones"`.
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: optional.

    Weights, in Keras's order: `gamma`, `beta` (trainable), `moving_mean`, `moving_variance`
    (non-trainable).

    Example:

    ```python
    bn = kerasish.layers.BatchNormalization()
    y = bn(np.random.rand(8, 4).astype("float32"), training=True)
    ```
    """

    @legacy_arguments({"mode": "_ignored_mode", "beta_init": "beta_initializer",
                       "gamma_init": "gamma_initializer"})
    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, **kwargs):
        kwargs.pop("_ignored_mode", None)
        for unsupported in ("renorm", "renorm_clipping", "renorm_momentum", "fused",
                            "virtual_batch_size", "adjustment"):
            if kwargs.pop(unsupported, None):
                raise ValueError(
                    f"BatchNormalization does not support `{unsupported}` in kerasish. "
                    f"Received: {unsupported}=True"
                )
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)) and len(axis) == 1:
            axis = axis[0]
        if not isinstance(axis, int):
            raise TypeError(f"Expected an int value for `axis`. Received: axis={axis!r}")
        self.axis = axis
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.synchronized = bool(synchronized)
        self._init_affine(center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                          gamma_regularizer, beta_constraint, gamma_constraint)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        axis = self.axis % ndim if -ndim <= self.axis < ndim else None
        if axis is None or axis == 0:
            raise ValueError(
                f"Invalid axis for an input of rank {ndim}: expected one of 1..{ndim - 1} or "
                f"-1..-{ndim - 1}. Received: axis={self.axis}"
            )
        self._axis = axis
        channels = input_shape[axis]
        self._build_affine((channels,))
        self.moving_mean = self.add_weight(name="moving_mean", shape=(channels,),
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight(name="moving_variance", shape=(channels,),
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self._reduce_axes = tuple(i for i in range(ndim) if i != axis)
        self._bshape = tuple(channels if i == axis else 1 for i in range(ndim))
        self.input_spec = InputSpec(ndim=ndim, axes={axis: channels})
        self.built = True

    def _moments(self, x, mask):
        if mask is None:
            var, mean = torch.var_mean(x, dim=self._reduce_axes, correction=0)
            return mean, var
        weights = mask.to(x.dtype).unsqueeze(-1)
        count = (weights * torch.ones_like(x)).sum(dim=self._reduce_axes)
        mean = (x * weights).sum(dim=self._reduce_axes) / count
        centred = x - mean.reshape(self._bshape)
        var = (centred.square() * weights).sum(dim=self._reduce_axes) / count
        return mean, var

    def _update_moving(self, mean, var):
        # In place, without a host sync: these are non-trainable parameters.
        with torch.no_grad():
            self.moving_mean.lerp_(mean.detach().to(self.moving_mean.dtype), 1.0 - self.momentum)
            self.moving_variance.lerp_(var.detach().to(self.moving_variance.dtype),
                                       1.0 - self.momentum)

    def call(self, inputs, training=None, mask=None):
        if mask is not None and mask.ndim != inputs.ndim - 1:
            raise ValueError(
                "The mask provided should be one dimension less than the inputs. Received: "
                f"mask.shape={tuple(mask.shape)}, inputs.shape={tuple(inputs.shape)}"
            )
        x = inputs if inputs.dtype in (torch.float32, torch.float64) else inputs.float()
        if training and self.trainable:
            mean, var = self._moments(x, mask)
            self._update_moving(mean, var)
        else:
            mean, var = self.moving_mean, self.moving_variance
        shape = self._bshape
        gamma = None if self.gamma is None else self.gamma.reshape(shape)
        beta = None if self.beta is None else self.beta.reshape(shape)
        out = normalize(x, mean.reshape(shape), var.reshape(shape), gamma, beta, self.epsilon)
        return out.to(inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "synchronized": self.synchronized,
        })
        config.update(self._affine_config())
        return config
