"""What `kerasish.distribution` installs in the lower floors (DESIGN.md, Floors): the layout of
weights at creation, the gathering of split weights around a layer's forward pass, and the reads
and writes of split variables."""

import torch

from kerasish.backend import layouts
from kerasish.distribution import sharded
from kerasish.distribution.distributions import distribution


def on_weight_created(layer, variable):
    """`add_weight` hook: a weight created under a sharding distribution keeps only its shard."""
    dist = distribution()
    if dist is None or not dist._shards_variables:
        return
    mesh = dist.device_mesh.backend_mesh
    if mesh is None:
        return  # a single process: every layout is the whole tensor
    sharded.shard_new_variable(dist, mesh, variable, dist.get_variable_layout(variable))
    owned = layer.__dict__.get("_dist_weights")
    if owned is None:
        owned = layer.__dict__["_dist_weights"] = []
        layer.__dict__["_dist_swapped"] = []
        layer.register_forward_pre_hook(_gather_weights)
        layer.register_forward_hook(_restore_weights, always_call=True)
    owned.append(variable)


def _gather_weights(layer, args):
    """Puts the whole value of each split weight where the layer's `call` reads it."""
    swapped, wholes = [], []
    grad = torch.is_grad_enabled()
    for var in layer.__dict__["_dist_weights"]:
        spec = var._dist_spec
        if spec.split:
            value = sharded.gather(var)
            if grad and var.requires_grad:
                wholes.append((value.untyped_storage().data_ptr(), var))
        elif spec.reduces and grad and var.requires_grad:
            value = sharded.through_reduction(var)
        else:
            continue
        # The registered parameter, and any plain attribute aliasing it (`self.w = add_weight()`).
        found = [(store, key) for store in (layer._parameters, layer.__dict__)
                 for key, held in store.items() if held is var]
        for store, key in found:
            store[key] = value
            swapped.append((store, key, var))
    regather = None
    if wholes:
        regather = _regathering(wholes)
        regather.__enter__()
    layer.__dict__["_dist_swapped"].append((swapped, regather))


def _restore_weights(layer, args, output):
    swapped, regather = layer.__dict__["_dist_swapped"].pop()
    if regather is not None:
        regather.__exit__(None, None, None)
    for store, key, var in swapped:
        store[key] = var


class _Regather:
    """What autograd keeps of a whole weight the backward pass needs: the variable (its shard)
    and the view; the whole value is gathered again when the backward pass reaches it."""

    def __init__(self, var, tensor):
        self.var = var
        self.view = (tensor.size(), tensor.stride(), tensor.storage_offset())

    def unpack(self):
        return sharded.whole_value(self.var).as_strided(*self.view)


def _regathering(wholes):
    """Saved-tensor hooks for the layer's forward pass: a tensor that views a gathered weight is
    kept as a `_Regather`, so the whole weights do not stay in memory from the forward pass to
    the backward pass (FSDP's resharding after forward: peak memory holds one layer's whole
    weights, not the model's)."""
    by_storage = dict(wholes)

    def pack(tensor):
        try:
            var = by_storage.get(tensor.untyped_storage().data_ptr())
        except (RuntimeError, NotImplementedError):  # a tensor without storage of its own
            return tensor
        return tensor if var is None else _Regather(var, tensor)

    def unpack(saved):
        return saved.unpack() if isinstance(saved, _Regather) else saved

    return torch.autograd.graph.saved_tensors_hooks(pack, unpack)


class _ShardedIO:
    """Reads and writes of split variables, for `kerasish.backend.layouts`."""

    @staticmethod
    def read(param, detach):
        if detach:
            return sharded.whole_value(param)
        spec = param._dist_spec
        if spec.split:
            return sharded.gather(param)
        return sharded.through_reduction(param) if spec.reduces else param

    @staticmethod
    def local(param, whole):
        return sharded.local_shard(param, whole)

    @staticmethod
    def shape(param):
        return param._dist_spec.shape


def install():
    from kerasish.layers import layer as layer_module

    layer_module.add_weight_created_hook(on_weight_created)
    layouts.set_sharded_io(_ShardedIO)
