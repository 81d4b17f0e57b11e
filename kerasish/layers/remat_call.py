"""A layer call under a `RematScope` (Keras 3): the call, or its activation, is rematerialized
(`kerasish.remat`, gradient checkpointing), according to the scope the layer was created in.
Also registers the call-context capture that lets `remat` recompute with the forward pass's
training flag (so Dropout recomputes the same dropped units)."""

import contextlib
import math

from torch import nn

from kerasish.backend.scopes import register_remat_capture, remat


def remat_layer_call(layer, args, kwargs, input_shape):
    """`nn.Module.__call__(layer, *args, **kwargs)`, rematerialized where the layer's mode says."""
    mode = layer._remat_mode
    call = nn.Module.__call__.__get__(layer)
    if mode.mode == "full" or (mode.mode == "list_of_layers" and layer.name in mode.layer_names):
        return remat(call)(*args, **kwargs)
    if mode.mode == "larger_than" and _output_size(layer, input_shape) > mode.output_size_threshold:
        return remat(call)(*args, **kwargs)
    activation = layer.__dict__.get("activation")
    if mode.mode == "activations" and callable(activation):
        layer.__dict__["activation"] = remat(activation)
        try:
            return call(*args, **kwargs)
        finally:
            layer.__dict__["activation"] = activation
    return call(*args, **kwargs)


def _output_size(layer, input_shape):
    """Elements per output (unknown sizes count as 1, as Keras counts); 0 when not known."""
    try:
        shape = layer.compute_output_shape(input_shape)
    except Exception:  # noqa: BLE001 - no shape rule: the layer is not rematerialized
        return 0
    shapes = shape if shape and isinstance(shape[0], (list, tuple)) else [shape]
    return sum(math.prod(d or 1 for d in s) for s in shapes if s is not None)


def _capture_call_context():
    from kerasish.layers.layer import call_context

    ctx = call_context()
    saved = (ctx.training, ctx.depth, ctx.autocast)

    @contextlib.contextmanager
    def restore():
        # The recomputation may run on autograd's device thread: set that thread's context.
        current = call_context()
        previous = (current.training, current.depth, current.autocast)
        current.training, current.depth, current.autocast = saved
        try:
            yield
        finally:
            current.training, current.depth, current.autocast = previous

    return restore


register_remat_capture(_capture_call_context)
