"""`Dense`: `activation(inputs @ kernel + bias)`, with the kernel in Keras's `(in, out)` layout."""

import torch
import torch.nn.functional as F

from kerasish import activations, constraints, initializers, regularizers
from kerasish.compat.legacy_args import legacy_arguments
from kerasish.layers.core import lora
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer, inference_weight


def _transposed(kernel):
    return kernel.t().contiguous()


class Dense(Layer):
    """A densely-connected layer.

    Args:
        units: dimensionality of the output space.
        activation: activation name or function. Defaults to none (linear).
        use_bias: whether to add a bias vector. Defaults to `True`.
        kernel_initializer: defaults to `"glorot_uniform"`.
        bias_initializer: defaults to `"zeros"`.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional regularizers.
        kernel_constraint, bias_constraint: optional constraints.
        lora_rank: if set, LoRA of this rank is enabled when the layer is built: the kernel is
            frozen and trainable factors `lora_kernel_a` `(in, rank)` and `lora_kernel_b`
            `(rank, units)` are added (see `enable_lora`).
        lora_alpha: the LoRA update is scaled by `lora_alpha / lora_rank`. Defaults to
            `lora_rank`.

    Example:

    ```python
    model = kerasish.Sequential([kerasish.layers.Dense(32, activation="relu", input_shape=(784,))])
    ```
    """

    @legacy_arguments({
        "output_dim": "units", "init": "kernel_initializer", "W_regularizer": "kernel_regularizer",
        "b_regularizer": "bias_regularizer", "W_constraint": "kernel_constraint",
        "b_constraint": "bias_constraint", "bias": "use_bias",
    })
    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 lora_rank=None, lora_alpha=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            try:
                ok = int(units) == units and int(units) > 0
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise ValueError(
                    f"Received an invalid value for `units`, expected a positive integer. Received: units={units}"
                )
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True
        self._linear = activations.linear
        self.bias = None
        lora.init_settings(self, lora_rank, lora_alpha)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"The last dimension of the inputs to a Dense layer should be defined. Found None. "
                f"Full input shape received: {input_shape}"
            )
        self.kernel = self.add_weight(name="kernel", shape=(input_dim, self.units),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.units,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True
        if self.lora_rank:
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform",
                    b_initializer="zeros"):
        """Freezes the kernel and adds trainable low-rank factors `lora_kernel_a` `(in, rank)`
        and `lora_kernel_b` `(rank, units)`: the layer computes with
        `kernel + (lora_alpha / rank) * lora_kernel_a @ lora_kernel_b` (Keras 3's LoRA).
        Saving writes that merged kernel in the kernel's place."""
        lora.enable_lora(self, "kernel", ("lora_kernel_a", "lora_kernel_b"), rank, lora_alpha,
                         a_initializer, b_initializer, self.kernel_regularizer,
                         self.kernel_constraint)

    def call(self, inputs):
        kernel = lora.merged(self) if self.lora_enabled else self.kernel
        if inputs.dtype != kernel.dtype and not torch.is_autocast_enabled(inputs.device.type):
            inputs = inputs.to(kernel.dtype)
        if self.bias is not None and not self.lora_enabled:
            if inputs.ndim == 2:
                # Inference loops multiply by an (out, in) copy: the GEMM torch's nn.Linear runs,
                # ~5% faster on CPU than reading Keras's (in, out) kernel as it is.
                kernel_t = inference_weight(kernel, _transposed)
                out = torch.addmm(self.bias, inputs, kernel) if kernel_t is None \
                    else F.linear(inputs, kernel_t, self.bias)
            else:
                out = torch.matmul(inputs, kernel) + self.bias
        else:
            out = torch.matmul(inputs, kernel)
            if self.bias is not None:
                out = out + self.bias
        activation = self.activation
        return out if activation is self._linear else activation(out)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update({
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        })
        config.update(lora.config_entries(self))
        return config

    def extra_repr(self):
        return f"name={self.name!r}, units={self.units}, activation={getattr(self.activation, '__name__', self.activation)}"
