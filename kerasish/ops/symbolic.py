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


def run_symbolically(fn, args, kwargs, fill):
    """`fn` on meta tensors standing for the KerasTensors; on ones (CPU) if meta fails."""
    with torch.no_grad():
        try:
            return fn(*concrete(args, fill), **concrete(kwargs, fill))
        except Exception:  # noqa: BLE001  (any failure on meta: retry on real tensors)
            pass
        return fn(*concrete(args, fill, "cpu", torch.ones), **concrete(kwargs, fill, "cpu", torch.ones))


def to_spec(x, shape=None):
    """A KerasTensor with the shape (or `shape`) and dtype of tensor `x`; other values as they are."""
    if isinstance(x, torch.Tensor):
        return KerasTensor(tuple(x.shape) if shape is None else shape, dtype=dtypes.dtype_name(x.dtype))
    return x


def merge_runs(first, second, leaf=to_spec):
    """The leaves of two runs (fill sizes 83 and 89) with differing dims made `None`."""
    flat_a, flat_b = graph.flatten(first), graph.flatten(second)
    out = []
    for a, b in zip(flat_a, flat_b):
        if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
            if a.ndim != b.ndim:
                raise ValueError(
                    "The output rank depends on the unknown input sizes, so it cannot be inferred "
                    f"symbolically. Received: ranks {a.ndim} and {b.ndim}"
                )
            shape = tuple(da if da == db else None for da, db in zip(a.shape, b.shape))
            out.append(leaf(a, shape))
        else:
            out.append(leaf(a))
    return graph.pack_like(first, out)


def compute_output_spec(fn, args, kwargs):
    """The KerasTensors `fn(*args, **kwargs)` returns, for arguments that contain KerasTensors."""
    if not _has_unknown_dim((args, kwargs)):
        return graph.map_leaves(to_spec, run_symbolically(fn, args, kwargs, FILL_SIZES[0]))
    error = None
    for sizes in (FILL_SIZES,) + _MORE_FILL_SIZES:
        try:
            first = run_symbolically(fn, args, kwargs, sizes[0])
            second = run_symbolically(fn, args, kwargs, sizes[1])
        except Exception as e:  # noqa: BLE001  (this size is refused: try the next)
            error = error or e
            continue
        return merge_runs(first, second)
    raise error
