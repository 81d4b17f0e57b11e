"""What `fit`/`evaluate`/`predict` do differently when launched by torchrun."""

import torch

from kerasish.distribute import process_group
from kerasish.distribute.sharding import ShardedAdapter, all_reduce_metric_results, gather_rows

# Callbacks that only write output: they run on rank 0 alone.
_CHIEF_ONLY_CALLBACKS = ("ModelCheckpoint", "CSVLogger", "TensorBoard", "RemoteMonitor", "ProgbarLogger")


def begin(model):
    """Sets up the process group when launched distributed; returns whether this run is."""
    return process_group.ensure_initialized(model._model_device())


def active():
    return process_group.is_initialized() and process_group.world_size() > 1


def shard(adapter, model=None):
    if adapter is None:
        return None
    return ShardedAdapter(adapter, process_group.rank(), process_group.world_size(), model)


def chief_callbacks(callbacks):
    """The user's callbacks for this rank: non-chief ranks drop the ones that only write output."""
    if callbacks is None or process_group.is_chief():
        return callbacks
    return [cb for cb in callbacks if type(cb).__name__ not in _CHIEF_ONLY_CALLBACKS]


def wrap_ddp(model):
    """Wraps the model in DDP for this fit (rank 0's weights are broadcast to all ranks)."""
    from torch.nn.parallel import DistributedDataParallel

    device = model._model_device()
    ids = [device.index if device.index is not None else 0] if device.type == "cuda" else None
    model.__dict__["_ddp_module"] = DistributedDataParallel(model, device_ids=ids)


def unwrap_ddp(model):
    model.__dict__.pop("_ddp_module", None)
    model.__dict__.pop("_dist_loss_scale", None)


def metric_results(model):
    return all_reduce_metric_results(model.metrics)


def predict_shard(x, rows):
    """The contiguous row range of `rows` this rank predicts."""
    world, rank = process_group.world_size(), process_group.rank()
    base, extra = divmod(rows, world)
    start = rank * base + min(rank, extra)
    return start, start + base + (1 if rank < extra else 0)


def gather_predictions(outputs, total_rows):
    if isinstance(outputs, torch.Tensor):
        return gather_rows(outputs, total_rows)
    if isinstance(outputs, (list, tuple)):
        return type(outputs)(gather_predictions(o, total_rows) for o in outputs)
    if isinstance(outputs, dict):
        return {k: gather_predictions(v, total_rows) for k, v in outputs.items()}
    return outputs
