"""`kerasish.distribution`: Keras 3's distribution API on torch's DeviceMesh and DTensor.

Keras implements `keras.distribution` for JAX only; here the same names run under `torchrun`,
one process per device:

- `DataParallel`: variables replicated, batches split (DistributedDataParallel), or, with
  `fully_shard=True`, variables, gradients and optimizer state split across the processes
  (FSDP/ZeRO-3 style) with the same results.
- `ModelParallel(layout_map=..., batch_dim_name=...)`: variables whose path matches a key of
  the `LayoutMap` keep only their shard on each process (DTensor placements of the layout),
  batches are split along the batch axis of the mesh.

`fit`, `evaluate`, `predict`, `save` and `load` work unchanged. See docs/distributed.md.
"""

from kerasish.backend.keras_tensor import KerasTensor
from kerasish.distribution import hooks as _hooks
from kerasish.distribution.devices import get_device_count, initialize, list_devices  # noqa: F401
from kerasish.distribution.distributions import (  # noqa: F401
    DataParallel,
    Distribution,
    ModelParallel,
    distribution,
    set_distribution,
)
from kerasish.distribution.mesh import DeviceMesh, LayoutMap, TensorLayout  # noqa: F401


def distribute_tensor(tensor, layout):
    """Lays out `tensor` (the same whole value on every process) as `layout` says.

    Args:
        tensor: a tensor (or array).
        layout: a `TensorLayout` with a device mesh.

    Returns:
        A `torch.distributed.tensor.DTensor` holding this process's shard (its logical value is
        `tensor`); in a single process, `tensor` itself. A `KerasTensor` is returned unchanged.

    Example:

    >>> data_parallel = keras.distribution.DataParallel(devices=["cpu:0"])
    >>> layout = data_parallel.get_data_layout((2, 3))
    >>> keras.distribution.distribute_tensor(ops.ones((2, 3)), layout).shape
    torch.Size([2, 3])
    """
    import torch

    if isinstance(tensor, KerasTensor):
        return tensor
    if not isinstance(layout, TensorLayout) or layout.device_mesh is None:
        raise ValueError("`layout` should be a `TensorLayout` with a `device_mesh`. "
                         f"Received: layout={layout!r}")
    tensor = torch.as_tensor(tensor)
    if len(layout.axes) != tensor.ndim:
        raise ValueError(f"The layout has {len(layout.axes)} axes but the tensor has {tensor.ndim} "
                         f"dimensions. Received: layout={layout}")
    mesh = layout.device_mesh.backend_mesh
    if mesh is None:
        return tensor
    from torch.distributed.tensor import distribute_tensor as torch_distribute

    return torch_distribute(tensor, mesh, layout.placements(), src_data_rank=None)


_hooks.install()
