"""Products and related reductions: dot, matmul, einsum, tensordot, ... (part of `np_arrays`;
import from `kerasish.ops`)."""

import torch

from kerasish.backend import config, dtypes
from kerasish.ops._np_arrays_util import (
    Tensor, cast, float_compute, name, tensor, tensors,
)
from kerasish.ops.dispatch import keras_op

__all__ = [
    "correlate", "cross", "dot", "einsum", "inner", "kron", "matmul", "outer", "slogdet",
    "tensordot", "trace", "trapezoid", "vander", "vdot",
]

# Dtypes whose products torch computes as they are, so that an op on two of them is the bare
# torch call (float16 is not among them: the CPU computes it in float32, as Keras does).
_NATIVE = frozenset((torch.float32, torch.bfloat16, torch.complex64))


def _matmul_dtypes(x1, x2):
    """Keras's (result, compute) dtypes of `matmul` on the torch backend."""
    n1, n2 = name(x1), name(x2)
    result = "int32" if n1 == n2 == "int8" else dtypes.result_type(n1, n2)
    compute = result
    if compute == "bool":
        compute = config.floatx()
    elif compute == "float16" and x1.device.type == "cpu":
        compute = "float32"
    elif x1.device.type == "cuda" and "int" in compute:
        compute = config.floatx()  # torch has no integer matmul on CUDA
    return result, compute


@keras_op
def matmul(x1, x2):
    """The matrix product of `x1` and `x2` (numpy's `matmul`: batched, 1-D operands promoted).

    Dtypes follow Keras: promoted (64-bit narrowed to 32-bit), int8 x int8 gives int32, bool
    gives bool.

    Example:

    >>> ops.matmul(ops.ones((2, 3)), ops.ones((3, 4))).shape
    torch.Size([2, 4])
    """
    # Variables (Parameters) take the fast path too: layers multiply by their kernels.
    if isinstance(x1, Tensor) and isinstance(x2, Tensor) and x1.dtype is x2.dtype \
            and x1.dtype in _NATIVE:
        return torch.matmul(x1, x2)
    x1, x2 = tensors(x1, x2)
    result, compute = _matmul_dtypes(x1, x2)
    return cast(torch.matmul(cast(x1, compute), cast(x2, compute)), result)


def _float_product(x1, x2):
    """Inputs cast to the float dtype Keras computes `dot`/`inner`/... in, and the result
    dtype."""
    x1, x2 = tensors(x1, x2)
    result = dtypes.result_type(name(x1), name(x2))
    compute = float_compute(result, x1.device)
    return cast(x1, compute), cast(x2, compute), result


@keras_op
def dot(x1, x2):
    """The dot product: a product with a scalar, else `matmul` semantics.

    Example:

    >>> ops.dot([1, 2], [3, 4])
    tensor(11, dtype=torch.int32)
    """
    if isinstance(x1, Tensor) and isinstance(x2, Tensor) and x1.dtype is x2.dtype \
            and x1.dtype in _NATIVE and x1.ndim and x2.ndim:
        return torch.matmul(x1, x2)
    x1, x2, result = _float_product(x1, x2)
    out = torch.multiply(x1, x2) if x1.ndim == 0 or x2.ndim == 0 else torch.matmul(x1, x2)
    return cast(out, result)


@keras_op
def inner(x1, x2):
    """The inner product over the last axes of `x1` and `x2`.

    Example:

    >>> ops.inner([1.0, 2.0], [3.0, 4.0])
    tensor(11.)
    """
    x1, x2, result = _float_product(x1, x2)
    return cast(torch.inner(x1, x2), result)


@keras_op
def vdot(x1, x2):
    """The dot product of the flattened `x1` and `x2` (complex `x1` conjugated).

    Example:

    >>> ops.vdot([1.0, 2.0], [3.0, 4.0])
    tensor(11.)
    """
    x1, x2, result = _float_product(x1, x2)
    return cast(torch.vdot(x1.reshape(-1), x2.reshape(-1)), result)


@keras_op
def tensordot(x1, x2, axes=2):
    """The sum of products over `axes`: an int N (the last N of `x1` with the first N of `x2`),
    or a pair `(axes_of_x1, axes_of_x2)`.

    Example:

    >>> ops.tensordot(ops.ones((2, 3)), ops.ones((3, 4)), axes=1).shape
    torch.Size([2, 4])
    """
    x1, x2, result = _float_product(x1, x2)
    if isinstance(axes, (list, tuple)):
        first, second = axes
        first = tuple(first) if isinstance(first, (list, tuple)) else (first,)
        second = tuple(second) if isinstance(second, (list, tuple)) else (second,)
        axes = (first, second)
    return cast(torch.tensordot(x1, x2, dims=axes), result)


