"""`kerasish.ops.linalg`: Keras's linear-algebra ops (`keras.ops.linalg`) on `torch.linalg`.

Inputs are batches of matrices (`(..., M, N)`); shape errors are Keras's `ValueError`s, raised
before torch sees the data.
"""

import torch

from kerasish.backend import config, dtypes
from kerasish.ops.convert import to_tensor
from kerasish.ops.dispatch import keras_op

__all__ = ["cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "jvp", "lstsq",
           "lu_factor", "matrix_rank", "norm", "pinv", "qr", "solve", "solve_triangular", "svd"]


def _t(x):
    return x if isinstance(x, torch.Tensor) else to_tensor(x)


def _matrix(x, op, square=True):
    x = _t(x)
    if x.ndim < 2:
        raise ValueError(f"`ops.linalg.{op}`: expected input to have rank >= 2. Received input "
                         f"with shape {tuple(x.shape)}.")
    if square and x.shape[-1] != x.shape[-2]:
        raise ValueError(f"`ops.linalg.{op}`: expected a square matrix. Received non-square input "
                         f"with shape {tuple(x.shape)}")
    return x


def _rhs(a, b, op):
    b = _t(b)
    if b.ndim < 1:
        raise ValueError(f"`ops.linalg.{op}`: expected `b` to have rank >= 1. Received scalar input "
                         f"{b}.")
    if a.ndim == b.ndim and a.shape[-2] != b.shape[-2]:
        raise ValueError(f"`ops.linalg.{op}`: incompatible shapes between `a` and `b`. Expected "
                         f"`a.shape[-2] == b.shape[-2]`. Received: a.shape={tuple(a.shape)}, "
                         f"b.shape={tuple(b.shape)}")
    if a.ndim in (b.ndim - 1, b.ndim + 1) and a.shape[-1] != b.shape[-1]:
        raise ValueError(f"`ops.linalg.{op}`: incompatible shapes between `a` and `b`. Expected "
                         f"`a.shape[-1] == b.shape[-1]`. Received: a.shape={tuple(a.shape)}, "
                         f"b.shape={tuple(b.shape)}")
    return b


@keras_op
def cholesky(x, upper=False):
    """The Cholesky factor of the positive-definite `x` (lower, or upper with `upper=True`).

    Example:

    >>> ops.cholesky(ops.convert_to_tensor([[4.0, 2.0], [2.0, 3.0]]))
    tensor([[2.0000, 0.0000],
            [1.0000, 1.4142]])
    """
    x = _matrix(x, "cholesky")
    try:
        return torch.linalg.cholesky(x, upper=upper)
    except RuntimeError as e:
        raise ValueError(f"Cholesky decomposition failed: {e}") from None


@keras_op
def cholesky_inverse(x, upper=False):
    """The inverse of `A` given its Cholesky factor `x` (`A = x @ x.T`, or `x.T @ x` if `upper`).

    Example:

    >>> ops.cholesky_inverse(ops.cholesky(ops.convert_to_tensor([[4.0, 2.0], [2.0, 3.0]])))
    tensor([[ 0.3750, -0.2500],
            [-0.2500,  0.5000]])
    """
    x = _matrix(x, "cholesky_inverse")
    try:
        return torch.cholesky_inverse(x, upper=upper)
    except RuntimeError as e:
        raise ValueError(f"Cholesky inverse failed: {e}") from None


@keras_op
def det(x):
    """The determinant of each square matrix of `x`.

    Example:

    >>> ops.det(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))
    tensor(-2.)
    """
    return torch.det(_matrix(x, "det"))


@keras_op
def eig(x):
    """Eigenvalues and eigenvectors of each square matrix of `x` (complex).

    Example:

    >>> w, v = ops.eig(ops.convert_to_tensor([[2.0, 0.0], [0.0, 3.0]]))
    >>> w
    tensor([2.+0.j, 3.+0.j])
    """
    return torch.linalg.eig(_matrix(x, "eig"))


@keras_op
def eigh(x):
    """Eigenvalues (ascending) and eigenvectors of each symmetric matrix of `x`.

    Example:

    >>> w, v = ops.eigh(ops.convert_to_tensor([[4.0, 2.0], [2.0, 3.0]]))
    >>> w
    tensor([1.4384, 5.5616])
    """
    return torch.linalg.eigh(_matrix(x, "eigh"))


@keras_op
def inv(x):
    """The inverse of each square matrix of `x`.

    Example:

    >>> ops.inv(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))
    tensor([[-2.0000,  1.0000],
            [ 1.5000, -0.5000]])
    """
    return torch.linalg.inv(_matrix(x, "inv"))


