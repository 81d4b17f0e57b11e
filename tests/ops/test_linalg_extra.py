"""`ops.linalg` errors, Keras's messages before torch's."""

import numpy as np
import pytest

from kerasish import ops


@pytest.mark.parametrize("fn", ["cholesky", "det", "inv", "eig", "eigh"])
def test_non_square_or_vector_input_is_a_clear_error(fn):
    with pytest.raises(ValueError, match="square"):
        getattr(ops.linalg, fn)(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="rank >= 2"):
        getattr(ops.linalg, fn)(np.ones(3, "float32"))


def test_not_positive_definite_is_a_value_error():
    with pytest.raises(ValueError, match="Cholesky decomposition failed"):
        ops.linalg.cholesky(-np.eye(2, dtype="float32"))


def test_incompatible_rhs_and_bad_mode():
    with pytest.raises(ValueError, match="a.shape"):
        ops.linalg.solve(np.eye(3, dtype="float32"), np.ones(4, "float32"))
    with pytest.raises(ValueError, match="mode"):
        ops.linalg.qr(np.eye(3, dtype="float32"), mode="r")


def test_jvp_takes_numpy_primals():
    out, tangent = ops.linalg.jvp(lambda x: x * x, (np.array([1.0, 2.0], "float32"),),
                                  (np.ones(2, "float32"),))
    assert tangent.tolist() == [2.0, 4.0]
