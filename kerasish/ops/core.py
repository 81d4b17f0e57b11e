"""`kerasish.ops.core`: Keras's core ops — conversion, casts, slicing and scatter, control flow
(`cond`, `switch`, `while_loop`, `fori_loop`, `scan`, `associative_scan`, `map`,
`vectorized_map`) and gradients (`stop_gradient`, `custom_gradient`).

Control flow runs as plain Python on torch tensors (PyTorch is define-by-run), so `cond`/`while_loop`
read their predicates eagerly. On `meta` tensors — how symbolic shapes are inferred — a predicate has
no value: `cond` follows the true branch and the loops keep their inputs' specs, as Keras does.
"""

import builtins
import functools

import numpy as np
import torch

from kerasish import tree
from kerasish.backend import config, dtypes
from kerasish.backend.keras_tensor import KerasTensor
from kerasish.ops.convert import to_tensor
from kerasish.ops.dispatch import keras_op

__all__ = ["associative_scan", "cast", "cond", "convert_to_numpy", "convert_to_tensor",
           "custom_gradient", "dtype", "fori_loop", "is_tensor", "map", "saturate_cast", "scan",
           "scatter", "scatter_update", "shape", "slice", "slice_update", "stop_gradient", "switch",
           "unstack", "vectorized_map", "while_loop"]


def _is_meta(x):
    return any(isinstance(t, torch.Tensor) and t.is_meta for t in tree.flatten(x))


# ------------------------------------------------------------------ conversion and dtypes
@keras_op
def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """`x` (a tensor, array, number or nested list) as a torch tensor on the configured device.

    Python ints become int32 (int64 when they do not fit), floats `floatx()`, lists take Keras's
    promotion of their items; numpy arrays keep their dtype.

    Example:

    >>> ops.convert_to_tensor([1, 2.5]).dtype
    torch.float32
    """
    if sparse:
        raise ValueError("`sparse=True` is not supported on the torch backend. Received: sparse=True")
    if ragged:
        raise ValueError("`ragged=True` is not supported on the torch backend. Received: ragged=True")
    if isinstance(x, torch.Tensor):
        device = config.get_device()
        if x.device != device and not x.is_meta:
            x = x.to(device)
        return x if dtype is None else x.to(dtypes.to_torch_dtype(dtype))
    if isinstance(x, int) and not isinstance(x, bool) and dtype is None:
        dtype = "int64" if not -2**31 <= x < 2**31 else "int32"
    elif isinstance(x, np.ndarray) and x.dtype == np.uint32 and dtype is None:
        x = x.astype(np.int64)  # as Keras's torch backend does
    return to_tensor(x, dtype)


def convert_to_numpy(x):
    """A numpy array of `x` (detached, on the host); bfloat16 becomes ml_dtypes' bfloat16 where
    that package is installed, else float32.

    Example:

    >>> ops.convert_to_numpy(ops.convert_to_tensor([1.0, 4.0]))
    array([1., 4.], dtype=float32)
    """
    if isinstance(x, KerasTensor):
        raise TypeError(
            "`ops.convert_to_numpy` needs values, and a symbolic KerasTensor has none (it stands "
            f"for the inputs of a functional model). Received: x={x!r}"
        )
    if isinstance(x, (list, tuple)):
        return np.array([convert_to_numpy(e) for e in x])
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.device.type != "cpu":
            x = x.cpu()
        if x.dtype == torch.bfloat16:
            try:
                import ml_dtypes
            except ImportError:
                return x.float().numpy()
            return x.float().numpy().astype(ml_dtypes.bfloat16)
        return x.numpy()
    return np.array(x)


def is_tensor(x):
    """Whether `x` is a torch tensor (kerasish variables included).

    Example:

    >>> ops.is_tensor(ops.convert_to_tensor([1.0, 4.0])), ops.is_tensor([1.0])
    (True, False)
    """
    return isinstance(x, torch.Tensor)


def shape(x):
    """The shape of `x` as a tuple (`None` for unknown dims of a symbolic tensor).

    Example:

    >>> ops.shape(ops.zeros((2, 3)))
    (2, 3)
    """
    return tuple(x.shape)