@keras_op
def outer(x1, x2):
    """The outer product of the flattened `x1` and `x2`.

    Example:

    >>> ops.outer([1, 2], [3, 4])
    tensor([[3, 4],
            [6, 8]], dtype=torch.int32)
    """
    x1, x2 = tensors(x1, x2)
    return torch.outer(x1.reshape(-1), x2.reshape(-1))


@keras_op
def kron(x1, x2):
    """The Kronecker product of `x1` and `x2`.

    Example:

    >>> ops.kron([1, 2], [1, 1])
    tensor([1, 1, 2, 2], dtype=torch.int32)
    """
    return torch.kron(*tensors(x1, x2))


@keras_op
def einsum(subscripts, *operands, **kwargs):
    """Einstein summation over `operands` as described by `subscripts` (e.g. `"ij,jk->ik"`).

    Mixed dtypes promote (Keras's rules; Keras's torch backend raises instead); int8 operands
    give int32.

    Example:

    >>> ops.einsum("ij,jk->ik", ops.ones((2, 3)), ops.ones((3, 4))).shape
    torch.Size([2, 4])
    """
    if kwargs:
        raise ValueError(f"`ops.einsum` takes no keyword arguments on torch. Received: {kwargs}")
    if any(type(o) is not Tensor for o in operands):
        operands = tensors(*operands)
    first = operands[0].dtype if operands else None
    if all(o.dtype is first for o in operands):
        # One dtype: torch's einsum keeps it (as Keras's), but int8 widens to int32 (Keras),
        # and bools compute in floatx (torch has no bool products).
        if first is torch.int8:
            return _einsum_cast(subscripts, operands, "int32", "int32")
        if first is torch.bool:
            return _einsum_cast(subscripts, operands, config.floatx(), "bool")
        if first.is_floating_point or first.is_complex or operands[0].device.type != "cuda":
            return torch.einsum(subscripts, *operands)
        return _einsum_cast(subscripts, operands, name(operands[0]), name(operands[0]))
    result = dtypes.result_type(*(name(o) for o in operands))
    compute = result
    if result == "bool" or (operands[0].device.type == "cuda" and "int" in result):
        compute = config.floatx()
    return _einsum_cast(subscripts, operands, compute, result)


def _einsum_cast(subscripts, operands, compute, result):
    if operands[0].device.type == "cuda" and "int" in compute:
        compute = config.floatx()
    out = torch.einsum(subscripts, *(cast(o, compute) for o in operands))
    return cast(out, result)


