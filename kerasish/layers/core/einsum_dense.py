"""`EinsumDense`: a dense layer whose product is an einsum equation (Keras 3's layer, its weights,
shapes and names). Equations of the projection form `...XC,CY->...XY` (the contracted axes last in
the input and first in the kernel, in the same order) run as one matrix product."""

import math
import re

import torch

from kerasish import activations, constraints, initializers, regularizers
from kerasish.initializers import VarianceScaling
from kerasish.layers.core import lora
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


def analyze_einsum(equation, bias_axes, input_shape, output_shape):
    """`(kernel_shape, bias_shape, full_output_shape, input_axes, output_axes)` as Keras computes
    them; raises ValueError on an unsupported equation or mismatched shapes."""
    dotted = re.sub(r"\.\.\.", "0", equation)
    for pattern, left in (("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$", False),
                          ("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$", True),
                          ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$", False)):
        match = re.match(pattern, dotted)
        if match:
            return _analyze_split(match.groups(), bias_axes, input_shape, output_shape, left)
    raise ValueError(
        f"Invalid einsum equation '{equation}'. Equations must be in the form [X],[Y]->[Z], "
        f"...[X],[Y]->...[Z], or [X]...,[Y]->[Z].... Received: equation={equation!r}"
    )


def _analyze_split(specs, bias_axes, input_shape, output_shape, left_elided):
    input_spec, weight_spec, output_spec = specs
    input_shape = list(input_shape)
    elided = len(input_shape) - len(input_spec)
    output_shape = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    output_shape.insert(0, input_shape[0])
    if elided > 0 and left_elided:
        for i in range(1, elided):
            output_shape.insert(1, input_shape[i])
    elif elided > 0:
        output_shape.extend(input_shape[len(input_shape) - elided:])
    if left_elided:
        input_map = {d: i + elided - len(input_shape) for i, d in enumerate(input_spec)}
        output_map = {d: i + elided for i, d in enumerate(output_spec)}
    else:
        input_map = {d: i for i, d in enumerate(input_spec)}
        output_map = {d: i for i, d in enumerate(output_spec)}
    for d in input_spec:
        if d in output_map:
            out_dim, in_dim = output_shape[output_map[d]], input_shape[input_map[d]]
            if out_dim is not None and out_dim != in_dim:
                raise ValueError(
                    f"Input shape and output shape do not match at shared dimension '{d}'. "
                    f"Input shape is {in_dim}, and output shape is {out_dim}. "
                    f"Received: input_shape={tuple(input_shape)}"
                )
    for d in output_spec:
        if d not in input_spec and d not in weight_spec:
            raise ValueError(
                f"Dimension '{d}' was specified in the output '{output_spec}' but has no "
                f"corresponding dim in the input spec '{input_spec}' or weight spec "
                f"'{weight_spec}'. Received: output spec {output_spec!r}"
            )
    kernel_shape, input_axes, output_axes = [], [], []
    for i, d in enumerate(weight_spec):
        if d in output_map:
            kernel_shape.append(output_shape[output_map[d]])
            output_axes.append(i)
        elif d in input_map:
            kernel_shape.append(input_shape[input_map[d]])
            input_axes.append(i)
        else:
            raise ValueError(
                f"Weight dimension '{d}' did not have a match in either the input spec "
                f"'{input_spec}' or the output spec '{output_spec}'. For this layer, the weight "
                f"must be fully specified. Received: weight spec {weight_spec!r}"
            )
    bias_shape = None
    if bias_axes is not None:
        offset = elided if left_elided else 0
        sizes = {c: output_shape[i + offset] for i, c in enumerate(output_spec)}
        for c in bias_axes:
            if c not in output_spec:
                raise ValueError(f"Bias dimension '{c}' was requested, but is not part of the "
                                 f"output spec '{output_spec}'. Received: bias_axes={bias_axes!r}")
        first = min(output_spec.find(c) for c in bias_axes)
        bias_shape = [sizes[c] if c in bias_axes else 1 for c in output_spec[first:]]
        if not left_elided:
            bias_shape.extend([1] * max(elided, 0))
    return kernel_shape, bias_shape, output_shape, input_axes, output_axes


def _projection_plan(equation, input_ndim):
    """`n` (the count of contracted trailing input axes) when the equation is a plain projection
    `...XC,CY->...XY`, else None (torch.einsum runs it)."""
    match = re.match(r"^(\.\.\.)?([a-zA-Z]+),([a-zA-Z]+)->(\.\.\.)?([a-zA-Z]+)$", equation)
    if not match or bool(match.group(1)) != bool(match.group(4)):
        return None
    inp, weight, out = match.group(2), match.group(3), match.group(5)
    contracted = "".join(c for c in inp if c not in out)
    free_in = inp[:len(inp) - len(contracted)]
    free_w = weight[len(contracted):]
    if not contracted or inp != free_in + contracted or weight != contracted + free_w \
            or out != free_in + free_w or set(free_in) & set(weight) \
            or len(set(inp + weight)) != len(inp) + len(free_w):
        return None
    return len(contracted)


class _AxesInitializer:
    """A VarianceScaling initializer with fans over the einsum's input/output axes (as Keras 3
    sets `input_axes`/`output_axes`): drawn as a `(fan_in, fan_out)` matrix, elements are i.i.d.,
    then reshaped to the kernel."""

    def __init__(self, init, input_axes, output_axes):
        self.init, self.input_axes, self.output_axes = init, input_axes, output_axes

    def __call__(self, shape, dtype=None):
        fan_in = math.prod(shape[i] for i in self.input_axes)
        fan_out = math.prod(shape[i] for i in self.output_axes)
        return torch.as_tensor(self.init((fan_in, fan_out), dtype=dtype)).reshape(shape)


class EinsumDense(Layer):
    """A layer that uses `einsum` as the backing computation.

    Args:
        equation: an equation describing the einsum to perform, of the form `ab,bc->ac`,
            `...ab,bc->...ac` or `ab...,bc->ac...`.
        output_shape: the expected shape of the output (without the batch dimension); `None`
            entries are inferred from the input.
        activation: activation to use. Defaults to none (linear).
        bias_axes: letters of the output spec to add a bias over. Defaults to no bias.
        lora_rank: if set, LoRA of this rank is enabled when the layer is built (the kernel is
            frozen; see `enable_lora`).
        lora_alpha: LoRA scale numerator: the update is `(lora_alpha / lora_rank) * A @ B`.
            Defaults to `lora_rank`.

    `kernel_initializer`, `bias_initializer`, `kernel_regularizer`, `bias_regularizer`,
    `kernel_constraint`, `bias_constraint`: as in `Dense`.

    Example:

    ```python
    layer = kerasish.layers.EinsumDense("abc,cde->abde", output_shape=(None, 4, 16),
                                        bias_axes="de")
    y = layer(np.zeros((2, 10, 32), "float32"))  # (2, 10, 4, 16)
    ```
    """

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(equation, str):
            raise TypeError(f"`equation` must be a string. Received: equation={equation!r}")
        self.equation = equation
        if isinstance(output_shape, int):
            output_shape = (output_shape,)
        try:
            self.partial_output_shape = tuple(None if d is None else int(d) for d in output_shape)
        except (TypeError, ValueError):
            raise ValueError("`output_shape` must be an int or a tuple of ints and None. "
                             f"Received: output_shape={output_shape!r}") from None
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        lora.init_settings(self, lora_rank, lora_alpha)
        self.bias = None
        self._plan = None
        self._linear = activations.linear

    def build(self, input_shape):
        kernel_shape, bias_shape, _, input_axes, output_axes = analyze_einsum(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        if any(d is None for d in kernel_shape):
            raise ValueError(f"The kernel of {self.name!r} needs known sizes; got {kernel_shape} "
                             f"from the input shape. Received: input_shape={tuple(input_shape)}")
        self.input_spec = InputSpec(ndim=len(input_shape))
        init = self.kernel_initializer
        if isinstance(init, VarianceScaling):
            init = _AxesInitializer(init, input_axes, output_axes)
        self.kernel = self.add_weight(name="kernel", shape=tuple(kernel_shape), initializer=init,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if bias_shape is not None:
            self.bias = self.add_weight(name="bias", shape=tuple(bias_shape),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self._plan = _projection_plan(self.equation, len(input_shape))
        self._bias_is_full = self.bias is not None and self._plan is not None and \
            tuple(self.bias.shape) == tuple(kernel_shape[self._plan:])
        self.built = True
        if self.lora_rank:
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    @property
    def _kernel(self):
        return self.kernel

    def effective_kernel(self):
        """The kernel the layer computes with (merged with the LoRA update when enabled)."""
        return lora.merged(self) if self.lora_enabled else self.kernel

    def call(self, inputs):
        kernel = self.effective_kernel()
        if inputs.dtype != kernel.dtype and not torch.is_autocast_enabled(inputs.device.type):
            inputs = inputs.to(kernel.dtype)
        n = self._plan
        if n is None:
            out = torch.einsum(self.equation, inputs, kernel)
            if self.bias is not None:
                out = out + self.bias
        else:
            lead, contracted = inputs.shape[:inputs.ndim - n], kernel.shape[:n]
            trail = kernel.shape[n:]
            x2 = inputs.reshape(-1, math.prod(contracted))
            k2 = kernel.reshape(x2.shape[1], -1)
            if self._bias_is_full:
                out = torch.addmm(self.bias.reshape(-1), x2, k2)
            else:
                out = torch.mm(x2, k2)
            out = out.reshape(*lead, *trail)
            if self.bias is not None and not self._bias_is_full:
                out = out + self.bias
        return out if self.activation is self._linear else self.activation(out)

    def compute_output_shape(self, input_shape):
        return tuple(analyze_einsum(self.equation, self.bias_axes, input_shape,
                                    self.partial_output_shape)[2])

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform",
                    b_initializer="zeros"):
        """Freezes the kernel and adds trainable low-rank factors `lora_kernel_a`
        (`kernel.shape[:-1] + (rank,)`) and `lora_kernel_b` (`(rank, kernel.shape[-1])`); the
        layer computes with `kernel + (lora_alpha / rank) * lora_kernel_a @ lora_kernel_b`.
        Saving writes that merged kernel in the kernel's place (see `kerasish.layers.core.lora`)."""
        lora.enable_lora(self, "kernel", ("lora_kernel_a", "lora_kernel_b"), rank, lora_alpha,
                         a_initializer, b_initializer, self.kernel_regularizer,
                         self.kernel_constraint)

    def get_config(self):
        config = super().get_config()
        config.update({
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
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
        return f"name={self.name!r}, equation={self.equation!r}"