def dtype(x):
    """Keras's name of the dtype of `x` (`"float32"`, ...).

    Example:

    >>> ops.dtype(ops.convert_to_tensor([1.0, 4.0]))
    'float32'
    """
    return dtypes.standardize_dtype(x.dtype)


@keras_op
def cast(x, dtype):
    """`x` cast to `dtype` (no copy when it already has it).

    Example:

    >>> ops.cast(ops.convert_to_tensor([1.7, -1.2]), "int32")
    tensor([ 1, -1], dtype=torch.int32)
    """
    target = dtypes.to_torch_dtype(dtypes.standardize_dtype(dtype))
    if isinstance(x, torch.Tensor):
        return x if x.dtype == target else x.to(target)
    return convert_to_tensor(x, target)


def _limits(dtype_name):
    if dtype_name == "bool":
        return 0, 1
    info = np.iinfo(dtype_name) if "int" in dtype_name else (
        torch.finfo(torch.bfloat16) if dtype_name == "bfloat16" else np.finfo(dtype_name))
    return info.min, info.max


@keras_op
def saturate_cast(x, dtype):
    """Casts `x` to `dtype`, first clipping values to the range `dtype` can hold (so 300.0 becomes
    255 in uint8 instead of wrapping around).

    Example:

    >>> ops.saturate_cast(ops.convert_to_tensor([300.0, -5.0]), "uint8")
    tensor([255,   0], dtype=torch.uint8)
    """
    out = dtypes.standardize_dtype(dtype)
    x = convert_to_tensor(x)
    inp = dtypes.standardize_dtype(x.dtype)
    in_min, in_max = _limits(inp)
    out_min, out_max = _limits(out)
    np_in = np.float32 if inp == "bfloat16" else inp
    # The output's limits may not be representable in the input dtype: nudge them inwards.
    lo = np.asarray(max(in_min, out_min)).astype(np_in)
    if lo < out_min:
        lo = np.nextafter(lo, 0, dtype=np_in)
    hi = np.asarray(min(in_max, out_max)).astype(np_in)
    if hi > out_max:
        hi = np.nextafter(hi, 0, dtype=np_in)
    if inp == "bool":
        clipped = x
    else:
        clipped = torch.clamp(x, min=lo.item(), max=hi.item())
    return clipped.to(dtypes.to_torch_dtype(out))


# ------------------------------------------------------------------ slicing and scattering
@keras_op
def slice(inputs, start_indices, shape):
    """The block of `inputs` of size `shape` starting at `start_indices` (one index per axis).

    Example:

    >>> ops.slice(ops.arange(6).reshape(2, 3), (0, 1), (2, 2))
    tensor([[1, 2],
            [4, 5]], dtype=torch.int32)
    """
    inputs = convert_to_tensor(inputs)
    if isinstance(start_indices, (list, tuple)) and isinstance(shape, (list, tuple)) and all(
            isinstance(s, int) for s in (*start_indices, *shape)):
        return inputs[tuple(builtins.slice(s, s + n) for s, n in zip(start_indices, shape))]
    starts = convert_to_tensor(start_indices).to(torch.int64)
    sizes = convert_to_tensor(shape).to(torch.int64)
    out = inputs
    for axis in range(starts.shape[0]):
        out = torch.narrow(out, axis, starts[axis], sizes[axis])
    return out


@keras_op
def slice_update(inputs, start_indices, updates):
    """A copy of `inputs` with the block starting at `start_indices` replaced by `updates`.

    Example:

    >>> ops.slice_update(ops.zeros((2, 3)), (0, 1), ops.ones((1, 2)))
    tensor([[0., 1., 1.],
            [0., 0., 0.]])
    """
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates)
    if isinstance(start_indices, (list, tuple)) and all(isinstance(s, int) for s in start_indices):
        index = tuple(builtins.slice(s, s + n) for s, n in zip(start_indices, updates.shape))
        out = inputs.clone()
        out[index] = updates.to(out.dtype)
        return out
    starts = convert_to_tensor(start_indices, "int64")
    ranges = [torch.arange(n, dtype=torch.int64, device=starts.device) + starts[i]
              for i, n in enumerate(updates.shape)]
    grids = torch.meshgrid(*ranges, indexing="ij")
    out = inputs.clone()
    out.index_put_(tuple(g.flatten() for g in grids), updates.flatten().to(out.dtype))
    return out


