"""Unit tests for the functional API: graph building, calling, structure, config, errors."""

import json

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers
from kerasish.models.functional import Functional


def _two_tower():
    a, b = kerasish.Input((4,), name="a"), kerasish.Input((3,), name="b")
    shared = layers.Dense(5, name="shared")
    x = layers.concatenate([shared(a), layers.Dense(5)(b)])
    return a, b, shared, kerasish.Model([a, b], [layers.Dense(2, name="out1")(x), layers.Dense(1, name="out2")(x)])


def test_model_call_returns_functional_with_inputs_outputs_and_names():
    a, b, shared, model = _two_tower()
    assert isinstance(model, Functional)
    assert model.inputs == [a, b] and len(model.outputs) == 2
    assert model.input_names == ["a", "b"] and model.output_names == ["out1", "out2"]
    assert model.input_shape == [(None, 4), (None, 3)]
    assert model.output_shape == [(None, 2), (None, 1)]
    assert [l.name for l in model.layers][:2] == ["a", "b"]
    assert model.get_layer("shared") is shared
    assert model.get_layer(index=0).name == "a"
    out = model([np.ones((2, 4), "float32"), np.ones((2, 3), "float32")])
    assert [tuple(o.shape) for o in out] == [(2, 2), (2, 1)]


def test_shared_layer_has_two_nodes_and_same_weights():
    a, b = kerasish.Input((4,)), kerasish.Input((4,))
    shared = layers.Dense(3, use_bias=False)
    model = kerasish.Model([a, b], layers.subtract([shared(a), shared(b)]))
    assert len(shared._inbound_nodes) == 2
    assert shared.get_output_at(1) is not shared.get_output_at(0)
    x = np.random.rand(2, 4).astype("float32")
    np.testing.assert_allclose(model.predict([x, x], verbose=0), 0.0)
    assert len(model.weights) == 1


def test_layer_input_output_shape_properties():
    inp = kerasish.Input((6,))
    dense = layers.Dense(2)
    out = dense(inp)
    assert dense.input is inp and dense.output is out
    assert dense.input_shape == (None, 6) and dense.output_shape == (None, 2)


def test_dict_inputs_and_outputs():
    x1, x2 = kerasish.Input((2,), name="x1"), kerasish.Input((2,), name="x2")
    model = kerasish.Model({"x1": x1, "x2": x2}, {"sum": layers.add([x1, x2]), "prod": layers.multiply([x1, x2])})
    assert model.output_names == ["prod", "sum"]
    out = model({"x2": np.full((1, 2), 3.0, "float32"), "x1": np.full((1, 2), 2.0, "float32")})
    np.testing.assert_allclose(out["sum"].numpy(), 5.0)
    np.testing.assert_allclose(out["prod"].numpy(), 6.0)


def test_nested_model_and_sequential_as_layers():
    inner_in = kerasish.Input((3,))
    inner = kerasish.Model(inner_in, layers.Dense(3)(inner_in), name="inner")
    seq = kerasish.Sequential([layers.Dense(2)], name="seq")
    inp = kerasish.Input((3,))
    model = kerasish.Model(inp, seq(inner(inner(inp))))
    assert [l.name for l in model.layers] == [inp._keras_history[0].name, "inner", "seq"]
    x = np.random.rand(4, 3).astype("float32")
    expected = seq(inner(inner(torch.from_numpy(x))))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected.detach().numpy(), rtol=1e-6)


def test_tensor_ops_on_symbolic_tensors():
    inp = kerasish.Input((4,))
    out = [inp + 1, 2 - inp, inp * inp, -inp, inp[:, 1:3], inp / 2, inp ** 2]
    model = kerasish.Model(inp, out)
    x = np.arange(8, dtype="float32").reshape(2, 4)
    got = model.predict(x, verbose=0)
    for g, e in zip(got, [x + 1, 2 - x, x * x, -x, x[:, 1:3], x / 2, x ** 2]):
        np.testing.assert_allclose(g, e, rtol=1e-6)
    assert model.outputs[4].shape == (None, 2)


def test_training_flag_reaches_layers():
    inp = kerasish.Input((100,))
    model = kerasish.Model(inp, layers.Dropout(0.5)(inp))
    x = torch.ones(2, 100)
    assert torch.equal(model(x, training=False), x)
    assert (model(x, training=True) == 0).any()


def test_mask_propagates_through_the_graph():
    inp = kerasish.Input((5,), dtype="int32")
    emb = layers.Embedding(10, 3, mask_zero=True)(inp)
    model = kerasish.Model(inp, layers.Lambda(lambda t, mask=None: t * mask.unsqueeze(-1).float())(emb))
    out = model(torch.tensor([[1, 2, 0, 0, 3]]))
    assert (out[0, 2:4] == 0).all() and (out[0, 0] != 0).any()


