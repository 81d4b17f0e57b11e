"""A direct inference path through a model's layers (`predict` and `evaluate` of `Sequential` and
functional models).

`layer(x)` costs about 10 us of bookkeeping on top of the layer's own `call`: the training flag,
masks, building, `add_loss` clearing, mixed-precision regions, rematerialization, activity
regularizers, then torch's hook machinery and `forward`. For a single-sample `predict` of a small
model that is most of the time. Under `torch.no_grad()`, with `training=False`, for a layer that
has none of those features in use, all of it does nothing, and `layer.call(x)` gives the same
result: this module calls such layers directly and every other layer the ordinary way.

The checks run on every call (a few attribute reads per layer), so hooks, regularizers or
policies set between two calls are always honoured; no plan is cached.
"""

import contextlib

import torch
from torch.nn.modules import module as _torch_module

from kerasish.layers.input_spec import assert_input_compatibility
from kerasish.layers.layer import Layer, call_context
from kerasish.ops import graph


def _torch_hooks(module):
    return (module._forward_hooks or module._forward_pre_hooks or module._backward_hooks
            or module._backward_pre_hooks)


def _global_hooks():
    m = _torch_module
    return (m._global_forward_hooks or m._global_forward_pre_hooks or m._global_backward_hooks
            or m._global_backward_pre_hooks)


def direct_call(layer):
    """`layer.call` when calling `layer(x)` on an unmasked tensor, in inference, would add only
    bookkeeping that does nothing; None otherwise. (A `call` with a `mask` argument gets none from
    an unmasked tensor either; a layer that computes masks is never called directly.)"""
    cls = type(layer)
    if (cls.__call__ is not Layer.__call__ or cls.forward is not Layer.forward
            or not layer.built or layer._initial_weights is not None
            or cls._overrides_compute_mask
            or layer.activity_regularizer is not None or layer._autocast_dtype is not None
            or _torch_hooks(layer)):
        return None
    return layer.call


def model_applies(model, base):
    """Whether the model's own call may be replaced by `call_chain` / `run_graph`: `base`'s own
    `call`, `__call__` and `forward` (a subclass that overrides one keeps the ordinary path), no
    gradient recorded, no torch tracing or compiling, no hooks, no mixed-precision region (the
    caller checks that its inputs are unmasked torch tensors with `plain_tensor`)."""
    cls = type(model)
    return (cls.call is base.call and cls.__call__ is base.__call__ and cls.forward is base.forward
            and not torch.is_grad_enabled() and not _global_hooks()
            and not torch._C._get_tracing_state() and not torch.compiler.is_compiling()
            and model.built and model._initial_weights is None
            and model.activity_regularizer is None and model._autocast_dtype is None
            and not _torch_hooks(model) and call_context().autocast is None)


def plain_tensor(x):
    """An unmasked torch tensor (not a subclass): a layer's bookkeeping has nothing to do for it."""
    return type(x) is torch.Tensor and getattr(x, "_keras_mask", None) is None


@contextlib.contextmanager
def _inference_call():
    # What the model's own `Layer.__call__` does around its `call` in inference.
    ctx = call_context()
    if ctx.depth == 0 and ctx.loss_layers:
        for layer in ctx.loss_layers:
            layer._clear_losses()
        ctx.loss_layers.clear()
    previous = ctx.training
    ctx.training = False
    ctx.depth += 1
    try:
        yield
    finally:
        ctx.depth -= 1
        ctx.training = previous


def _call(layer, call, x):
    try:
        return call(x, training=False) if layer._call_has_training_arg else call(x)
    except RuntimeError:
        if layer.input_spec is not None:  # Keras's message for a shape the spec explains
            assert_input_compatibility(layer.input_spec, x, layer.name)
        raise


def call_chain(layers, x):
    """`x` through `layers` in inference mode, as a `Sequential`'s own call runs them; the caller
    has checked `model_applies` and `plain_tensor(x)`."""
    direct = True
    with _inference_call():
        for layer in layers:
            call = direct_call(layer) if direct else None
            if call is None:
                # The ordinary call; it may return a masked or non-tensor output, which the
                # bookkeeping of the layers after it must see.
                direct = False
                x = layer(x)
            else:
                x = _call(layer, call, x)
                direct = plain_tensor(x)
    return x


def run_graph(plan, n_slots, input_slots, flat_inputs):
    """`kerasish.ops.graph.run_plan` in inference mode, calling directly each layer that gets one
    plain tensor and no keyword argument; the caller has checked `model_applies` and that the
    inputs are plain tensors."""
    values = [None] * n_slots
    for slot, x in zip(input_slots, flat_inputs):
        values[slot] = x
    with _inference_call():
        for op, fill, out_slots in plan:
            args, kwargs = fill(values)
            call = None
            if not kwargs and len(args) == 1 and isinstance(op, Layer) and plain_tensor(args[0]):
                call = direct_call(op)
            result = op(*args, **kwargs) if call is None else _call(op, call, args[0])
            if type(out_slots) is int:
                values[out_slots] = result
            else:
                for slot, value in zip(out_slots, graph.flatten(result)):
                    values[slot] = value
    return values
