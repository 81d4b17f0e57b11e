"""Weight layouts: Keras's (what `get_weights`, `set_weights` and files speak) <-> torch's (what the
kernels want).

A parameter stored in a torch layout carries `_keras_layout = name`; `to_keras(p)` gives the Keras
view and `to_torch(name, array)` converts back. Dense kernels keep Keras's `(in, out)` layout, which
`torch.addmm` reads without a copy, so most parameters need no entry here.
"""

import torch

from kerasish.backend import numpy_dtypes

# name -> (torch_to_keras, keras_to_torch); both take and return tensors.
_LAYOUTS = {}


def register_layout(name, torch_to_keras, keras_to_torch):
    _LAYOUTS[name] = (torch_to_keras, keras_to_torch)


def _conv_to_keras(w):  # (out, in, *k) -> (*k, in, out)
    nd = w.ndim - 2
    return w.permute(*range(2, 2 + nd), 1, 0)


def _conv_to_torch(w):  # (*k, in, out) -> (out, in, *k)
    nd = w.ndim - 2
    return w.permute(nd + 1, nd, *range(nd))


register_layout("conv", _conv_to_keras, _conv_to_torch)


def _conv_transpose_to_keras(w):  # torch (in, out, *k) -> keras (*k, out, in)
    nd = w.ndim - 2
    return w.permute(*range(2, 2 + nd), 1, 0)


register_layout("conv_transpose", _conv_transpose_to_keras, _conv_to_torch)


def _depthwise_to_keras(w):  # torch (in, depth_multiplier, *k) -> keras (*k, in, depth_multiplier)
    nd = w.ndim - 2
    return w.permute(*range(2, 2 + nd), 0, 1)


def _depthwise_to_torch(w):  # keras (*k, in, depth_multiplier) -> torch (in, depth_multiplier, *k)
    nd = w.ndim - 2
    return w.permute(nd, nd + 1, *range(nd))


# Depthwise kernels are stored as (in, depth_multiplier, *k) rather than torch's grouped
# (in * depth_multiplier, 1, *k): the two are the same memory, so the conv gets a free `reshape`
# view, while the stored shape keeps `depth_multiplier` recoverable for Keras's layout.
register_layout("depthwise", _depthwise_to_keras, _depthwise_to_torch)


# Activations: Keras tensors are channels-last; torch kernels want channels-first. A permuted view
# of a contiguous channels-last tensor is exactly torch's `channels_last` memory format, so these
# are free (no copy) and convolution kernels accept them as they are.
def to_channels_first(x):
    """A channels-first view of a channels-last tensor `(batch, *spatial, channels)`."""
    return x.movedim(-1, 1)


def to_channels_last(x):
    """A channels-last view of a channels-first tensor `(batch, channels, *spatial)`."""
    return x.movedim(1, -1)


# Variables split across processes (`kerasish.distribution`, installed from above): reads give the
# whole value, writes keep this process's shard of it.
_SHARDED = None


def set_sharded_io(io):
    """Installs `io` (`read(param, detach)`, `local(param, whole)`, `shape(param)`) for variables
    that carry a `_dist_spec`."""
    global _SHARDED
    _SHARDED = io


def local_value(param, value):
    """`value` (torch layout, the whole variable) cut to what `param` holds in this process."""
    if _SHARDED is not None and getattr(param, "_dist_spec", None) is not None:
        return _SHARDED.local(param, value)
    return value


def layout_of(param):
    return getattr(param, "_keras_layout", None)


def to_keras(param, detach=True):
    """The parameter's value as a tensor in Keras's layout (a view where possible).

    With `detach=False` the view stays in the autograd graph (for regularizers)."""
    name = layout_of(param)
    if _SHARDED is not None and getattr(param, "_dist_spec", None) is not None:
        t = _SHARDED.read(param, detach)  # the whole value of a variable split across processes
    else:
        t = param.detach() if detach else param
    return t if name is None else _LAYOUTS[name][0](t)


def view_as_keras(tensor, name):
    """`tensor`, stored in torch layout `name`, seen in Keras's layout (a view sharing memory, so
    in-place updates reach the tensor). Identity for `None`."""
    return tensor if name is None else _LAYOUTS[name][0](tensor)


def to_numpy_copy(tensor):
    """A new numpy array holding `tensor`'s value, never a view of its memory.

    `.cpu().numpy()` of a CPU tensor shares the tensor's memory, so an array kept for later
    (`get_weights()` before training, EarlyStopping's best weights) would follow the live
    parameter; Keras hands out copies."""
    return numpy_dtypes.tensor_to_numpy(tensor)


def keras_numpy(param):
    """The parameter's value in Keras's layout as a new numpy array (a copy, see `to_numpy_copy`)."""
    return to_numpy_copy(to_keras(param))


def keras_shape(param):
    if _SHARDED is not None and getattr(param, "_dist_spec", None) is not None:
        whole = torch.empty(_SHARDED.shape(param), device="meta")
        name = layout_of(param)
        return tuple((whole if name is None else _LAYOUTS[name][0](whole)).shape)
    return tuple(to_keras(param).shape)


def to_torch(name, value):
    """A Keras-layout tensor converted to the torch layout `name` (identity for None)."""
    if name is None:
        return value
    return _LAYOUTS[name][1](value)


def assign_keras_value(param, value):
    """Copies a Keras-layout array or tensor into `param`."""
    value = numpy_dtypes.as_tensor(value)
    with torch.no_grad():
        param.copy_(local_value(param, to_torch(layout_of(param),
                                                value.to(device=param.device, dtype=param.dtype))))
