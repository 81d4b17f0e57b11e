"""The dispatcher (`kerasish.ops.dispatch.keras_op`): a KerasTensor anywhere in a call (positional,
keyword, inside lists / tuples / dicts) reaches the symbolic handler, for every public op; calls on
plain torch tensors, numbers, None, strings, dtypes and tuples of ints never do."""

import inspect

import numpy as np
import pytest
import torch

from kerasish import ops
from kerasish.backend.keras_tensor import KerasTensor
from kerasish.ops import dispatch


def _public_ops():
    found = {}
    for name in dir(ops):
        fn = getattr(ops, name)
        if callable(fn) and hasattr(fn, "__eager__"):
            found[name] = fn
    return sorted(found.items())


OPS = _public_ops()


@pytest.fixture
def handler():
    seen = []
    saved = dispatch._HANDLER[0]
    dispatch.set_symbolic_handler(lambda name, fn, args, kwargs: seen.append(name) or ("sym", name))
    try:
        yield seen
    finally:
        dispatch.set_symbolic_handler(saved)


def _wrappings(kt):
    # Every way an argument can carry a KerasTensor.
    t = torch.ones(2)
    return [kt, [t, kt], (1, kt), [t, (2, [kt])], {"a": t, "b": kt}, [{"k": kt}], ((kt,),)]


def test_every_public_op_is_dispatched():
    assert len(OPS) > 300
    names = {fn.__keras_op_name__ for _, fn in OPS}
    assert {"reshape", "transpose", "take", "add", "sum", "matmul", "conv"} <= names


@pytest.mark.parametrize("name, fn", OPS, ids=[n for n, _ in OPS])
def test_keras_tensors_anywhere_reach_the_symbolic_handler(name, fn, handler):
    kt = KerasTensor((None, 3))
    params = list(inspect.signature(fn.__eager__).parameters.values())
    calls = 0
    for value in _wrappings(kt):
        assert fn(value) == ("sym", fn.__keras_op_name__)  # first positional argument
        calls += 1
        for i, p in enumerate(params):
            if p.kind is p.KEYWORD_ONLY or p.kind is p.POSITIONAL_OR_KEYWORD and i > 0:
                # A plain tensor first, the KerasTensor by keyword.
                assert fn(torch.ones(2), **{p.name: value}) == ("sym", fn.__keras_op_name__)
                calls += 1
            if p.kind is p.POSITIONAL_OR_KEYWORD and i > 0:
                args = [torch.ones(2)] * i + [value]
                assert fn(*args) == ("sym", fn.__keras_op_name__)
                calls += 1
            if p.kind is p.VAR_POSITIONAL:
                assert fn(*([torch.ones(2)] * i + [1, value])) == ("sym", fn.__keras_op_name__)
                calls += 1
    assert handler == [fn.__keras_op_name__] * calls


@pytest.mark.parametrize("call", [
    lambda: ops.reshape(torch.ones(2, 3), (3, 2)),
    lambda: ops.reshape(torch.ones(2, 3), newshape=[-1]),
    lambda: ops.transpose(torch.ones(2, 3), axes=(1, 0)),
    lambda: ops.take(torch.ones(4, 3), torch.tensor([0, 2]), axis=0),
    lambda: ops.add(torch.ones(2), 1.5),
    lambda: ops.add(np.ones(2), [1, 2]),
    lambda: ops.sum(torch.nn.Parameter(torch.ones(2, 3)), axis=None, keepdims=True),
    lambda: ops.cast(torch.ones(2), "int32"),
    lambda: ops.concatenate([torch.ones(2), torch.ones(3)], axis=0),
    lambda: ops.einsum("ij,jk->ik", torch.ones(2, 3), torch.ones(3, 4)),
    lambda: ops.pad(torch.ones(2, 3), ((1, 1), (0, 2))),
])
def test_plain_calls_run_eagerly(call, handler):
    out = call()
    assert isinstance(out, torch.Tensor)
    assert handler == []


class _Tensor(torch.Tensor):
    pass


def test_subclasses_take_the_full_scan(handler):
    # A type outside the fast set is looked into, not trusted: a tensor subclass runs eagerly, a
    # KerasTensor subclass reaches the handler.
    class MyKerasTensor(KerasTensor):
        pass

    x = torch.ones(2, 3).as_subclass(_Tensor)
    assert tuple(ops.reshape(x, (3, 2)).shape) == (3, 2)
    assert ops.reshape(MyKerasTensor((2, 3)), (3, 2)) == ("sym", "reshape")
    assert handler == ["reshape"]