@keras_op
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors along `axis` (by default, as on Keras's torch backend,
    the first axis of size 3).

    Args:
        x1, x2: Tensors of 3-vectors.
        axisa, axisb, axisc: Unsupported on torch (must stay -1; use `axis`).
        axis: The axis holding the vectors.

    Example:

    >>> ops.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0])
    tensor([0., 0., 1.])
    """
    if axisa != -1 or axisb != -1 or axisc != -1:
        raise ValueError(
            "`ops.cross`: `axisa`, `axisb` and `axisc` are not supported on torch; use `axis`. "
            f"Received: axisa={axisa}, axisb={axisb}, axisc={axisc}"
        )
    x1, x2 = tensors(x1, x2)
    result = dtypes.result_type(name(x1), name(x2))
    compute = result
    if (compute == "bfloat16" and x1.device.type == "cuda") or \
            (compute == "float16" and x1.device.type == "cpu"):
        compute = "float32"
    x1, x2 = cast(x1, compute), cast(x2, compute)
    if axis is None:
        shape = torch.broadcast_shapes(x1.shape, x2.shape)
        sized3 = [i for i, s in enumerate(shape) if s == 3]
        if not sized3:
            raise ValueError(
                "`ops.cross`: the vectors must have 3 components (no axis has size 3). "
                f"Received: x1.shape={tuple(x1.shape)}, x2.shape={tuple(x2.shape)}"
            )
        axis = sized3[0]
    return cast(torch.linalg.cross(x1, x2, dim=axis), result)


@keras_op
def correlate(x1, x2, mode="valid"):
    """The cross-correlation of two 1-D sequences.

    Args:
        x1, x2: 1-D tensors.
        mode: `"valid"` (default), `"same"` or `"full"`.

    Returns:
        float32 (float64 for int64/float64, float16/bfloat16 kept), as on Keras's torch backend.

    Example:

    >>> ops.correlate([1.0, 2.0, 3.0], [0.0, 1.0])
    tensor([2., 3.])
    """
    if mode not in ("valid", "same", "full"):
        raise ValueError(
            f"`ops.correlate`: `mode` must be 'valid', 'same' or 'full'. Received: mode={mode!r}"
        )
    x1, x2 = tensors(x1, x2)
    dtype = dtypes.result_type(name(x1), name(x2))
    if dtype == "int64":
        dtype = "float64"
    elif dtype not in ("bfloat16", "float16", "float64"):
        dtype = "float32"
    x1, x2 = cast(x1, dtype), cast(x2, dtype)
    n1, n2 = x1.shape[0], x2.shape[0]
    if x1.shape[:-1] != x2.shape[:-1]:
        lead = [max(i, j) for i, j in zip(x1.shape[:-1], x2.shape[:-1])]
        x1 = torch.broadcast_to(x1, lead + [x1.shape[-1]])
        x2 = torch.broadcast_to(x2, lead + [x2.shape[-1]])
    signals = 1
    for s in x1.shape[:-1]:
        signals *= s
    a = x1.reshape(signals, x1.shape[-1])
    k = x2.reshape(signals, x2.shape[-1])
    out = torch.nn.functional.conv1d(a, k.unsqueeze(1), groups=signals, padding=k.shape[-1] - 1)
    out = out.reshape(tuple(a.shape[:-1]) + (-1,))
    if mode == "valid":
        length = max(n1, n2) - min(n1, n2) + 1
        start = (out.shape[-1] - length) // 2
        out = out[..., start:start + length]
    elif mode == "same":
        start = (out.shape[-1] - n1) // 2
        out = out[..., start:start + n1]
    return torch.squeeze(out)


@keras_op
def trace(x, offset=0, axis1=0, axis2=1):
    """The sum along a diagonal of `x` (bool and 8/16-bit integers sum in int32).

    Example:

    >>> ops.trace([[1, 2], [3, 4]])
    tensor(5, dtype=torch.int32)
    """
    x = tensor(x)
    td = torch.int32 if x.dtype in (torch.bool, torch.int8, torch.int16, torch.uint8) else x.dtype
    return torch.sum(torch.diagonal(x, offset, axis1, axis2), dim=-1, dtype=td)


@keras_op
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of `y` along `axis` by the trapezoidal rule (sample points `x`, or spacing
    `dx`).

    Example:

    >>> ops.trapezoid([1.0, 2.0, 3.0])
    tensor(4.)
    """
    y = tensor(y)
    if y.dtype is torch.bool:
        y = y.to(dtypes.to_torch_dtype(config.floatx()))
    if x is not None:
        return torch.trapezoid(*tensors(y, x), dim=axis)
    if isinstance(dx, Tensor):
        dx = dx.item()  # torch takes the spacing as a number
    return torch.trapezoid(y, dx=dx, dim=axis)


@keras_op
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of the 1-D `x`: columns are powers of `x` (decreasing unless
    `increasing`).

    Example:

    >>> ops.vander([1, 2], N=3)
    tensor([[1, 1, 1],
            [4, 2, 1]], dtype=torch.int32)
    """
    x = tensor(x)
    if x.ndim != 1:
        raise ValueError(f"`ops.vander`: `x` must be 1-D. Received: x.shape={tuple(x.shape)}")
    if N is not None:
        if isinstance(N, bool) or not isinstance(N, int):
            raise TypeError(f"`ops.vander`: `N` must be an integer. Received: N={N!r}")
        if N < 0:
            raise ValueError(f"`ops.vander`: `N` must be non-negative. Received: N={N}")
    if not isinstance(increasing, bool):
        raise TypeError(
            f"`ops.vander`: `increasing` must be a bool. Received: increasing={increasing!r}"
        )
    result = dtypes.result_type(name(x))
    return cast(torch.vander(x, N=N, increasing=increasing), result)


@keras_op
def slogdet(x):
    """The sign and the natural log of the absolute value of the determinant of (batches of)
    square matrices.

    Returns:
        `(sign, logabsdet)`.

    Example:

    >>> ops.slogdet([[2.0, 0.0], [0.0, 3.0]])
    (tensor(1.), tensor(1.7918))
    """
    return tuple(torch.linalg.slogdet(tensor(x)))
