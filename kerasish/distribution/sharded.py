"""Variables laid out across processes: each process keeps only its shard.

A variable created while a distribution that shards variables is current (`ModelParallel`, or
`DataParallel(fully_shard=True)`) is cut at creation: rank 0's initial value is scattered as the
layout's DTensor placements say and the variable keeps its local shard (`variable.shape` is the
local shape; `variable._dist_spec` records the whole). Its layer gathers the whole value for its
forward pass (a DTensor redistribution to `Replicate`, differentiable), so layer code is
unchanged; autograd sends each gradient back as the placements say: summed over the batch axis
(the processes saw different rows) and cut to the local shard (a reduce-scatter for split
variables, an all-reduce for replicated ones). Optimizer slots are made from the local shards, so
parameters, gradients and optimizer state all take 1/N of the memory on a split axis of size N.
Reading a variable (`numpy()`, `get_weights`, saving) gathers the whole value; assigning one
(`assign`, `set_weights`, loading) keeps this process's shard of it.
"""

import contextlib

import torch

from kerasish.backend import layouts

_PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29)


class ShardSpec:
    """Where a variable's shards live: the torch mesh, the placements, the whole (torch) shape."""

    def __init__(self, distribution, mesh, placements, shape):
        from torch.distributed.tensor import Partial, Replicate, Shard

        self.distribution, self.mesh, self.placements = distribution, mesh, tuple(placements)
        self.shape = torch.Size(shape)
        stride, acc = [], 1
        for size in reversed(self.shape):
            stride.append(acc)
            acc *= size
        self.stride = tuple(reversed(stride))
        batch = distribution.device_mesh.axis_names.index(distribution.batch_dim_name)
        self.split = any(isinstance(p, Shard) for p in self.placements)
        # The gradient of the gathered value is a partial sum over the batch axis (each data
        # replica saw its own rows) and the same on the other axes.
        self.grad_placements = tuple(Partial() if i == batch and mesh.size(i) > 1 else Replicate()
                                     for i in range(mesh.ndim))
        self.reduces = any(isinstance(p, Partial) for p in self.grad_placements)
        self.replicated = (Replicate(),) * mesh.ndim

    def dtensor(self, local):
        from torch.distributed.tensor import DTensor

        return DTensor.from_local(local, self.mesh, self.placements, run_check=False,
                                  shape=self.shape, stride=self.stride)


def keras_to_torch_dims(layout_name, ndim):
    """For a weight stored in torch layout `layout_name`, the torch dim of each Keras dim."""
    if layout_name is None or ndim == 0:
        return list(range(ndim))
    sizes = _PRIMES[:ndim]
    torch_shape = tuple(layouts.to_torch(layout_name, torch.empty(sizes, device="meta")).shape)
    return [torch_shape.index(s) for s in sizes]


def shard_new_variable(distribution, mesh, variable, layout):
    """Cuts a freshly created (whole) variable to this process's shard of rank 0's value."""
    from torch.distributed.tensor import distribute_tensor

    keras_ndim = len(layouts.keras_shape(variable))
    if len(layout.axes) != keras_ndim:
        raise ValueError(f"The layout of variable {variable.path!r} has {len(layout.axes)} axes, but "
                         f"the variable has {keras_ndim} dimensions "
                         f"(shape {layouts.keras_shape(variable)}). Received: layout={layout}")
    placements = layout.placements(keras_to_torch_dims(layouts.layout_of(variable), keras_ndim))
    spec = ShardSpec(distribution, mesh, placements, variable.shape)
    if spec.split and getattr(variable, "_keras_constraint", None) is not None:
        raise ValueError(f"Variable {variable.path!r} has a constraint, which kerasish cannot apply "
                         "to a variable split across processes (it would see only a shard). Leave it "
                         f"out of the layout map or drop the constraint. Received: layout={layout}")
    with torch.no_grad():
        # src_data_rank=0: every process starts from rank 0's initial value, as DDP does.
        local = distribute_tensor(variable.detach(), mesh, placements, src_data_rank=0).to_local()
        variable.data = local.clone().contiguous()
    variable._dist_spec = spec
    return spec


def gather(variable):
    """The whole value of a split variable, differentiable (the layer's forward uses it)."""
    spec = variable._dist_spec
    whole = spec.dtensor(variable).redistribute(spec.mesh, spec.replicated)
    return whole.to_local(grad_placements=spec.grad_placements)


def through_reduction(variable):
    """A replicated variable whose gradient is summed over the batch axis in the backward pass."""
    spec = variable._dist_spec
    return spec.dtensor(variable).to_local(grad_placements=spec.grad_placements)


def whole_value(variable):
    """The whole value (torch layout), without autograd: for reading and saving."""
    spec = variable._dist_spec
    with torch.no_grad():
        return spec.dtensor(variable.detach()).full_tensor() if spec.split else variable.detach()


def local_shard(variable, whole):
    """This process's shard of `whole` (torch layout, on every process): no communication."""
    from torch.distributed.tensor import distribute_tensor

    spec = variable._dist_spec
    if not spec.split:
        return whole
    return distribute_tensor(whole, spec.mesh, spec.placements, src_data_rank=None).to_local()


def split_variables(model):
    """The variables of `model` and of its optimizer that carry a `_dist_spec`."""
    optimizer = getattr(model, "optimizer", None)
    slots = list(getattr(optimizer, "variables", None) or []) if optimizer is not None else []
    return [v for v in list(model.weights) + slots if getattr(v, "_dist_spec", None) is not None]


@contextlib.contextmanager
def whole_variables(variables):
    """Meanwhile, each of `variables` holds its whole value as a plain variable (to save a model
    in Keras's formats). The gathers are collectives: every process enters, in the same order."""
    saved = []
    try:
        for v in variables:
            whole = whole_value(v)
            saved.append((v, v.data, v._dist_spec))
            v.data = whole
            del v._dist_spec
        yield
    finally:
        for v, data, spec in saved:
            v.data = data
            v._dist_spec = spec
