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
    swapped = []
    grad = torch.is_grad_enabled()
    for var in layer.__dict__["_dist_weights"]:
        spec = var._dist_spec
        if spec.split:
            value = sharded.gather(var)
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
    layer.__dict__["_dist_swapped"].append(swapped)


def _restore_weights(layer, args, output):
    for store, key, var in layer.__dict__["_dist_swapped"].pop():
        store[key] = var


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