@keras_op
def scatter(indices, values, shape):
    """A tensor of zeros of `shape` with `values` added at `indices` (index tuples along the last
    axis of `indices`; repeated indices add up).

    Example:

    >>> ops.scatter(ops.convert_to_tensor([[0], [2]]), ops.convert_to_tensor([5.0, 7.0]), (4,))
    tensor([5., 0., 7., 0.])
    """
    indices = convert_to_tensor(indices).to(torch.int64)
    values = convert_to_tensor(values)
    shape = tuple(int(d) for d in shape)
    depth = indices.shape[-1]
    out = torch.zeros(shape, dtype=values.dtype, device=values.device)
    flat_idx = indices.reshape(-1, depth)
    flat_values = values.reshape((-1,) + shape[depth:])
    out.index_put_(tuple(flat_idx.T), flat_values, accumulate=True)
    return out


_REDUCTIONS = {"add": "sum", "max": "amax", "min": "amin", "mul": "prod"}


@keras_op
def scatter_update(inputs, indices, updates, reduction=None):
    """A copy of `inputs` with `updates` written at `indices` (`reduction`: None replaces; "add",
    "max", "min" or "mul" combine with what is there, repeated indices included).

    Example:

    >>> ops.scatter_update(ops.zeros((3,)), ops.convert_to_tensor([[1]]), ops.convert_to_tensor([9.0]))
    tensor([0., 9., 0.])
    """
    if reduction is not None:
        reduction = reduction.lower()
        if reduction not in _REDUCTIONS:
            raise ValueError(f"Invalid reduction: {reduction}. Supported values are: None, 'add', "
                             "'max', 'min', 'mul'.")
    inputs = convert_to_tensor(inputs)
    indices = convert_to_tensor(indices, "int64")
    updates = convert_to_tensor(updates, inputs.dtype)
    index = tuple(indices.T)
    out = inputs.clone()
    if reduction is None:
        out[index] = updates
    elif reduction == "add":
        out.index_put_(index, updates, accumulate=True)
    else:
        combine = {"max": torch.maximum, "min": torch.minimum, "mul": torch.mul}[reduction]
        for i in range(indices.shape[0]):
            at = tuple(indices[i])
            out[at] = combine(out[at], updates[i])
    return out


@keras_op
def unstack(x, num=None, axis=0):
    """The slices of `x` along `axis`, as a tuple.

    Example:

    >>> ops.unstack(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))
    (tensor([1., 2.]), tensor([3., 4.]))
    """
    x = convert_to_tensor(x)
    if num is not None and x.shape[axis] != num:
        raise ValueError(f"`ops.unstack`: axis {axis} has {x.shape[axis]} entries. Received: "
                         f"num={num}")
    return x.unbind(axis)


# ------------------------------------------------------------------ control flow
@keras_op
def cond(pred, true_fn, false_fn):
    """`true_fn()` if `pred` else `false_fn()`.

    Example:

    >>> x = ops.convert_to_tensor([1.0, -2.0, 3.0])
    >>> ops.cond(x.sum() > 0, lambda: x, lambda: -x)
    tensor([ 1., -2.,  3.])
    """
    if isinstance(pred, torch.Tensor) and pred.is_meta:
        return true_fn()  # no value to branch on while shapes are inferred
    return true_fn() if pred else false_fn()


@keras_op
def switch(index, branches, *operands):
    """`branches[index](*operands)`, with `index` clamped to the valid range.

    Example:

    >>> ops.switch(1, [lambda x: x + 1, lambda x: x * 10], ops.convert_to_tensor([1.0, 4.0]))
    tensor([10., 40.])
    """
    if not branches:
        raise ValueError("`ops.switch`: `branches` must contain at least one function. "
                         f"Received: branches={branches!r}")
    if isinstance(index, torch.Tensor):
        if index.is_meta:
            return branches[0](*operands)
        index = int(index)
    return branches[builtins.min(builtins.max(int(index), 0), len(branches) - 1)](*operands)


