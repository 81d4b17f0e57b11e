"""`DataParallel` and `ModelParallel`, and the current distribution (`distribution()`,
`set_distribution`).

As in Keras, the current distribution is kept per thread (Keras keeps it in its thread-local
global state); a variable created while one is current is laid out as it says, and `fit`,
`evaluate` and `predict` shard their inputs along its batch axis.
"""

import contextlib
import threading
import warnings

import numpy as np

from kerasish.distribute import process_group
from kerasish.distribution import devices as devices_lib
from kerasish.distribution.mesh import DeviceMesh, LayoutMap, TensorLayout

DEFAULT_BATCH_DIM_NAME = "batch"

_STATE = threading.local()


def distribution():
    """Retrieve the current distribution (None when none is set).

    Example:

    >>> keras.distribution.distribution() is None  # until `set_distribution`
    True
    """
    return getattr(_STATE, "distribution", None)


def set_distribution(value):
    """Set the distribution as the current distribution setting.

    Args:
        value: a `Distribution` instance, or None to clear it.

    Example:

    >>> data_parallel = keras.distribution.DataParallel(devices=["cpu:0"])
    >>> keras.distribution.set_distribution(data_parallel)
    >>> keras.distribution.distribution() is data_parallel
    True
    >>> keras.distribution.set_distribution(None)
    """
    if value is not None and not isinstance(value, Distribution):
        raise ValueError("`set_distribution` expects a `keras.distribution.Distribution` "
                         f"(DataParallel or ModelParallel) or None. Received: value={value!r}")
    _STATE.distribution = value


class Distribution:
    """Base class for distributions: how variables and input data are laid out on a mesh.

    Args:
        device_mesh: a `DeviceMesh`.
        batch_dim_name: the mesh axis the input batch is split along.
        auto_shard_dataset: whether `fit`/`evaluate` give each process its share of every
            global batch. Set to `False` when each process already reads only its own data.
            Defaults to `True`.

    Example:

    >>> data_parallel = keras.distribution.DataParallel(devices=["cpu:0"])
    >>> isinstance(data_parallel, keras.distribution.Distribution)
    True
    >>> data_parallel.device_mesh.shape, data_parallel.batch_dim_name
    ((1,), 'batch')
    """

    def __init__(self, device_mesh, batch_dim_name=None, auto_shard_dataset=True):
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name
        self._auto_shard_dataset = auto_shard_dataset
        self._num_processes = process_group.world_size()
        self._process_id = process_group.rank()
        self._is_multi_process = self._num_processes > 1

    @property
    def device_mesh(self):
        return self._device_mesh

    @property
    def batch_dim_name(self):
        return self._batch_dim_name

    @property
    def auto_shard_dataset(self):
        return self._auto_shard_dataset

    @auto_shard_dataset.setter
    def auto_shard_dataset(self, value):
        self._auto_shard_dataset = value

    @property
    def num_processes(self):
        """Total number of processes in the cluster."""
        return self._num_processes

    @property
    def num_model_replicas(self):
        """Number of model replicas (the size of the batch axis)."""
        return self._device_mesh.shape[self._device_mesh.axis_names.index(self._batch_dim_name)]

    @property
    def data_shard_id(self):
        """The share of each global batch this process computes: its position on the batch axis."""
        axis = self._device_mesh.axis_names.index(self._batch_dim_name)
        where = np.argwhere(self._device_mesh.ranks() == self._process_id)
        return int(where[0][axis]) if len(where) else 0

    def get_data_layout(self, data_shape):
        """The `TensorLayout` of an input: split along the batch axis on its first dimension."""
        axes = [None] * len(data_shape)
        axes[0] = self._batch_dim_name
        return TensorLayout(axes, self._device_mesh)

    def get_variable_layout(self, variable):
        raise NotImplementedError

    def get_tensor_layout(self, path):
        raise NotImplementedError

    @property
    def _shards_variables(self):
        """Whether variables created under this distribution are kept split across processes."""
        return False

    @contextlib.contextmanager
    def scope(self):
        """Context manager to make the `Distribution` current."""
        original = distribution()
        set_distribution(self)
        try:
            yield
        finally:
            set_distribution(original)

    def distribute_dataset(self, dataset):
        """Returns `dataset`: kerasish shards arrays, datasets and generators inside `fit`."""
        return dataset

    def __repr__(self):
        return f"<{type(self).__name__} device_mesh={self.device_mesh}>"

    __str__ = __repr__


