"""A layer call that fails part-way leaves no call state behind (a raised depth would stop later
top-level calls from clearing their `add_loss` values, and the next backward would run through a
freed graph)."""

import numpy as np
import pytest

import kerasish
from kerasish.layers.layer import call_context


class PassThrough(kerasish.layers.Layer):
    """No compute_output_shape: its output spec comes from a run on meta tensors."""

    def call(self, inputs):
        return inputs


def _mixed_model():
    return kerasish.Sequential([kerasish.Input((6,)), kerasish.layers.Dense(4), PassThrough(),
                                kerasish.layers.Dense(2, dtype="float32")])


@pytest.fixture
def mixed_float16():
    kerasish.mixed_precision.set_global_policy("mixed_float16")
    yield
    kerasish.mixed_precision.set_global_policy("float32")


def test_symbolic_build_of_a_mixed_precision_model_leaves_depth_zero(mixed_float16):
    # Shape inference runs layers on meta tensors, where no autocast region can open.
    _mixed_model()
    assert call_context().depth == 0


def test_a_failing_call_leaves_depth_zero():
    class Boom(kerasish.layers.Layer):
        def call(self, x):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        Boom()(np.ones((2, 3), "float32"))
    assert call_context().depth == 0


def test_add_loss_models_train_after_a_mixed_precision_build(mixed_float16):
    _mixed_model()
    kerasish.mixed_precision.set_global_policy("float32")
    inp = kerasish.Input((3,))
    out = kerasish.layers.Dense(2)(inp)
    model = kerasish.Model(inp, out)
    model.add_loss(kerasish.ops.mean(kerasish.ops.square(out)))
    model.compile("sgd", loss=None)
    history = model.fit(np.ones((16, 3), "float32"), epochs=2, batch_size=4, verbose=0)
    assert len(history.history["loss"]) == 2
