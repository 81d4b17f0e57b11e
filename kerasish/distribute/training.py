"""What `fit`/`evaluate`/`predict` do differently when launched by torchrun."""

import torch

from kerasish import distribution as distribution_lib
from kerasish.distribute import process_group
from kerasish.distribute.sharding import ShardedAdapter, all_reduce_metric_results, gather_rows

# Callbacks that only write output: they run on rank 0 alone.
_CHIEF_ONLY_CALLBACKS = ("ModelCheckpoint", "CSVLogger", "TensorBoard", "RemoteMonitor", "ProgbarLogger")


def begin(model):
    """Sets up the process group when launched distributed; returns whether this run is.

    Also notes whether the model holds variables split across processes
    (`kerasish.distribution`): those train without DDP, their layers gather what they need."""
    model.__dict__["_dist_engine"] = _split_variables_distribution(model)
    return process_group.ensure_initialized(model._model_device())


def _split_variables_distribution(model):
    for w in model.weights:
        spec = getattr(w, "_dist_spec", None)
        if spec is not None:
            return spec.distribution
    return None


def engine(model):
    """The distribution whose variables `model` holds split across processes, or None."""
    return model.__dict__.get("_dist_engine")


def active():
    return process_group.is_initialized() and process_group.world_size() > 1


def shard(adapter, model, scale_loss=True):
    """This rank's share of each global batch of `adapter`: along the batch axis of the model's
    distribution, or across all ranks (DDP). With `scale_loss`, sets the model's loss scale."""
    if adapter is None:
        return None
    dist, current = engine(model), distribution_lib.distribution()
    if dist is None and not model.built and current is not None and current._shards_variables \
            and current.device_mesh.backend_mesh is not None:
        dist = current  # its variables will be created (split) when the loop builds it
    current = dist or current
    if dist is not None:
        shard_id, shards, factor = dist.data_shard_id, dist.num_model_replicas, 1
    else:
        shard_id, shards, factor = process_group.rank(), process_group.world_size(), None
    if current is not None and not current.auto_shard_dataset:
        # Each process already reads its own data: gradients are averaged over the replicas
        # (DDP averages itself; split variables sum, so the loss is divided here).
        if scale_loss:
            model.__dict__["_dist_loss_scale"] = 1.0 / shards if dist is not None else 1.0
        return adapter
    return ShardedAdapter(adapter, shard_id, shards, model if scale_loss else None,
                          summed=factor is not None)


def chief_callbacks(callbacks, model=None):
    """The user's callbacks for this rank: non-chief ranks drop the ones that only write output.

    A model with split variables keeps `ModelCheckpoint` on every rank: saving gathers the
    variables, which takes every rank (only rank 0 writes)."""
    if callbacks is None or process_group.is_chief():
        return callbacks
    keep = ("ModelCheckpoint",) if model is not None and engine(model) is not None else ()
    return [cb for cb in callbacks
            if type(cb).__name__ not in _CHIEF_ONLY_CALLBACKS or type(cb).__name__ in keep]


def wrap_ddp(model):
    """Wraps the model in DDP for this fit (rank 0's weights are broadcast to all ranks).

    A model with split variables needs no wrapper (its layers gather the variables and the
    backward pass reduces the gradients); its optimizer is checked instead."""
    model.__dict__["_dist_engine"] = _split_variables_distribution(model)  # built by now
    if engine(model) is not None:
        _check_split_optimizer(model.optimizer)
        return
    from torch.nn.parallel import DistributedDataParallel

    device = model._model_device()
    ids = [device.index if device.index is not None else 0] if device.type == "cuda" else None
    model.__dict__["_ddp_module"] = DistributedDataParallel(model, device_ids=ids)


# Update rules that read a whole variable or gradient (norms, row/column statistics,
# orthogonalization), which a process holding a shard cannot compute alone.
_WHOLE_TENSOR_OPTIMIZERS = ("Adafactor", "Lamb", "Muon")


def _check_split_optimizer(optimizer):
    """Refuses what would give other results on variables split across processes."""
    inner = getattr(optimizer, "inner_optimizer", optimizer)
    for opt in [inner] + list(getattr(inner, "optimizers", None) or []):
        if type(opt).__name__ in _WHOLE_TENSOR_OPTIMIZERS:
            raise ValueError(
                f"The {type(opt).__name__} optimizer's update reads whole variables, but this "
                "model's variables are split across processes (kerasish.distribution) and each "
                "process holds a shard. Use an element-wise optimizer (SGD, Adam, AdamW, RMSprop, "
                f"...) or DataParallel without fully_shard. Received: optimizer={opt}")
        for arg in ("clipnorm", "global_clipnorm"):
            value = getattr(opt, arg, None)
            if value is not None:
                raise ValueError(
                    f"`{arg}` needs the norm of whole gradients, but this model's variables are "
                    "split across processes (kerasish.distribution) and each process holds a shard "
                    f"of each gradient. Use `clipvalue`, or no clipping. Received: {arg}={value}")


def unwrap_ddp(model):
    model.__dict__.pop("_ddp_module", None)
    model.__dict__.pop("_dist_loss_scale", None)


def metric_results(model):
    dist = engine(model)
    if dist is None:
        return all_reduce_metric_results(model.metrics)
    if dist.num_model_replicas == 1:
        return model.get_metrics_result()  # every rank saw every row
    mesh = dist.device_mesh.backend_mesh
    return all_reduce_metric_results(model.metrics, group=mesh.get_group(dist.batch_dim_name))


def shards_predictions(model):
    """Whether `predict` splits its rows across ranks: not for split variables, whose gathers
    need every rank to run the same batches (each rank predicts every row instead)."""
    return engine(model) is None


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
