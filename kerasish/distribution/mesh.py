"""`DeviceMesh`, `TensorLayout` and `LayoutMap`: Keras's vocabulary, on torch's `DeviceMesh`.

A Keras `DeviceMesh` names the axes of a grid of devices; its `backend_mesh` is the torch
`DeviceMesh` over the same ranks. A `TensorLayout` says, per tensor dimension, which mesh axis
splits it (`None`: not split); `placements(...)` gives the DTensor placements of that layout
(`Shard(dim)` on the mesh axes that split a dimension, `Replicate()` on the others).
"""

import collections.abc
import math
import re

import numpy as np
import torch

from kerasish.distribute import process_group
from kerasish.distribution import devices as devices_lib


def _device_rank(device):
    """The rank behind a device string `"gpu:3"` (or a torch device, or an int)."""
    if isinstance(device, (int, np.integer)):
        return int(device)
    if isinstance(device, torch.device):
        return int(device.index or 0)
    kind, sep, index = str(device).rpartition(":")
    if not sep or not index.isdigit():
        raise ValueError(f"Devices should be strings like 'gpu:0' or 'cpu:1'. Received: device={device!r}")
    return int(index)


class DeviceMesh:
    """A cluster of devices for distributed computation, with named axes.

    Args:
        shape: tuple of integers, the shape of the mesh, e.g. `(8,)` for data parallelism only
            or `(2, 4)` for data and model parallelism.
        axis_names: list of strings, one name per mesh axis (used by `TensorLayout`s).
        devices: optional list of devices. Defaults to all devices of the run
            (`keras.distribution.list_devices()`, one per process).

    Example:

    ```python
    mesh = DeviceMesh(shape=(1, 2), axis_names=("batch", "model"), devices=list_devices())
    ```
    """

    def __init__(self, shape, axis_names, devices=None):
        if not shape or not axis_names:
            raise ValueError("Shape and axis_names cannot be empty. "
                             f"Received: shape={shape}, axis_names={axis_names}")
        if len(shape) != len(axis_names):
            raise ValueError("Shape and axis_names should have same size. "
                             f"Received: shape={shape}, axis_names={axis_names}")
        if devices is None:
            devices = devices_lib.list_devices()
        devices = np.array(devices, dtype=object)
        if math.prod(shape) != devices.size:
            raise ValueError("Shape does not match the number of devices. "
                             f"Received: shape={shape}; devices.shape={devices.shape}")
        self._shape = tuple(int(s) for s in shape)
        self._axis_names = list(axis_names)
        self._devices = np.reshape(devices, self._shape)

    @property
    def shape(self):
        return self._shape

    @property
    def axis_names(self):
        return self._axis_names

    @property
    def devices(self):
        return self._devices

    def ranks(self):
        """The ranks of the mesh's devices, shaped like the mesh."""
        return np.vectorize(_device_rank, otypes=[np.int64])(self._devices)

    @property
    def backend_mesh(self):
        """The torch `DeviceMesh` over the same ranks (None in a single process)."""
        if "_backend_mesh" not in self.__dict__:
            self._backend_mesh = _to_torch_mesh(self)
        return self._backend_mesh

    def __repr__(self):
        return f"<{type(self).__name__} shape={self.shape}, axis_names={self.axis_names}>"

    __str__ = __repr__


def _to_torch_mesh(mesh):
    from torch.distributed.device_mesh import DeviceMesh as TorchMesh

    world = process_group.world_size()
    if world == 1 and not process_group.is_initialized():
        return None
    process_group.ensure_initialized(process_group.local_device())
    ranks = mesh.ranks()
    if sorted(ranks.ravel().tolist()) != list(range(world)):
        raise ValueError("The mesh's devices must be the run's devices, one per process "
                         f"(ranks 0..{world - 1}). Received: devices={mesh.devices.ravel().tolist()}")
    kind = process_group.local_device().type
    return TorchMesh(kind if kind in ("cuda", "cpu") else "cpu", torch.as_tensor(ranks),
                     mesh_dim_names=tuple(mesh.axis_names))


