"""A direct inference path through a chain of layers (a `Sequential`'s predict and evaluate).

`layer(x)` costs about 10 us of bookkeeping on top of the layer's own `call`: the training flag,
masks, building, `add_loss` clearing, mixed-precision regions, rematerialization, activity
regularizers, then torch's hook machinery and `forward`. For a single-sample `predict` of a small
model that is most of the time. Under `torch.no_grad()`, with `training=False`, for a layer that
has none of those features in use, all of it does nothing, and `layer.call(x)` gives the same
result: this module calls such layers directly and every other layer the ordinary way.

The checks run on every call (a few attribute reads per layer), so hooks, regularizers or
policies set between two calls are always honoured; no plan is cached.
"""

import torch
from torch.nn.modules import module as _torch_module

from kerasish.layers.input_spec import assert_input_compatibility
from kerasish.layers.layer import Layer, call_context
from kerasish.layers.layer_utils import _mask_of


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


def model_applies(model, x):
    """Whether `model(x, training=False)` may run as `call_chain`: no gradient recorded, no torch
    tracing or compiling, no hooks, no mixed-precision region, an unmasked torch tensor in."""
    return (type(x) is torch.Tensor and not torch.is_grad_enabled() and not _global_hooks()
            and not torch._C._get_tracing_state() and not torch.compiler.is_compiling()
            and model.built and model._initial_weights is None
            and model.activity_regularizer is None and model._autocast_dtype is None
            and not _torch_hooks(model) and _mask_of(x) is None
            and call_context().autocast is None)


def call_chain(layers, x):
    """`x` through `layers` in inference mode, as the model's own call would run them; the caller
    has checked `model_applies`."""
    ctx = call_context()
    if ctx.depth == 0 and ctx.loss_layers:  # what the model's own call does first
        for layer in ctx.loss_layers:
            layer._clear_losses()
        ctx.loss_layers.clear()
    previous = ctx.training
    ctx.training = False
    ctx.depth += 1
    direct = True
    try:
        for layer in layers:
            call = direct_call(layer) if direct else None
            if call is None:
                # The ordinary call; it may return a masked or non-tensor output, which the
                # bookkeeping of the layers after it must see.
                direct = False
                x = layer(x)
                continue
            try:
                x = call(x, training=False) if layer._call_has_training_arg else call(x)
            except RuntimeError:
                if layer.input_spec is not None:  # Keras's message for a shape the spec explains
                    assert_input_compatibility(layer.input_spec, x, layer.name)
                raise
            direct = type(x) is torch.Tensor and getattr(x, "_keras_mask", None) is None
    finally:
        ctx.depth -= 1
        ctx.training = previous
    return x
