"""Regularizers, constraints and `utils.normalize`/`to_categorical` give Keras 3's values."""

import numpy as np
import pytest
import torch

import kerasish
from tests.conftest import assert_close

rng = np.random.default_rng(0)
W = rng.standard_normal((6, 4)).astype("float32")
KERNEL = rng.standard_normal((3, 3, 2, 5)).astype("float32")

REGULARIZERS = [("L1", {"l1": 0.03}), ("L2", {"l2": 0.02}), ("L1L2", {"l1": 0.01, "l2": 0.05}),
                ("OrthogonalRegularizer", {"factor": 0.1, "mode": "rows"}),
                ("OrthogonalRegularizer", {"factor": 0.1, "mode": "columns"})]


@pytest.mark.parametrize("name,kwargs", REGULARIZERS)
def test_regularizers_match_keras(keras, name, kwargs):
    ours = getattr(kerasish.regularizers, name)(**kwargs)(torch.tensor(W))
    ref = getattr(keras.regularizers, name)(**kwargs)(keras.ops.convert_to_tensor(W))
    assert_close(float(ours), float(keras.ops.convert_to_numpy(ref)))
    clone = type(getattr(kerasish.regularizers, name)(**kwargs)).from_config(
        getattr(kerasish.regularizers, name)(**kwargs).get_config())
    assert clone.get_config() == getattr(kerasish.regularizers, name)(**kwargs).get_config()


def test_regularizer_strings_and_keras2_functions(keras):
    assert isinstance(kerasish.regularizers.get("l2"), kerasish.regularizers.L2)
    assert kerasish.regularizers.get("l2").l2 == keras.regularizers.get("l2").l2 == 0.01
    reg = kerasish.regularizers.l1_l2(l1=0.1, l2=0.2)
    assert (reg.l1, reg.l2) == (0.1, 0.2)
    with pytest.raises(ValueError, match="non-negative"):
        kerasish.regularizers.L2(-1.0)


CONSTRAINTS = [("MaxNorm", {"max_value": 1.5, "axis": 0}), ("MaxNorm", {"max_value": 2, "axis": [0, -1]}),
               ("NonNeg", {}), ("UnitNorm", {"axis": 0}), ("UnitNorm", {"axis": -1}),
               ("MinMaxNorm", {"min_value": 0.5, "max_value": 1.2, "rate": 0.7, "axis": 0})]


@pytest.mark.parametrize("name,kwargs", CONSTRAINTS)
@pytest.mark.parametrize("value", [W, KERNEL], ids=["dense", "conv"])
def test_constraints_match_keras(keras, name, kwargs, value):
    ours = getattr(kerasish.constraints, name)(**kwargs)(torch.tensor(value))
    ref = getattr(keras.constraints, name)(**kwargs)(keras.ops.convert_to_tensor(value))
    assert_close(ours.numpy(), keras.ops.convert_to_numpy(ref), rtol=1e-5, atol=1e-6)


def test_constraint_applied_after_each_step_in_keras_layout(keras):
    """A conv kernel is stored in torch's layout; its max_norm still acts on Keras's axes."""
    x = rng.random((8, 5, 5, 2)).astype("float32")
    y = rng.random((8, 1)).astype("float32")

    def build(lib):
        m = lib.Sequential([lib.Input((5, 5, 2)),
                            lib.layers.Conv2D(3, 3, kernel_constraint=lib.constraints.MaxNorm(0.3, axis=[0, 1, 2])),
                            lib.layers.Flatten(), lib.layers.Dense(1, kernel_constraint="non_neg")])
        m.compile(lib.optimizers.SGD(0.5), "mse")
        return m

    ks, km = build(keras), build(kerasish)
    km.set_weights(ks.get_weights())
    ks.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    km.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    for a, b in zip(km.get_weights(), ks.get_weights()):
        assert_close(a, b, rtol=1e-5, atol=1e-6)
    norms = np.sqrt((km.get_weights()[0] ** 2).sum(axis=(0, 1, 2)))
    assert np.all(norms <= 0.3 + 1e-5)


def test_normalize_and_to_categorical_match_keras(keras):
    for axis, order in [(-1, 2), (1, 2), (-1, 1)]:
        assert_close(kerasish.utils.normalize(W, axis=axis, order=order),
                     keras.utils.normalize(W, axis=axis, order=order))
    # Keras 3.15 turns axis=0 into -1 (`axis or -1`); the documented meaning is kept here.
    assert_close(kerasish.utils.normalize(W, axis=0), W / np.linalg.norm(W, axis=0, keepdims=True))
    labels = np.array([[0], [3], [1]])
    np.testing.assert_array_equal(kerasish.utils.to_categorical(labels, 4),
                                  keras.utils.to_categorical(labels, 4))
    np.testing.assert_array_equal(kerasish.utils.to_categorical([2, 0, 1]),
                                  keras.utils.to_categorical([2, 0, 1]))
    with pytest.raises(ValueError, match="out of range"):
        kerasish.utils.to_categorical([5], num_classes=3)
