"""`SpectralNormalization`: divides a wrapped layer's kernel by its spectral norm in training.

As in Keras, each training call runs `power_iterations` steps of the power method on the kernel
(reshaped in Keras's layout to `(-1, last_dim)`), then *assigns* `kernel / sigma` to the kernel and
calls the wrapped layer: gradients reach the kernel through the layer call, not through sigma.
The all-zero-kernel guard is a `torch.where`, not a host-side test, so training does not sync.
"""

import torch

from kerasish import initializers
from kerasish.backend import config as backend_config
from kerasish.backend import layouts
from kerasish.layers.core.wrapper import Wrapper
from kerasish.layers.input_spec import InputSpec


def _l2_normalize(x):
    # Keras's `ops.normalize(x, axis=None)`: `x * min(rsqrt(sum(x^2)), 1 / epsilon)`.
    inv = torch.rsqrt(x.square().sum()).clamp_max(1.0 / backend_config.epsilon())
    return x * inv


class SpectralNormalization(Wrapper):
    """Performs spectral normalization on the weights of a target layer.

    Controls the Lipschitz constant of a layer (often used to stabilize GAN training) by keeping
    the spectral norm of its `kernel` (or `embeddings`) near 1, estimated by power iteration with a
    non-trainable vector `vector_u`.

    Args:
        layer: a `Layer` with a `kernel` (`Dense`, `Conv2D`, ...) or an `embeddings` attribute.
        power_iterations: power-method steps per training call. Defaults to `1`.

    Example:

    ```python
    x = np.random.rand(1, 10, 10, 1).astype("float32")
    y = kerasish.layers.SpectralNormalization(kerasish.layers.Conv2D(2, 2))(x)  # (1, 9, 9, 2)
    ```
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if isinstance(power_iterations, bool) or not isinstance(power_iterations, int) \
                or power_iterations <= 0:
            raise ValueError(
                "`power_iterations` should be greater than zero. Received: "
                f"power_iterations={power_iterations!r}"
            )
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        kernel = getattr(self.layer, "kernel", None)
        if kernel is None:
            kernel = getattr(self.layer, "embeddings", None)
        if kernel is None:
            raise ValueError(
                f"{type(self.layer).__name__} object has no attribute 'kernel' nor 'embeddings'. "
                f"Received: layer={self.layer.name!r}"
            )
        # Not registered on this module (the wrapped layer owns it), but listed first among this
        # layer's own weights, as Keras tracks it: files hold it in both places, as Keras's do.
        object.__setattr__(self, "kernel", kernel)
        self.kernel_shape = layouts.keras_shape(kernel)
        trainable = getattr(kernel, "_keras_trainable", True)
        (self._trainable_created if trainable else self._non_trainable_created).append(kernel)
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]), name="vector_u", trainable=False,
            initializer=initializers.TruncatedNormal(stddev=0.02), dtype=kernel.dtype)
        self.built = True

    def call(self, inputs, training=False):
        if training:
            with torch.no_grad():
                new_u, new_kernel = self.normalized_weights()
                unchanged = (self.kernel == 0).all()
                self.vector_u.copy_(torch.where(unchanged, self.vector_u, new_u))
                self.kernel.copy_(torch.where(unchanged, self.kernel, new_kernel))
        output = self.layer(inputs)
        return output.to(inputs.dtype) if inputs.is_floating_point() else output

    def normalized_weights(self):
        """`(vector_u, kernel / sigma)`: the power method's new vector and normalized kernel."""
        weights = layouts.to_keras(self.kernel).reshape(-1, self.kernel_shape[-1])
        vector_u = self.vector_u.detach()
        for _ in range(self.power_iterations):
            vector_v = _l2_normalize(vector_u @ weights.t())
            vector_u = _l2_normalize(vector_v @ weights)
        sigma = (vector_v @ weights) @ vector_u.t()
        return vector_u.to(self.vector_u.dtype), (self.kernel.detach() / sigma.reshape(())).to(
            self.kernel.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config["power_iterations"] = self.power_iterations
        return config
