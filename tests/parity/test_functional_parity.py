"""Functional models built the same way in Keras 3 and kerasish give the same outputs for the same
weights (copied with `set_weights(keras_model.get_weights())`, so the weight order must match)."""

import json

import pytest

import kerasish
from tests.conftest import assert_close


def _branches(lib):
    L = lib.layers
    inp = lib.Input((6,), name="x")
    a = L.Dense(5, activation="relu")(inp)
    b = L.Dense(5, activation="tanh")(inp)
    c = L.Dense(5)(inp)
    merged = L.concatenate([L.add([a, b]), L.subtract([b, c]), L.multiply([a, c]),
                            L.average([a, b, c]), L.maximum([a, c]), L.minimum([b, c])])
    return lib.Model(inp, L.Dense(3, activation="softmax")(merged))


def _shared(lib):
    L = lib.layers
    left, right = lib.Input((7,), name="left"), lib.Input((7,), name="right")
    shared = L.Dense(4, activation="sigmoid", name="shared")
    d1, d2 = shared(left), shared(right)
    sim = L.Dot(axes=1, normalize=True)([d1, d2])
    raw = L.dot([d1, d2], axes=-1)
    return lib.Model([left, right], [sim, raw, L.Dense(2)(L.concatenate([d1, d2, sim]))])


def _nested(lib):
    L = lib.layers
    inner_in = lib.Input((5,))
    inner = lib.Model(inner_in, L.Dense(3, activation="relu")(L.Dense(4)(inner_in)), name="inner")
    seq = lib.Sequential([lib.Input((3,)), L.Dense(6), L.Dense(2)], name="seq")
    inp = lib.Input((5,))
    x = inner(inp)
    y = inner(L.Dense(5)(inp))  # the nested model used twice
    return lib.Model(inp, seq(L.add([x, y])))


def _ops_and_lambda(lib):
    L = lib.layers
    inp = lib.Input((4,))
    h = L.Dense(4)(inp)
    y = (h * 2.0 + 1.0 - inp) / 3.0
    z = L.Lambda(lambda t: t[0] * t[1])([y, -h])
    return lib.Model(inp, {"sum": L.Dense(1, name="sum")(z), "first": y[:, :2]})


def _sequence_dot(lib):
    L = lib.layers
    a, b = lib.Input((3, 4)), lib.Input((5, 4))
    att = L.Dot(axes=(2, 2))([L.Dense(4)(a), b])        # (batch, 3, 5)
    mixed = L.Dot(axes=(2, 1))([att, L.Dense(6)(b)])    # (batch, 3, 6)
    return lib.Model([a, b], L.Concatenate(axis=1)([mixed, L.Dense(6)(a)]))


BUILDERS = {"branches": (_branches, [(6,)]), "shared": (_shared, [(7,), (7,)]),
            "nested": (_nested, [(5,)]), "ops_lambda": (_ops_and_lambda, [(4,)]),
            "sequence_dot": (_sequence_dot, [(3, 4), (5, 4)])}


def _flat(out):
    if isinstance(out, dict):
        return [out[k] for k in sorted(out)]
    return list(out) if isinstance(out, (list, tuple)) else [out]


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_same_outputs_as_keras(keras, rng, name):
    build, shapes = BUILDERS[name]
    k_model = build(keras)
    kerasish.backend.clear_session()
    model = build(kerasish)
    assert [w.shape for w in model.get_weights()] == [w.shape for w in k_model.get_weights()]
    model.set_weights(k_model.get_weights())
    xs = [rng.normal(size=(3,) + s).astype("float32") for s in shapes]
    xs = xs[0] if len(xs) == 1 else xs
    expected = _flat(k_model.predict(xs, verbose=0))
    actual = _flat(model.predict(xs, verbose=0))
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        assert a.shape == e.shape
        assert_close(a, e, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_same_layer_order_and_output_shapes(keras, name):
    build, _ = BUILDERS[name]
    k_model = build(keras)
    kerasish.backend.clear_session()
    model = build(kerasish)
    assert [type(l).__name__ for l in model.layers] == [
        "Functional" if type(l).__name__ == "Functional" else type(l).__name__ for l in k_model.layers]
    if isinstance(model._outputs_struct, dict):
        # Dict outputs are named by their keys here (the trainer matches per-output losses by them).
        assert model.output_names == sorted(model._outputs_struct)
    else:
        assert model.output_names == list(k_model.output_names)
    k_shapes = [tuple(t.shape) for t in k_model.outputs]
    assert [tuple(t.shape) for t in model.outputs] == k_shapes


def test_config_layout_matches_keras(keras):
    k_config = json.loads(json.dumps(_shared(keras).get_config()))
    kerasish.backend.clear_session()
    config = json.loads(json.dumps(_shared(kerasish).get_config()))
    assert [l["name"] for l in config["layers"]] == [l["name"] for l in k_config["layers"]]
    assert config["input_layers"] == k_config["input_layers"]
    assert config["output_layers"] == k_config["output_layers"]
    for ours, theirs in zip(config["layers"], k_config["layers"]):
        assert ours["class_name"] == theirs["class_name"]
        assert ours["inbound_nodes"] == theirs["inbound_nodes"]


def test_training_step_matches_keras(keras, rng):
    k_model = _shared(keras)
    kerasish.backend.clear_session()
    model = _shared(kerasish)
    model.set_weights(k_model.get_weights())
    x = [rng.normal(size=(8, 7)).astype("float32") for _ in range(2)]
    y = [rng.normal(size=(8, 1)).astype("float32"), rng.normal(size=(8, 1)).astype("float32"),
         rng.normal(size=(8, 2)).astype("float32")]
    for m, lib in ((k_model, keras), (model, kerasish)):
        m.compile(optimizer=lib.optimizers.SGD(0.1), loss=["mse", "mae", "mse"], loss_weights=[1.0, 0.5, 2.0])
        m.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    for a, e in zip(model.get_weights(), k_model.get_weights()):
        assert_close(a, e, rtol=1e-5, atol=1e-6)