def test_input_rank_is_adjusted_like_keras():
    inp = kerasish.Input((1,))
    model = kerasish.Model(inp, inp * 2)
    assert tuple(model(torch.ones(3)).shape) == (3, 1)


def test_wrong_number_of_inputs_is_a_clear_error():
    _, _, _, model = _two_tower()
    with pytest.raises(ValueError, match="expects 2 input"):
        model(np.ones((1, 4), "float32"))


def test_disconnected_graph_is_a_clear_error():
    a, b = kerasish.Input((2,)), kerasish.Input((2,))
    out = layers.add([a, b])
    with pytest.raises(ValueError, match="Graph disconnected"):
        kerasish.Model(a, out)


def test_unknown_layer_name_and_bad_index():
    _, _, _, model = _two_tower()
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="index 99"):
        model.get_layer(index=99)


def test_duplicate_layer_names_rejected():
    inp = kerasish.Input((2,))
    x = layers.Dense(2, name="same")(inp)
    with pytest.raises(ValueError, match="used 2 times"):
        kerasish.Model(inp, layers.Dense(2, name="same")(x))


def test_non_symbolic_outputs_rejected():
    with pytest.raises(ValueError, match="must be KerasTensors"):
        kerasish.Model(kerasish.Input((2,)), np.zeros(2))


def test_summary_shows_connections():
    _, _, _, model = _two_tower()
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Connected to" in text and "shared[0][0]" in text and "a[0][0]" in text


def test_config_round_trip_through_json():
    _, _, _, model = _two_tower()
    config = json.loads(json.dumps(model.get_config()))
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    rebuilt = kerasish.Model.from_config(config)
    rebuilt.set_weights(model.get_weights())
    x = [np.random.rand(2, 4).astype("float32"), np.random.rand(2, 3).astype("float32")]
    for r, e in zip(rebuilt.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_allclose(r, e, rtol=1e-6)


def test_reads_keras2_inbound_node_format():
    config = {
        "name": "legacy", "layers": [
            {"class_name": "InputLayer", "name": "input_1",
             "config": {"batch_input_shape": [None, 3], "dtype": "float32", "name": "input_1"},
             "inbound_nodes": []},
            {"class_name": "Dense", "name": "dense_1", "config": {"name": "dense_1", "units": 2},
             "inbound_nodes": [[["input_1", 0, 0, {}]]]},
        ],
        "input_layers": [["input_1", 0, 0]], "output_layers": [["dense_1", 0, 0]],
    }
    model = kerasish.Model.from_config(config)
    assert model.output_shape == (None, 2)


def test_per_output_losses_weights_and_metrics_by_name():
    _, _, _, model = _two_tower()
    model.compile(optimizer="sgd", loss={"out1": "mse", "out2": "mae"}, loss_weights={"out1": 1.0, "out2": 0.0},
                  metrics={"out2": ["mae"]})
    x = [np.random.rand(8, 4).astype("float32"), np.random.rand(8, 3).astype("float32")]
    y = {"out1": np.random.rand(8, 2).astype("float32"), "out2": np.random.rand(8, 1).astype("float32")}
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["loss"], logs["out1_loss"], rtol=1e-5)
    assert "out2_mae" in logs


def test_symbolic_add_loss_with_compile_without_loss():
    inp = kerasish.Input((3,))
    out = layers.Dense(3)(inp)
    model = kerasish.Model(inp, out)
    model.add_loss(layers.Lambda(lambda t: torch.mean(torch.square(t[0] - t[1])))([inp, out]))
    model.compile(optimizer=kerasish.optimizers.SGD(0.1))
    x = np.random.rand(32, 3).astype("float32")
    hist = model.fit(x, epochs=3, batch_size=32, validation_data=(x, None), verbose=0)
    assert hist.history["loss"][-1] < hist.history["loss"][0]
    assert "val_loss" in hist.history


def test_clone_model_functional_and_sequential():
    _, _, _, model = _two_tower()
    clone = kerasish.models.clone_model(model)
    assert clone is not model and all(a is not b for a, b in zip(clone.weights, model.weights))
    clone.set_weights(model.get_weights())
    x = [np.random.rand(2, 4).astype("float32"), np.random.rand(2, 3).astype("float32")]
    np.testing.assert_allclose(clone.predict(x, verbose=0)[0], model.predict(x, verbose=0)[0], rtol=1e-6)
    seq = kerasish.Sequential([kerasish.Input((3,)), layers.Dense(2)])
    assert kerasish.models.clone_model(seq).output_shape == (None, 2)
    with pytest.raises(ValueError, match="subclassed"):
        kerasish.models.clone_model(kerasish.Model.from_torch(torch.nn.Linear(2, 2)))


def test_plot_model_without_pydot_says_how_to_install(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pydot", None)  # as if pydot were not installed
    _, _, _, model = _two_tower()
    with pytest.raises(ImportError, match="pip install pydot"):
        kerasish.utils.plot_model(model, to_file=str(tmp_path / "m.png"))