"""Every shape-static case of the numpy math tables also runs on meta tensors (the symbolic path
runs the eager ops on them) and gives the eager result's shapes and dtypes."""

import copy

import numpy as np
import pytest
import torch

from kerasish import ops
from tests.ops import cases_np_math, cases_np_reductions
from tests.ops.parity import flatten, resolve


def _meta(a):
    if isinstance(a, np.ndarray):
        return torch.empty(a.shape, dtype=torch.from_numpy(a.reshape(-1)[:0]).dtype, device="meta")
    return copy.deepcopy(a)


_STATIC = [c for c in cases_np_math.CASES + cases_np_reductions.CASES if c.symbolic]


@pytest.mark.parametrize("c", _STATIC, ids=[c.id for c in _STATIC])
def test_shape_static_cases_run_on_meta_tensors(c):
    fn = resolve(ops, c)
    real = fn(*copy.deepcopy(c.args), **copy.deepcopy(c.kwargs))
    meta = fn(*map(_meta, c.args), **{k: _meta(v) for k, v in c.kwargs.items()})
    on_meta = any(isinstance(a, np.ndarray) for a in list(c.args) + list(c.kwargs.values()))
    for r, m in zip(flatten(real), flatten(meta), strict=True):
        assert (tuple(m.shape), m.dtype) == (tuple(r.shape), r.dtype), c.id
        assert m.device.type == "meta" or not on_meta, c.id


def test_lists_next_to_meta_tensors_follow_them():
    x = torch.empty(3, 2, device="meta")
    for fn in (ops.add, ops.maximum, ops.divide, ops.floor_divide, ops.arctan2, ops.isclose):
        out = fn(x, [1.0, 2.0])
        assert out.device.type == "meta" and tuple(out.shape) == (3, 2), fn.__name__
    assert ops.average(x, axis=-1, weights=[1.0, 3.0]).shape == (3,)