@keras_op
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Runs `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` holds (at most
    `maximum_iterations` times); returns the final `loop_vars` in the structure given.

    Example:

    >>> ops.while_loop(lambda i: i < 5, lambda i: i + 2, 0)
    tensor(6, dtype=torch.int32)
    """
    is_tuple = isinstance(loop_vars, (tuple, list))
    values = tuple(loop_vars) if is_tuple else (loop_vars,)
    values = tree.map_structure(convert_to_tensor, values)
    if _is_meta(values):
        return values if is_tuple else values[0]
    step = 0
    while (maximum_iterations is None or step < maximum_iterations) and cond(*values):
        values = body(*values)
        values = tuple(values) if isinstance(values, (list, tuple)) else (values,)
        step += 1
    return values if is_tuple else values[0]


@keras_op
def fori_loop(lower, upper, body_fun, init_val):
    """`val = body_fun(i, val)` for `i` from `lower` to `upper - 1`; returns the final `val`.

    Example:

    >>> ops.fori_loop(0, 4, lambda i, total: total + i, 0)
    6
    """
    if _is_meta(init_val) or any(isinstance(b, torch.Tensor) and b.is_meta for b in (lower, upper)):
        return init_val
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val


@keras_op
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Scans `f(carry, x) -> (carry, y)` over the leading axis of `xs` (or `length` steps);
    returns the final carry and the stacked `y`s (as `jax.lax.scan`).

    Example:

    >>> ops.scan(lambda carry, x: (carry + x, carry + x), 0.0, ops.convert_to_tensor([1.0, 2.0, 3.0]))
    (tensor(6.), tensor([1., 3., 6.]))
    """
    if not callable(f):
        raise TypeError(f"`f` should be a callable. Received: f={f}")
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"`unroll` must be an positive integer or boolean. Received: unroll={unroll}")
    if xs is None and length is None:
        raise ValueError("Got no `xs` to scan over and `length` not provided.")
    xs_flat = [] if xs is None else [convert_to_tensor(x) for x in tree.flatten(xs)]
    n = int(length) if length is not None else xs_flat[0].shape[0]
    init_flat = [convert_to_tensor(v) for v in tree.flatten(init)]
    carry = tree.pack_sequence_as(init, init_flat) if tree.is_nested(init) else init_flat[0]
    dummy = [torch.zeros_like(v) for v in init_flat]
    ys = []
    steps = range(n - 1, -1, -1) if reverse else range(n)
    for i in steps:
        piece = [x[i] for x in xs_flat]
        x_i = None if xs is None else (tree.pack_sequence_as(xs, piece) if tree.is_nested(xs)
                                       else piece[0])
        carry, y = f(carry, x_i)
        ys.append(dummy if y is None else y)
    if reverse:
        ys.reverse()
    if not ys:
        return carry, tree.map_structure(lambda v: v[:0], dummy)
    return carry, tree.map_structure(lambda *parts: torch.stack(parts), *ys)


@keras_op
def map(f, xs):
    """`f` applied to each slice of `xs` along its leading axis, the results stacked.

    Example:

    >>> ops.map(lambda x: x * 2, ops.convert_to_tensor([1.0, 4.0]))
    tensor([2., 8.])
    """
    _, ys = scan(lambda _, x: ((), f(x)), (), xs)
    return ys


@keras_op
def vectorized_map(function, elements):
    """`function` mapped over the leading axis of `elements`, vectorized with `torch.vmap`.

    Functions that vmap cannot trace (data-dependent Python control flow, in-place writes) run
    slice by slice instead, with the same result.

    Example:

    >>> ops.vectorized_map(lambda row: row.sum(), ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))
    tensor([3., 7.])
    """
    try:
        return torch.vmap(function)(elements)
    except (RuntimeError, ValueError, NotImplementedError):
        return map(function, elements)


def _along(x, start, stop, step, axis):
    index = [builtins.slice(None)] * x.ndim
    index[axis] = builtins.slice(start, stop, step)
    return x[tuple(index)]