@keras_op
def lu_factor(x):
    """The LU factorization of `x`: the packed `LU` matrix and 0-based pivot indices.

    Example:

    >>> lu, pivots = ops.lu_factor(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))
    >>> lu
    tensor([[3.0000, 4.0000],
            [0.3333, 0.6667]])
    """
    lu, pivots = torch.linalg.lu_factor(_matrix(x, "lu_factor", square=False))
    return lu, pivots - 1


@keras_op
def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norms of `x` (numpy's `ord` values; `axis` an int or a pair).

    Example:

    >>> ops.linalg.norm(ops.convert_to_tensor([3.0, 4.0]))   # 5.0
    tensor(5.)
    """
    x = _t(x)
    target = config.floatx() if x.dtype == torch.int64 else dtypes.result_type(x.dtype, float)
    x = x.to(dtypes.to_torch_dtype(target))
    return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)


@keras_op
def qr(x, mode="reduced"):
    """The QR decomposition of `x` (`mode` "reduced" or "complete").

    Example:

    >>> q, r = ops.qr(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))
    >>> torch.allclose(q @ r, ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))
    True
    """
    if mode not in ("reduced", "complete"):
        raise ValueError("`mode` argument value not supported. Expected one of {'reduced', "
                         f"'complete'}}. Received: mode={mode}")
    return torch.linalg.qr(_t(x), mode=mode)


@keras_op
def solve(a, b):
    """`x` solving `a @ x = b` for square `a`.

    Example:

    >>> ops.solve(ops.convert_to_tensor([[4.0, 2.0], [2.0, 3.0]]), ops.convert_to_tensor([[2.0], [1.0]]))
    tensor([[0.5000],
            [0.0000]])
    """
    a = _matrix(a, "solve")
    return torch.linalg.solve(a, _rhs(a, b, "solve"))


@keras_op
def solve_triangular(a, b, lower=False):
    """`x` solving `a @ x = b` for triangular `a` (upper unless `lower=True`).

    Example:

    >>> ops.solve_triangular(ops.convert_to_tensor([[2.0, 0.0], [1.0, 1.0]]), ops.convert_to_tensor([[2.0], [3.0]]), lower=True)
    tensor([[1.],
            [2.]])
    """
    a = _matrix(a, "solve_triangular")
    b = _rhs(a, b, "solve_triangular")
    if b.ndim == a.ndim - 1:
        return torch.linalg.solve_triangular(a, b.unsqueeze(-1), upper=not lower).squeeze(-1)
    return torch.linalg.solve_triangular(a, b, upper=not lower)


@keras_op
def svd(x, full_matrices=True, compute_uv=True):
    """The singular value decomposition `u, s, vh` of `x` (only `s` without `compute_uv`).

    Example:

    >>> u, s, vh = ops.svd(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))
    >>> s
    tensor([5.4650, 0.3660])
    """
    x = _matrix(x, "svd", square=False)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return torch.linalg.svd(x, full_matrices=full_matrices)


@keras_op
def lstsq(a, b, rcond=None):
    """The least-squares solution `x` of `a @ x = b`.

    Example:

    >>> ops.lstsq(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]), ops.convert_to_tensor([[5.0], [11.0]]))
    tensor([[1.0000],
            [2.0000]])
    """
    a, b = _t(a), _t(b)
    if rcond is not None:
        if a.device.type == "cuda":
            return torch.linalg.pinv(a, rtol=rcond) @ b
        return torch.linalg.lstsq(a, b, rcond=rcond, driver="gelsd")[0]
    return torch.linalg.lstsq(a, b)[0]


@keras_op
def matrix_rank(x, tol=None):
    """The rank of each matrix of `x` (singular values above `tol` count), as int32.

    Example:

    >>> ops.matrix_rank(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))
    tensor(2, dtype=torch.int32)
    """
    return torch.linalg.matrix_rank(_t(x), atol=tol).to(torch.int32)


@keras_op
def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse of each matrix of `x`.

    Example:

    >>> ops.pinv(ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]]))
    tensor([[-2.0000,  1.0000],
            [ 1.5000, -0.5000]])
    """
    return torch.linalg.pinv(_t(x), rtol=rcond)


def jvp(fun, primals, tangents, has_aux=False):
    """`(fun(*primals), J @ tangents)`: the Jacobian-vector product in forward mode
    (`torch.func.jvp`); with `has_aux`, `fun` returns `(output, aux)` and aux comes third.

    Example:

    >>> ops.jvp(lambda x: x ** 2, (ops.convert_to_tensor([1.0, 4.0]),), (ops.ones(2),))
    (tensor([ 1., 16.]), tensor([2., 8.]))
    """
    return torch.func.jvp(fun, tuple(_t(p) for p in primals), tuple(_t(t) for t in tangents),
                          has_aux=has_aux)
