"""Parity cases of `ops.linalg` (both sides call torch.linalg, so even sign conventions agree)."""

import numpy as np
import torch

from tests.ops.parity import case

rng = np.random.default_rng(3)
A = rng.standard_normal((4, 4)).astype("float32")
SPD = (A @ A.T + 4 * np.eye(4)).astype("float32")
BATCH = np.stack([SPD, 2 * SPD])
L = np.tril(A) + 5 * np.eye(4, dtype="float32")
B1 = rng.standard_normal(4).astype("float32")
B2 = rng.standard_normal((4, 2)).astype("float32")
RECT = rng.standard_normal((5, 3)).astype("float32")
SYM = (A + A.T).astype("float32")


def _jvp_fun(x):
    return x * x


def _jvp_aux(x):
    return x * 3, x.sum()


M = "linalg"
CASES = [
    case("cholesky", SPD, _module=M, _grad=True, _rtol=1e-4),
    case("cholesky", BATCH, upper=True, _module=M, _id="cholesky-upper-batch", _rtol=1e-4),
    case("cholesky_inverse", np.linalg.cholesky(SPD).astype("float32"), _module=M, _rtol=1e-4),
    case("cholesky_inverse", np.linalg.cholesky(SPD).T.astype("float32"), upper=True, _module=M,
         _id="cholesky_inverse-upper", _rtol=1e-4),
    case("det", A, _module=M, _grad=True, _rtol=1e-4),
    case("det", BATCH, _module=M, _id="det-batch", _rtol=1e-4),
    case("eig", A, _module=M, _rtol=1e-4, _atol=1e-5, _symbolic=False),
    case("eigh", SYM, _module=M, _rtol=1e-4, _atol=1e-5),
    case("inv", SPD, _module=M, _grad=True, _rtol=1e-4),
    case("lu_factor", A, _module=M, _rtol=1e-4),
    case("lu_factor", RECT, _module=M, _id="lu_factor-rect", _rtol=1e-4),
    case("norm", B1, _module=M, _grad=True),
    case("norm", A, _module=M, _id="norm-matrix"),
    case("norm", A, ord="fro", _module=M, _id="norm-fro"),
    case("norm", A, ord="nuc", _module=M, _id="norm-nuc", _rtol=1e-4),
    case("norm", A, ord=1, axis=1, _module=M, _id="norm-l1-axis1"),
    case("norm", A, ord=np.inf, axis=0, keepdims=True, _module=M, _id="norm-inf-keepdims"),
    case("norm", A, axis=(0, 1), _module=M, _id="norm-axis-pair"),
    case("norm", np.arange(6, dtype="int32"), _module=M, _id="norm-int32"),
    case("norm", np.arange(6, dtype="int64"), _module=M, _id="norm-int64"),
    case("qr", RECT, _module=M, _rtol=1e-4, _atol=1e-5),
    case("qr", RECT, mode="complete", _module=M, _id="qr-complete", _rtol=1e-4, _atol=1e-5),
    case("solve", SPD, B1, _module=M, _grad=True, _rtol=1e-4),
    case("solve", SPD, B2, _module=M, _id="solve-matrix-rhs", _rtol=1e-4),
    case("solve_triangular", L, B1, lower=True, _module=M, _rtol=1e-4),
    case("solve_triangular", L.T.copy(), B2, _module=M, _id="solve_triangular-upper", _rtol=1e-4),
    case("svd", RECT, _module=M, _rtol=1e-4, _atol=1e-5),
    case("svd", RECT, full_matrices=False, _module=M, _id="svd-reduced", _rtol=1e-4, _atol=1e-5),
    case("svd", RECT, compute_uv=False, _module=M, _id="svd-values", _rtol=1e-4),
    case("lstsq", RECT, rng.standard_normal((5, 2)).astype("float32"), _module=M, _rtol=1e-3,
         _atol=1e-4),
    case("lstsq", RECT, rng.standard_normal((5, 2)).astype("float32"), rcond=1e-3, _module=M,
         _id="lstsq-rcond", _rtol=1e-3, _atol=1e-4),
    case("matrix_rank", RECT @ RECT.T, _module=M),
    case("matrix_rank", RECT @ RECT.T, tol=0.5, _module=M, _id="matrix_rank-tol"),
    case("pinv", RECT, _module=M, _rtol=1e-4, _atol=1e-5),
    case("pinv", RECT, rcond=0.1, _module=M, _id="pinv-rcond", _rtol=1e-4, _atol=1e-5),
    # Keras's jvp takes torch tensors only; kerasish's converts numpy too.
    case("jvp", _jvp_fun, (torch.tensor(B1),), (torch.ones(4),), _module=M, _symbolic=False),
    case("jvp", _jvp_aux, (torch.tensor(B1),), (torch.ones(4),), has_aux=True, _module=M,
         _id="jvp-aux", _symbolic=False),
]