class TensorLayout:
    """A layout to apply to a tensor: per dimension, the mesh axis that splits it.

    Args:
        axes: tuple of mesh axis names (or `None` for a dimension that is not split), one per
            tensor dimension, in Keras's layout of the tensor.
        device_mesh: optional `DeviceMesh`; set later by a `LayoutMap` when omitted.

    Example:

    ```python
    layout = TensorLayout((None, "model"), mesh)  # a Dense kernel split by its output units
    ```
    """

    def __init__(self, axes, device_mesh=None):
        self._axes = tuple(axes)
        self._device_mesh = device_mesh
        self._validate_axes()

    @property
    def axes(self):
        return self._axes

    @property
    def device_mesh(self):
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh):
        if self._device_mesh is not None:
            raise ValueError(f"Cannot override device mesh value. Existing value is {self._device_mesh}")
        self._device_mesh = device_mesh
        self._validate_axes()

    def _validate_axes(self):
        if self._device_mesh is None:
            return
        unknown = set(self._axes) - set(self._device_mesh.axis_names) - {None}
        if unknown:
            raise ValueError(f"Invalid axis names for Layout. Valid axis names: "
                             f"{set(self._device_mesh.axis_names)}, Got {unknown}")
        named = [a for a in self._axes if a is not None]
        if len(named) != len(set(named)):
            raise ValueError(f"A mesh axis can split only one tensor dimension. Received: axes={self._axes}")

    def placements(self, keras_to_torch_dim=None):
        """The DTensor placements (one per mesh axis) of this layout for a tensor whose Keras
        dimension `d` is stored as dimension `keras_to_torch_dim[d]`."""
        from torch.distributed.tensor import Replicate, Shard

        out = []
        for name in self._device_mesh.axis_names:
            dims = [d for d, a in enumerate(self._axes) if a == name]
            if not dims:
                out.append(Replicate())
            else:
                d = dims[0]
                out.append(Shard(keras_to_torch_dim[d] if keras_to_torch_dim else d))
        return out

    def __repr__(self):
        return f"<{type(self).__name__} axes={self.axes}, device_mesh={self.device_mesh}>"

    __str__ = __repr__


class LayoutMap(collections.abc.MutableMapping):
    """A dict-like map from variable paths to `TensorLayout`s, whose keys are regexes.

    A lookup returns the layout of the exact key, else of the one key that `re.fullmatch`es the
    path (several matching keys are an error), else `None`. A tuple of axis names may be stored
    instead of a `TensorLayout`.

    Args:
        device_mesh: the `DeviceMesh` of the layouts.

    Example:

    ```python
    layout_map = LayoutMap(mesh)
    layout_map[".*dense.*kernel"] = (None, "model")
    layout_map[".*dense.*bias"] = ("model",)
    layout_map["dense_1/kernel"]  # TensorLayout(axes=(None, "model"))
    ```
    """

    def __init__(self, device_mesh):
        self._layout_map = collections.OrderedDict()
        self._device_mesh = device_mesh

    def __getitem__(self, key):
        if key in self._layout_map:
            return self._layout_map[key]
        matching = [p for p in self._layout_map if re.fullmatch(p, key)]
        if len(matching) > 1:
            raise ValueError(f"Path '{key}' matches multiple layout specification keys: {matching}. "
                             "Please make sure each tensor/variable path only matches at most one "
                             "layout specification key in the LayoutMap.")
        return self._layout_map[matching[0]] if matching else None

    def __setitem__(self, key, layout):
        if key in self._layout_map:
            raise ValueError(f"{key} already exist in the LayoutMap with value "
                             f"{self._layout_map[key]}. Please make sure to not use duplicated keys.")
        if isinstance(layout, (tuple, list)):
            layout = TensorLayout(axes=layout, device_mesh=None)
        if not isinstance(layout, TensorLayout):
            raise ValueError(f"{layout} should be a TensorLayout type, got {type(layout)}")
        if layout.device_mesh is None and self._device_mesh is not None:
            layout.device_mesh = self._device_mesh
        self._layout_map[key] = layout

    def __delitem__(self, key):
        return self._layout_map.pop(key)

    def __len__(self):
        return len(self._layout_map)

    def __iter__(self):
        return iter(self._layout_map)

    @property
    def device_mesh(self):
        return self._device_mesh


LayoutMap.get.__doc__ = LayoutMap.__getitem__.__doc__
