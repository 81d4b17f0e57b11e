"""Symbolic output specs: shapes and dtypes found by running the torch code on `meta` tensors.

A KerasTensor argument becomes an empty `meta` tensor (no memory, no compute) of its shape, with
each `None` dim set to 83; when a dim is unknown, a second run sets it to 89 and every output dim
that differs between the runs is `None` (the sizes Keras's torch backend uses). Code that cannot
run on `meta` (it reads values, or calls a kernel without a meta implementation) runs once more on
real tensors of ones on the CPU. This replaces a hand-written shape rule per op and running layers
on real zero tensors.
"""

import torch

from kerasish.backend import dtypes
from kerasish.backend.keras_tensor import KerasTensor
from kerasish.ops import graph

FILL_SIZES = (83, 89)
# Tried in turn when an op refuses a size (`glu` splits an axis in halves, `reshape(x, (-1, 3))`
# needs a multiple of 3): even sizes, then sizes with many divisors.
_MORE_FILL_SIZES = ((84, 90), (120, 240))


def _has_unknown_dim(structure):
    return any(isinstance(t, KerasTensor) and None in t.shape for t in graph.flatten(structure))


def concrete(structure, fill, device="meta", make=torch.empty):
    """`structure` with each KerasTensor replaced by a tensor of its shape (`None` -> `fill`)."""
    def convert(x):
        if not isinstance(x, KerasTensor):
            return x
        shape = tuple(fill if d is None else d for d in x.shape)
        return make(shape, dtype=dtypes.to_torch_dtype(x.dtype), device=device)

    return graph.map_leaves(convert, structure)


def _pattern(shape, dtype, device):
    """0, 2, 4, 0, 2, 4, ...: values where data-dependent sizes (nonzero, unique, bincount,
    repeat) differ from those of ones."""
    n = 1
    for d in shape:
        n *= d
    return (torch.arange(n, device=device) % 3 * 2).to(dtype).reshape(shape)


def run_symbolically(fn, args, kwargs, fill, meta=True):
    """The outputs of `fn` on meta tensors standing for the KerasTensors: `[outputs]`.

    If meta fails, `fn` runs on real CPU tensors twice, of ones and of 0, 1, 0, ... (output sizes
    that depend on the values then differ): `[outputs on ones, outputs on the pattern]`.
    """
    with torch.no_grad():
        if meta:
            try:
                return [fn(*concrete(args, fill), **concrete(kwargs, fill))]
            except Exception:  # noqa: BLE001  (any failure on meta: retry on real tensors)
                pass
        # Ones and a pattern; values used as indices may be out of range in the pattern (or in
        # ones: a slice's start), so zeros alone, then ones alone, are the fallbacks.
        error = None
        for makes in ((torch.ones, _pattern), (torch.zeros,), (torch.ones,)):
            try:
                return [fn(*concrete(args, fill, "cpu", make), **concrete(kwargs, fill, "cpu", make))
                        for make in makes]
            except Exception as e:  # noqa: BLE001
                error = error or e
        raise error


def to_spec(x, shape=None):
    """A KerasTensor with the shape (or `shape`) and dtype of tensor `x`; other values as they are."""
    if isinstance(x, torch.Tensor):
        return KerasTensor(tuple(x.shape) if shape is None else shape, dtype=dtypes.dtype_name(x.dtype))
    return x


def merge_runs(runs, leaf=to_spec):
    """The leaves of several runs with the dims that differ between runs made `None`."""
    first = runs[0]
    flats = [graph.flatten(r) for r in runs]
    if any(len(f) != len(flats[0]) for f in flats):
        raise ValueError("The number of outputs depends on the input values, so it cannot be "
                         "inferred symbolically.")
    out = []
    for leaves in zip(*flats):
        a = leaves[0]
        if not all(isinstance(x, torch.Tensor) for x in leaves):
            out.append(leaf(a))
            continue
        if len({x.ndim for x in leaves}) > 1:
            raise ValueError(
                "The output rank depends on the unknown input sizes or values, so it cannot be "
                f"inferred symbolically. Received: ranks {[x.ndim for x in leaves]}"
            )
        shape = tuple(dims[0] if len(set(dims)) == 1 else None
                      for dims in zip(*(x.shape for x in leaves)))
        out.append(leaf(a, shape))
    return graph.pack_like(first, out)


def _static_sizes(structure):
    """Known sizes among the arguments (tensor dims, and ints such as a target shape's), largest
    first (1 would broadcast where the size is really another one)."""
    sizes = {1, 2, 3}  # and small ones: a reshape's or a cross product's
    for t in graph.flatten(structure):
        if isinstance(t, KerasTensor):
            sizes.update(d for d in t.shape if d is not None)
        elif isinstance(t, int) and not isinstance(t, bool) and t > 0:
            sizes.add(t)
    return sorted(sizes, reverse=True)


def _runs_with_unknown_dims(fn, args, kwargs, meta, hints=()):
    """Runs for two large fill sizes (dims that differ are unknown), plus a small one when the
    op accepts it (a dim that depends on the size only when it is small, like a diagonal's)."""
    error = None
    for sizes in (FILL_SIZES,) + _MORE_FILL_SIZES:
        try:
            runs = run_symbolically(fn, args, kwargs, sizes[0], meta)
            runs += run_symbolically(fn, args, kwargs, sizes[1], meta)
        except Exception as e:  # noqa: BLE001  (this size is refused: try the next)
            error = error or e
            continue
        try:
            small = run_symbolically(fn, args, kwargs, 2, meta)
        except Exception:  # noqa: BLE001  (sizes that small are refused: the large ones decide)
            small = []
        if all(_same_ranks(runs[0], r) for r in small):
            runs += small
        return runs
    # The unknown size must equal a known one (`matmul` of (None, 3) and (3, 2) with the batch
    # as the contracted dim, `broadcast_to`): the first static size the op accepts.
    for size in _static_sizes((args, kwargs, hints)):
        try:
            return run_symbolically(fn, args, kwargs, size, meta)
        except Exception:  # noqa: BLE001
            continue
    raise error


def _same_ranks(a, b):
    fa, fb = graph.flatten(a), graph.flatten(b)
    return len(fa) == len(fb) and all(
        not isinstance(x, torch.Tensor) or (isinstance(y, torch.Tensor) and x.ndim == y.ndim)
        for x, y in zip(fa, fb))


def compute_output_spec(fn, args, kwargs, values_matter=False, hints=()):
    """The KerasTensors `fn(*args, **kwargs)` returns, for arguments that contain KerasTensors.

    `values_matter`: the output sizes depend on the input values (`nonzero`, `repeat` with a
    tensor of repeats), so meta tensors, which have none, are skipped. `hints`: other values
    whose ints may be the size an unknown dim must have (an op's config: `reshape`'s shape).
    """
    meta = not values_matter
    if not _has_unknown_dim((args, kwargs)):
        return merge_runs(run_symbolically(fn, args, kwargs, FILL_SIZES[0], meta))
    return merge_runs(_runs_with_unknown_dims(fn, args, kwargs, meta, hints))
