"""`vectorize` (part of `np_arrays`; import from `kerasish.ops`)."""

import functools
import math
import re

import torch

from kerasish.ops._np_arrays_util import tensor

# numpy's generalized-ufunc signature grammar: "(m,n),(n)->(m)".
_DIM = r"\w+"
_DIMS = r"(?:{0}(?:,{0})*)?".format(_DIM)
_ARG = r"\({}\)".format(_DIMS)
_ARGS = r"{0}(?:,{0})*".format(_ARG)
_SIGNATURE = r"^{0}->{0}$".format(_ARGS)


def _parse_signature(signature):
    if not re.match(_SIGNATURE, signature.replace(" ", "")):
        raise ValueError(
            "`ops.vectorize`: `signature` must look like '(m,n),(n)->(m)'. "
            f"Received: signature={signature!r}"
        )
    ins, outs = signature.replace(" ", "").split("->")
    parse = lambda part: [tuple(re.findall(_DIM, a)) for a in re.findall(_ARG, part)]  # noqa: E731
    return parse(ins), parse(outs)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """`pyfunc` made to map over the leading (broadcast) axes of its tensor arguments.

    Args:
        pyfunc: A function of tensors.
        excluded: Positions (ints) or keyword names of arguments passed to `pyfunc` unchanged,
            not vectorized. Other keyword arguments are passed unchanged too.
        signature: A generalized-ufunc signature such as `"(n),(n)->()"` naming the core
            (not mapped) trailing axes of each input and output. Defaults to scalar cores.

    Returns:
        The vectorized function.

    Example:

    >>> dot = ops.vectorize(lambda a, b: (a * b).sum(), signature="(n),(n)->()")
    >>> dot(ops.ones((4, 3)), ops.ones(3)).shape
    torch.Size([4])
    """
    if not callable(pyfunc):
        raise ValueError(
            f"`ops.vectorize`: `pyfunc` must be callable. Received: pyfunc={pyfunc!r}"
        )
    excluded = frozenset(excluded or ())
    in_core, out_core = _parse_signature(signature) if signature is not None else (None, None)

    @functools.wraps(pyfunc)
    def wrapped(*args, **kwargs):
        return _call(pyfunc, args, kwargs, excluded, in_core, out_core)

    return wrapped


def _call(pyfunc, args, kwargs, excluded, in_core, out_core):
    """`pyfunc` mapped (one `torch.vmap`) over the broadcast batch of the vectorized arguments."""
    static = {i: a for i, a in enumerate(args) if i in excluded or a is None}
    dynamic = [tensor(a) for i, a in enumerate(args) if i not in static]
    cores = in_core if in_core is not None else [()] * len(dynamic)
    if len(cores) != len(dynamic):
        raise TypeError(
            f"`ops.vectorize`: the signature names {len(cores)} vectorized arguments. "
            f"Received: {len(dynamic)}"
        )
    sizes, batch = {}, []
    for a, core in zip(dynamic, cores):
        _check_core(sizes, tuple(a.shape), core, "input")
        batch.append(tuple(a.shape[:a.ndim - len(core)]))
    shape = tuple(torch.broadcast_shapes(*batch)) if batch else ()

    def call(*tensors):
        it = iter(tensors)
        full = [static[i] if i in static else next(it) for i in range(len(args))]
        out = pyfunc(*full, **kwargs)
        _check_outputs(out, out_core, dict(sizes))
        return out

    if not shape:
        return call(*dynamic)
    n = math.prod(shape)
    if n == 0:
        raise ValueError(
            "`ops.vectorize`: the vectorized arguments broadcast to an empty batch, which "
            f"torch.vmap cannot map over. Received: batch shape {shape}"
        )
    flat = []
    for a, core in zip(dynamic, cores):
        core_shape = tuple(a.shape[a.ndim - len(core):])
        flat.append(a.expand(shape + core_shape).reshape((n,) + core_shape))
    out = torch.vmap(call)(*flat)
    if isinstance(out, tuple):
        return tuple(o.reshape(shape + tuple(o.shape[1:])) for o in out)
    return out.reshape(shape + tuple(out.shape[1:]))


def _check_core(sizes, shape, core, what):
    too_few = len(shape) < len(core) if what == "input" else len(shape) != len(core)
    if too_few:
        raise ValueError(
            f"`ops.vectorize`: an {what} of shape {shape} does not match the core dimensions "
            f"{core} of the signature. Received: shape={shape}"
        )
    for d, s in zip(core, shape[len(shape) - len(core):]):
        if sizes.setdefault(d, s) != s:
            raise ValueError(
                f"`ops.vectorize`: inconsistent sizes for the core dimension {d!r}: "
                f"{sizes[d]} and {s}. Received: shape={shape}"
            )


def _check_outputs(out, out_core, sizes):
    if out_core is None:
        return
    outs = out if isinstance(out, (tuple, list)) else (out,)
    if len(out_core) > 1 and not isinstance(out, tuple):
        raise TypeError(f"`ops.vectorize`: `pyfunc` must return a tuple of {len(out_core)} "
                        f"outputs. Received: {type(out).__name__}")
    if len(outs) != len(out_core):
        raise TypeError(
            f"`ops.vectorize`: expected {len(out_core)} outputs. Received: {len(outs)}"
        )
    for o, core in zip(outs, out_core):
        _check_core(sizes, tuple(o.shape), core, "output")
