"""`kerasish.Operation` and `kerasish.KerasTensor`: Keras 3's public operation API, and op nodes."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import ops


class Scale(kerasish.Operation):
    def __init__(self, factor=2.0, name=None):
        super().__init__(name=name)
        self.factor = factor

    def call(self, x):
        return x * self.factor


def test_operation_runs_eagerly_and_symbolically():
    op = Scale(3.0)
    assert torch.equal(op(torch.ones(2)), torch.full((2,), 3.0))
    x = kerasish.KerasTensor((None, 4), dtype="float16")
    y = op(x)
    assert isinstance(y, kerasish.KerasTensor) and y.shape == (None, 4) and y.dtype == "float16"
    assert op.input is x and op.output is y
    spec = op.compute_output_spec(kerasish.KerasTensor((3, 5)))
    assert spec.shape == (3, 5) and not op._inbound_nodes[1:]  # a spec records no node
    assert isinstance(kerasish.layers.Dense(2), kerasish.Operation)


def test_operation_config_round_trip_and_names():
    op = Scale(factor=0.5)
    assert op.name == "scale" and Scale().name == "scale_1"
    config = op.get_config()
    assert config == {"name": "scale", "factor": 0.5}
    clone = Scale.from_config(config)
    assert clone.factor == 0.5 and clone.name == "scale"
    with pytest.raises(ValueError, match="Received: name="):
        Scale(name="a/b")


def test_operation_without_call_says_so():
    with pytest.raises(NotImplementedError, match="must implement `call"):
        kerasish.Operation()(torch.ones(1))


def test_function_replays_ops_and_layers():
    x = kerasish.KerasTensor((None, 3))
    dense = kerasish.layers.Dense(2, kernel_initializer="ones")
    fn = kerasish.Function(x, ops.sum(dense(x * 2.0), axis=1))
    out = fn(torch.ones(4, 3))
    assert torch.allclose(out, torch.full((4,), 12.0))


def test_operators_record_keras_op_nodes():
    x = kerasish.Input((3, 4))
    y = (-(x[:, 0] + 1.0) * 2.0) @ np.ones((4, 2), "float32")
    names = [type(t._keras_history[0]).__name__ for t in (y,)]
    assert names == ["Matmul"] and y.shape == (None, 2)
    model = kerasish.Model(x, y)
    ops_in_graph = [type(op).__name__ for op in model.operations[1:]]
    assert ops_in_graph == ["GetItem", "Add", "Negative", "Multiply", "Matmul"]
    assert model.layers == [model.operations[0]]  # ops are no layers
    out = model.predict(np.ones((2, 3, 4), "float32"), verbose=0)
    np.testing.assert_allclose(out, np.full((2, 2), -16.0))


def test_backend_function_on_symbolic_tensor_replays_but_cannot_be_saved():
    x = kerasish.Input((3,))
    y = kerasish.backend.square(x)
    model = kerasish.Model(x, y)
    np.testing.assert_allclose(model.predict(np.full((1, 3), 3.0, "float32"), verbose=0),
                               np.full((1, 3), 9.0))
    with pytest.raises(NotImplementedError, match="cannot be serialized"):
        model.get_config()


def test_unknown_keras_op_in_a_config_is_named():
    from kerasish.ops.op_nodes import keras_op_from_config

    with pytest.raises(ValueError, match="class_name='NoSuchOp'"):
        keras_op_from_config("numpy", "NoSuchOp", {"name": "x"})


def test_op_nodes_save_and_load_within_kerasish(tmp_path):
    x = kerasish.Input((6,))
    h = ops.reshape(kerasish.layers.Dense(6)(x), (-1, 2, 3))
    model = kerasish.Model(x, ops.mean(h, axis=1) + 1.0)
    model.save(tmp_path / "m.keras")
    loaded = kerasish.models.load_model(tmp_path / "m.keras")
    data = np.random.default_rng(0).normal(size=(4, 6)).astype("float32")
    np.testing.assert_allclose(loaded.predict(data, verbose=0), model.predict(data, verbose=0),
                               rtol=1e-6)
    assert [type(op).__name__ for op in loaded.operations[2:]] == ["Reshape", "Mean", "Add"]
