"""`kerasish.distribute`: data-parallel training across processes with torchrun.

A script launched with `torchrun --nproc_per_node=N script.py` trains with DDP without code
changes: `fit` sets up the process group from torchrun's environment (gloo on CPU, nccl on CUDA),
shards each global batch across ranks, all-reduces metrics so every rank logs global values, and
only rank 0 prints and writes files. `MirroredStrategy` / `MultiWorkerMirroredStrategy` accept
tf.distribute-style code (`with strategy.scope(): model = ...`) and map onto the same machinery.
"""

import contextlib
import threading

from kerasish.distribute.process_group import (  # noqa: F401
    ensure_initialized,
    is_chief,
    is_initialized,
    launched_distributed,
    local_device,
    rank,
    shutdown,
    world_size,
)


class MirroredStrategy:
    """tf.distribute's synchronous data parallelism, on torch DDP.

    Under torchrun each process is one replica; without it, a single replica. `scope()` is where
    tf.distribute code builds and compiles its model; kerasish needs nothing special there.

    Example:

    ```python
    strategy = kerasish.distribute.MirroredStrategy()
    with strategy.scope():
        model = build_model()
        model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=64 * strategy.num_replicas_in_sync)
    ```
    """

    def __init__(self, devices=None, cross_device_ops=None, **kwargs):
        self.devices = devices
        ensure_initialized(local_device())

    @property
    def num_replicas_in_sync(self):
        return world_size()

    @contextlib.contextmanager
    def scope(self):
        previous = getattr(_CURRENT, "strategy", None)
        _CURRENT.strategy = self
        try:
            yield self
        finally:
            _CURRENT.strategy = previous

    def experimental_distribute_dataset(self, dataset, options=None):
        return dataset  # fit() shards the data itself


class MultiWorkerMirroredStrategy(MirroredStrategy):
    """Multi-node data parallelism: the same machinery, launched with `torchrun --nnodes ...`."""

    def __init__(self, cluster_resolver=None, communication_options=None, **kwargs):
        super().__init__()


# The strategy whose scope is open, per thread (Keras 3 keeps its distribution in thread-local state).
_CURRENT = threading.local()


def get_strategy():
    """The strategy whose `scope()` is active (a default single-replica one otherwise)."""
    return getattr(_CURRENT, "strategy", None) or _DEFAULT


class _DefaultStrategy(MirroredStrategy):
    def __init__(self):
        self.devices = None


_DEFAULT = _DefaultStrategy()