@keras_op
def associative_scan(f, elems, reverse=False, axis=0):
    """The inclusive prefix scan of `elems` along `axis` with the associative `f(a, b)`, in
    O(log n) parallel steps (as `jax.lax.associative_scan`).

    Example:

    >>> ops.associative_scan(lambda a, b: a + b, ops.arange(5))   # [0, 1, 3, 6, 10]
    tensor([ 0,  1,  3,  6, 10], dtype=torch.int32)
    """
    if not callable(f):
        raise TypeError(f"`f` should be a callable. Received: f={f}")
    flat = [convert_to_tensor(e) for e in tree.flatten(elems)]
    if reverse:
        flat = [torch.flip(e, (axis,)) for e in flat]
    n = flat[0].shape[axis]
    if any(e.shape[axis] != n for e in flat[1:]):
        raise ValueError("Array inputs to associative_scan must have the same first dimension. "
                         f"(saw: {[tuple(e.shape) for e in flat]})")

    def combine(a, b):
        out = f(tree.pack_sequence_as(elems, a), tree.pack_sequence_as(elems, b))
        return [convert_to_tensor(o) for o in tree.flatten(out)]

    def interleave(even, odd):
        # [e0, e1, ...] and [o0, o1, ...] -> [e0, o0, e1, o1, ...] along `axis`.
        k = even.shape[axis]
        shape = list(even.shape)
        shape[axis] = k + odd.shape[axis]
        out = even.new_empty(shape)
        _along(out, 0, None, 2, axis).copy_(even)
        _along(out, 1, None, 2, axis).copy_(odd)
        return out

    def run(parts):
        size = parts[0].shape[axis]
        if size < 2:
            return parts
        pairs = combine([_along(p, 0, -1, 2, axis) for p in parts],
                        [_along(p, 1, None, 2, axis) for p in parts])
        odd = run(pairs)
        if size % 2 == 0:
            even = combine([_along(o, 0, -1, None, axis) for o in odd],
                           [_along(p, 2, None, 2, axis) for p in parts])
        else:
            even = combine(odd, [_along(p, 2, None, 2, axis) for p in parts])
        even = [torch.cat([_along(p, 0, 1, None, axis), e], dim=axis) for p, e in zip(parts, even)]
        return [interleave(e, o) for e, o in zip(even, odd)]

    scanned = run(flat)
    if reverse:
        scanned = [torch.flip(s, (axis,)) for s in scanned]
    return tree.pack_sequence_as(elems, scanned)


# ------------------------------------------------------------------ gradients
@keras_op
def stop_gradient(variable):
    """`variable` cut from the autograd graph (no gradient flows through it).

    Example:

    >>> ops.stop_gradient(ops.convert_to_tensor([0.5, 1.0]))
    tensor([0.5000, 1.0000])
    """
    return convert_to_tensor(variable).detach()


class _CustomGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, fn, kwargs, *args):
        out, ctx.grad_fn = fn(*args, **kwargs)
        ctx.save_for_backward(*[a if isinstance(a, torch.Tensor) else None for a in args])
        ctx.n_args = len(args)
        return out

    @staticmethod
    def backward(ctx, upstream):
        args = ctx.saved_tensors
        try:
            grads = ctx.grad_fn(*args, upstream=upstream)
        except TypeError:
            grads = ctx.grad_fn(upstream)
        if not isinstance(grads, (tuple, list)):
            grads = (grads,)
        if len(grads) != ctx.n_args:
            raise ValueError(
                f"The gradient function of a `custom_gradient` returned {len(grads)} gradient(s) for "
                f"{ctx.n_args} input(s). Received: {len(grads)} gradients"
            )
        return (None, None) + tuple(grads)


def custom_gradient(f):
    """Decorates `f(*args) -> (y, grad_fn)` so that gradients of `y` come from `grad_fn`.

    `grad_fn(*args, upstream)` (or `grad_fn(upstream)`) returns one gradient per argument of `f`.

    Example:

    ```python
    @ops.custom_gradient
    def log1pexp(x):
        e = ops.exp(x)

        def grad(*args, upstream=None):
            return ops.multiply(upstream, 1.0 - 1.0 / ops.add(1, e))

        return ops.log(1 + e), grad
    ```
    """
    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        return _CustomGradient.apply(f, kwargs, *args)

    return wrapped
