"""Each rank's share of the data and of the metrics.

`batch_size` keeps MirroredStrategy's meaning: it is the GLOBAL batch. Every rank walks the same
sequence of global batches (shuffled with a generator seeded identically on all ranks) and takes
its slice of each; the loss is rescaled so that averaging gradients across ranks gives the gradient
of the global batch's loss, exactly as one process training on the whole batch.
"""

import torch
import torch.distributed as dist

from kerasish.trainers import data_adapters


def _slice(structure, start, stop):
    leaves, rebuild = data_adapters.flatten_structure(structure)
    if not leaves:
        return structure
    return rebuild([leaf[start:stop] for leaf in leaves])


def _rows(structure):
    leaves, _ = data_adapters.flatten_structure(structure)
    return int(leaves[0].shape[0]) if leaves else 0


class ShardedAdapter:
    """Wraps an adapter of global batches; yields this rank's contiguous slice of each batch.

    With a `model`, sets `model._dist_loss_scale = local_rows * world_size / global_rows` for each
    batch it yields (DDP averages the gradients), or `local_rows / global_rows` when `summed`
    (gradients of split variables are summed over the data replicas).
    """

    def __init__(self, adapter, rank, world_size, model=None, summed=False):
        self.adapter = adapter
        self.rank, self.world_size = rank, world_size
        self.model = model
        self._factor = 1 if summed else world_size
        # The same shuffle on every rank: one seed from rank 0 for this fit.
        if hasattr(adapter, "_generator") or hasattr(adapter, "_order"):
            seed = torch.randint(0, 2 ** 62, (1,), dtype=torch.int64)
            dist.broadcast(seed, src=0)
            generator = torch.Generator()
            generator.manual_seed(int(seed))
            adapter._generator = generator

    @property
    def num_batches(self):
        return self.adapter.num_batches

    def __getattr__(self, name):
        return getattr(self.adapter, name)

    def __iter__(self):
        for batch in self.adapter:
            x, y, sw = data_adapters.unpack_x_y_sample_weight(batch)
            n = _rows(x)
            base, extra = divmod(n, self.world_size)
            start = self.rank * base + min(self.rank, extra)
            stop = start + base + (1 if self.rank < extra else 0)
            if self.model is not None:
                # Read by Trainer.train_step: makes the DDP gradient average equal the global
                # batch's gradient when the last batch does not split evenly.
                self.model.__dict__["_dist_loss_scale"] = (stop - start) * self._factor / max(n, 1)
            yield _slice(x, start, stop), _slice(y, start, stop), _slice(sw, start, stop)


def all_reduce_metric_results(metrics, group=None):
    """Each metric's result over all ranks' updates (those of `group`), leaving the local states
    as they were."""
    from kerasish.trainers.logs import LossTracker

    saved = []
    for m in metrics:
        for v in m.variables:
            saved.append((v, v.detach().clone()))
            dist.all_reduce(v.data, op=dist.ReduceOp.SUM, group=group)
    counts = {}
    for m in metrics:
        if isinstance(m, LossTracker):
            c = torch.tensor([float(m.count)], dtype=torch.float64,
                             device=m.total.device if m.total.device.type != "cpu" else "cpu")
            dist.all_reduce(c, op=dist.ReduceOp.SUM, group=group)
            counts[m] = m.count
            m.count = float(c[0])
    try:
        return {m.name: m.result() for m in metrics
                if not (isinstance(m, LossTracker) and m.count == 0)}
    finally:
        for v, value in saved:
            v.data.copy_(value)
        for m, c in counts.items():
            m.count = c


def gather_rows(local, total_rows):
    """Concatenates every rank's rows (in rank order) from a local tensor; equal on all ranks."""
    world = dist.get_world_size()
    sizes = [torch.zeros(1, dtype=torch.int64, device=local.device) for _ in range(world)]
    dist.all_gather(sizes, torch.tensor([local.shape[0]], dtype=torch.int64, device=local.device))
    longest = int(max(int(s) for s in sizes))
    padded = torch.zeros((longest,) + tuple(local.shape[1:]), dtype=local.dtype, device=local.device)
    padded[: local.shape[0]] = local
    parts = [torch.empty_like(padded) for _ in range(world)]
    dist.all_gather(parts, padded)
    return torch.cat([p[: int(s)] for p, s in zip(parts, sizes)])[:total_rows]
