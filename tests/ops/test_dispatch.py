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


def _calls(fn, value):
    """(args, kwargs) calls of `fn` with `value` in each parameter in turn, positionally and by
    keyword; the other required parameters get a plain tensor."""
    params = list(inspect.signature(fn.__eager__).parameters.values())
    filled = {p.name: torch.ones(2) if p.default is p.empty else p.default for p in params
              if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    kw_only = {p.name: filled[p.name] for p in params
               if p.kind is p.KEYWORD_ONLY and p.default is p.empty}
    positional = [q.name for q in params if q.kind is q.POSITIONAL_OR_KEYWORD]
    calls = []
    for i, p in enumerate(params):
        before = [filled[n] for n in positional[:i]]
        if p.kind is p.POSITIONAL_OR_KEYWORD:
            rest = [filled[n] for n in positional[i + 1:]]
            calls.append((before + [value] + rest, kw_only))
            later = {n: filled[n] for n in positional[i + 1:]}
            calls.append((before, {**kw_only, **later, p.name: value}))
        elif p.kind is p.KEYWORD_ONLY:
            calls.append(([filled[n] for n in positional], {**kw_only, p.name: value}))
        elif p.kind is p.VAR_POSITIONAL:
            calls.append((before + [1, value], kw_only))
        elif p.kind is p.VAR_KEYWORD:
            calls.append(([filled[n] for n in positional], {**kw_only, "extra_keyword": value}))
    return calls


@pytest.mark.parametrize("name, fn", OPS, ids=[n for n, _ in OPS])
def test_keras_tensors_anywhere_reach_the_symbolic_handler(name, fn, handler):
    kt = KerasTensor((None, 3))
    count = 0
    for value in _wrappings(kt):
        for args, kwargs in _calls(fn, value):
            assert fn(*args, **kwargs) == ("sym", fn.__keras_op_name__), (args, kwargs)
            count += 1
    assert count >= len(_wrappings(kt))
    assert handler == [fn.__keras_op_name__] * count


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