class DataParallel(Distribution):
    """Data parallelism: variables replicated, every global batch split across the devices.

    Give a 1D `device_mesh` or a list of `devices` (not both); by default all devices of the run
    (one per process). Under torchrun, training runs with DistributedDataParallel.

    Args:
        device_mesh: optional `DeviceMesh`; its first axis is the batch axis.
        devices: optional list of devices for a 1D mesh.
        auto_shard_dataset: see `Distribution`. Defaults to `True`.
        fully_shard: kerasish option. When `True`, variables created under this distribution
            are split across the processes (each holds 1/N of every variable, its gradient and
            its optimizer state), gathered layer by layer for the forward pass, and gradients
            are reduce-scattered: FSDP's (ZeRO-3's) memory saving, with the same results.
            Defaults to `False`.

    Example:

    ```python
    keras.distribution.set_distribution(keras.distribution.DataParallel(fully_shard=True))
    model = build_model()  # its variables are created split across the processes
    ```
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True, fully_shard=False):
        if device_mesh is not None and not isinstance(device_mesh, DeviceMesh):
            raise ValueError("Expect `mesh` to be an instance of `DeviceMesh`. "
                             f"Received: mesh={device_mesh} (of type {type(device_mesh)})")
        if device_mesh is None:
            devices = np.array(devices if devices else devices_lib.list_devices(), dtype=object)
            device_mesh = DeviceMesh(devices.shape, [DEFAULT_BATCH_DIM_NAME], devices)
        super().__init__(device_mesh, device_mesh.axis_names[0], auto_shard_dataset)
        if self.device_mesh.devices.ndim != 1:
            warnings.warn("Expect the input mesh to be 1D, but received mesh.devices.ndim="
                          f"{device_mesh.devices.ndim}. The first axis will be used for "
                          "data-parallel sharding.", stacklevel=2)
        self._fully_shard = bool(fully_shard)

    @property
    def num_model_replicas(self):
        return self.device_mesh.devices.size

    @property
    def _shards_variables(self):
        return self._fully_shard

    def get_variable_layout(self, variable):
        """Replicated; with `fully_shard=True`, split along its largest dimension."""
        if getattr(variable, "_layout", None) is not None:
            return variable._layout
        shape = tuple(variable.shape) if not hasattr(variable, "_keras_view") else \
            tuple(variable._keras_view().shape)
        axes = [None] * len(shape)
        if self._fully_shard and shape:
            axes[int(np.argmax(shape))] = self.batch_dim_name
        return TensorLayout(axes, self.device_mesh)

    def get_tensor_layout(self, path):
        return None


class ModelParallel(Distribution):
    """Model parallelism: variables split across devices as a `LayoutMap` says.

    Variables created under it (by `set_distribution` or `scope()`) whose path matches a key
    of `layout_map` keep only this process's part; the others are replicated. Input batches
    are split along the `batch_dim_name` axis of the mesh and replicated along the others.

    Args:
        layout_map: `LayoutMap` from variable paths (regexes) to layouts.
        batch_dim_name: the mesh axis that splits the data. Defaults to the mesh's first axis.
        auto_shard_dataset: see `Distribution`. Defaults to `True`.

    Example:

    ```python
    mesh = DeviceMesh((1, 2), ("batch", "model"), list_devices())
    layout_map = LayoutMap(mesh)
    layout_map[".*dense.*kernel"] = (None, "model")
    layout_map[".*dense.*bias"] = ("model",)
    set_distribution(ModelParallel(layout_map=layout_map, batch_dim_name="batch"))
    model = build_model()
    model.fit(x, y)
    ```
    """

    def __init__(self, *, layout_map=None, batch_dim_name=None, auto_shard_dataset=True, **kwargs):
        kwargs.pop("device_mesh", None)
        if kwargs:
            raise TypeError(f"ModelParallel() got unexpected keyword arguments: {sorted(kwargs)}")
        if layout_map is None:
            raise ValueError("You must specify a layout_map argument.")
        if not isinstance(layout_map, LayoutMap):
            raise ValueError(f"Argument `layout_map` must be a `LayoutMap` instance. Received: layout_map={layout_map}")
        mesh = layout_map.device_mesh
        batch_dim_name = batch_dim_name or mesh.axis_names[0]
        if batch_dim_name not in mesh.axis_names:
            raise ValueError(f"`batch_dim_name` should be one of the mesh's axis names "
                             f"{mesh.axis_names}. Received: batch_dim_name={batch_dim_name!r}")
        super().__init__(mesh, batch_dim_name, auto_shard_dataset)
        self._layout_map = layout_map

    @property
    def _shards_variables(self):
        return True

    def get_variable_layout(self, variable):
        if getattr(variable, "_layout", None) is not None:
            return variable._layout
        layout = self._layout_map[variable.path]
        if layout is not None:
            return layout
        return TensorLayout([None] * len(variable.shape), self.device_mesh)

    def get_tensor_layout(self, path):
        return self._layout_map[path]
