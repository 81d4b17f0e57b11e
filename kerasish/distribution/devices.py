"""Devices of a distributed run: one per process, as torchrun launches them.

kerasish runs one process per accelerator (`torchrun --nproc_per_node=N`), so the global devices
are the processes: `"gpu:3"` is the GPU of rank 3 (or `"cpu:3"` when training on CPUs).
"""

import os

import torch

from kerasish.distribute import process_group

_TYPES = ("cpu", "gpu", "tpu")


def _default_type():
    return "gpu" if process_group.local_device().type == "cuda" else "cpu"


def _check_type(device_type):
    if device_type is None:
        return _default_type()
    if not isinstance(device_type, str) or device_type.lower() not in _TYPES:
        raise ValueError(f"`device_type` should be one of {list(_TYPES)} or None. "
                         f"Received: device_type={device_type!r}")
    device_type = device_type.lower()
    if device_type != _default_type():
        return None
    return device_type


def list_devices(device_type=None):
    """Returns all the devices of the run, one per process (global devices under torchrun).

    Args:
        device_type: string, one of `"cpu"`, `"gpu"` or `"tpu"`. Defaults to `"gpu"` when the
            processes train on GPUs, otherwise `"cpu"`.

    Returns:
        List of strings `"device_type:id"`, where `id` is the process's rank, e.g.
        `["gpu:0", "gpu:1"]` under `torchrun --nproc_per_node=2` on a GPU machine.

    Example:

    >>> keras.distribution.list_devices("cpu")
    ['cpu:0']
    """
    kind = _check_type(device_type)
    if kind is None:
        return []
    return [f"{kind}:{i}" for i in range(process_group.world_size())]


def get_device_count(device_type=None):
    """Returns the number of devices of the run (the number of processes under torchrun).

    Args:
        device_type: string, one of `"cpu"`, `"gpu"` or `"tpu"`. Defaults to the type the
            processes train on.

    Example:

    >>> keras.distribution.get_device_count("cpu")
    1
    """
    return len(list_devices(device_type))


def _from_env(value, name, cast):
    if value is None and name in os.environ:
        return cast(os.environ[name])
    return value


def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Initializes the process group for a multi-process (multi-node) run.

    Under `torchrun` nothing is needed: the launcher's environment says everything, and calling
    `initialize()` only sets the process group up early. Without torchrun, give the address of
    process 0 (the first of the comma-separated `job_addresses`, `host:port`), the number of
    processes and this process's id, or set `KERAS_DISTRIBUTION_JOB_ADDRESSES`,
    `KERAS_DISTRIBUTION_NUM_PROCESSES` and `KERAS_DISTRIBUTION_PROCESS_ID`.

    Example:

    ```python
    # on each of two machines, process_id=0 on 10.0.0.1 and process_id=1 on the other
    keras.distribution.initialize("10.0.0.1:1234,10.0.0.2:2345", num_processes=2, process_id=0)
    ```
    """
    job_addresses = _from_env(job_addresses, "KERAS_DISTRIBUTION_JOB_ADDRESSES", str)
    num_processes = _from_env(num_processes, "KERAS_DISTRIBUTION_NUM_PROCESSES", int)
    process_id = _from_env(process_id, "KERAS_DISTRIBUTION_PROCESS_ID", int)
    if job_addresses is not None:
        first = str(job_addresses).split(",")[0].strip()
        host, sep, port = first.rpartition(":")
        if not sep or not host or not port.isdigit():
            raise ValueError("`job_addresses` should be comma-separated `host:port` entries, the "
                             f"first being process 0's. Received: job_addresses={job_addresses!r}")
        os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = host, port
    if num_processes is not None:
        if int(num_processes) < 1:
            raise ValueError(f"`num_processes` should be a positive integer. "
                             f"Received: num_processes={num_processes!r}")
        os.environ["WORLD_SIZE"] = str(int(num_processes))
    if process_id is not None:
        if not 0 <= int(process_id) < int(os.environ.get("WORLD_SIZE", "1")):
            raise ValueError("`process_id` should be in [0, num_processes). "
                             f"Received: process_id={process_id!r}")
        os.environ["RANK"] = str(int(process_id))
        if "LOCAL_RANK" not in os.environ:
            gpus = torch.cuda.device_count()
            os.environ["LOCAL_RANK"] = str(int(process_id) % gpus if gpus else 0)
    process_group.ensure_initialized(process_group.local_device())
