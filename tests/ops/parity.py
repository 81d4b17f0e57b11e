"""Data-driven parity of `kerasish.ops` against real Keras 3 (torch backend).

Each family keeps a table `CASES` in `tests/ops/cases_<family>.py` built with `case(...)`; the
generic tests in `test_ops_parity.py` run every case eagerly in both libraries (values, dtypes,
shapes) and, where the case allows, symbolically (shapes with `None` dims and dtypes).

Arguments are given as numpy arrays / Python values; each library receives its own copy.
"""

import copy

import numpy as np
import torch


class Case:
    __slots__ = ("op", "args", "kwargs", "id", "rtol", "atol", "check_dtype", "symbolic",
                 "module", "grad", "compare")

    def __init__(self, op, args, kwargs, id=None, rtol=1e-5, atol=1e-6, check_dtype=True,
                 symbolic=True, module=None, grad=False, compare=None):
        self.op, self.args, self.kwargs = op, args, kwargs
        self.id = id or op
        self.rtol, self.atol, self.check_dtype = rtol, atol, check_dtype
        self.symbolic, self.module, self.grad, self.compare = symbolic, module, grad, compare

    def __repr__(self):
        return f"Case({self.id})"


def case(op, *args, _id=None, _rtol=1e-5, _atol=1e-6, _dtype=True, _symbolic=True,
         _module=None, _grad=False, _compare=None, **kwargs):
    """One call `ops.<_module>.<op>(*args, **kwargs)` to compare.

    Options (underscored so they never clash with an op's keyword arguments):
        _id: the test id (defaults to the op name; give one when an op has several cases).
        _rtol, _atol: tolerances of the value comparison.
        _dtype: compare result dtypes too (default True).
        _symbolic: also compare symbolic output shapes/dtypes (default True).
        _module: the op's module under `ops` (e.g. "image", "linalg"); default the top level.
        _grad: also compare the gradient of `sum(output)` w.r.t. the floating array arguments.
        _compare: a function `(ours, ref)` for outputs that are only equal up to a convention
            (eigenvector signs, random ops...), replacing the value comparison.
    """
    return Case(op, args, kwargs, _id, _rtol, _atol, _dtype, _symbolic, _module, _grad, _compare)


def resolve(ops_module, c):
    mod = ops_module if c.module is None else getattr(ops_module, c.module)
    return getattr(mod, c.op)


def to_numpy(x):
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu()
        if x.dtype == torch.bfloat16:
            x = x.float()
        return x.numpy()
    return np.asarray(x)


def dtype_of(x):
    if isinstance(x, torch.Tensor):
        return str(x.dtype).replace("torch.", "")
    return type(x).__name__


def flatten(x):
    if isinstance(x, (list, tuple)):
        out = []
        for v in x:
            out.extend(flatten(v))
        return out
    if isinstance(x, dict):
        return flatten([x[k] for k in sorted(x)])
    return [x]


def assert_same(ours, ref, c):
    """Values, shapes and (by default) dtypes of two op results are the same."""
    assert type(ours) is type(ref) or not isinstance(ref, (list, tuple, dict)), \
        f"{c.id}: structure {type(ours).__name__} != Keras's {type(ref).__name__}"
    fo, fr = flatten(ours), flatten(ref)
    assert len(fo) == len(fr), f"{c.id}: {len(fo)} outputs, Keras gives {len(fr)}"
    if c.compare is not None:
        c.compare(ours, ref)
    for o, r in zip(fo, fr):
        if c.check_dtype and isinstance(r, torch.Tensor):
            assert dtype_of(o) == dtype_of(r), f"{c.id}: dtype {dtype_of(o)} != Keras's {dtype_of(r)}"
        if isinstance(r, torch.Tensor):
            assert isinstance(o, torch.Tensor), f"{c.id}: returned {type(o).__name__}, not a tensor"
        ao, ar = to_numpy(o), to_numpy(r)
        assert ao.shape == ar.shape, f"{c.id}: shape {ao.shape} != Keras's {ar.shape}"
        if c.compare is None:
            if ar.dtype.kind in "fc":
                np.testing.assert_allclose(ao, ar, rtol=c.rtol, atol=c.atol, equal_nan=True,
                                           err_msg=c.id)
            else:
                np.testing.assert_array_equal(ao, ar, err_msg=c.id)


def run_eager(kerasish_ops, keras_ops, c):
    ours = resolve(kerasish_ops, c)(*copy.deepcopy(c.args), **copy.deepcopy(c.kwargs))
    ref = resolve(keras_ops, c)(*copy.deepcopy(c.args), **copy.deepcopy(c.kwargs))
    assert_same(ours, ref, c)
    if c.grad:
        _check_grad(kerasish_ops, keras_ops, c)


def _grad_of(fn, c):
    args = [torch.tensor(a, requires_grad=True) if isinstance(a, np.ndarray) and a.dtype.kind == "f"
            else copy.deepcopy(a) for a in c.args]
    out = fn(*args, **copy.deepcopy(c.kwargs))
    total = sum(o.float().sum() for o in flatten(out) if isinstance(o, torch.Tensor))
    leaves = [a for a in args if isinstance(a, torch.Tensor) and a.requires_grad]
    grads = torch.autograd.grad(total, leaves, allow_unused=True)
    return [None if g is None else g.numpy() for g in grads]


def _check_grad(kerasish_ops, keras_ops, c):
    ours = _grad_of(resolve(kerasish_ops, c), c)
    ref = _grad_of(resolve(keras_ops, c), c)
    for o, r in zip(ours, ref):
        assert (o is None) == (r is None), f"{c.id}: gradient presence differs"
        if r is not None:
            np.testing.assert_allclose(o, r, rtol=max(c.rtol, 1e-5), atol=max(c.atol, 1e-5),
                                       err_msg=f"{c.id} (gradient)")
