"""Keras 3.15's newer optimizers (Adafactor, Lamb, Muon, ScheduleFreeAdamW, MultiOptimizer) equal
Keras 3's: 50-step trajectories from identical weights and gradients, the state in Keras's order,
configs both ways, and `fit()` on a small model."""

import json

import numpy as np
import pytest
import torch

import kerasish
from tests.conftest import assert_close
from tests.parity.test_optimizers_parity import _make, _run, _trajectory_inputs

CASES = [
    ("adafactor", "Adafactor", {"learning_rate": 0.01}),
    ("adafactor_absolute", "Adafactor", {"learning_rate": 0.5, "relative_step": False,
                                         "clip_threshold": 0.5, "beta_2_decay": -0.5}),
    ("adafactor_schedule", "Adafactor", {"learning_rate": ("ExponentialDecay", {
        "initial_learning_rate": 0.2, "decay_steps": 10, "decay_rate": 0.5})}),
    ("lamb", "Lamb", {"learning_rate": 0.01}),
    ("lamb_wd", "Lamb", {"learning_rate": 0.01, "weight_decay": 0.1, "clipnorm": 1.0}),
    ("muon", "Muon", {"learning_rate": 0.01}),
    ("muon_plain", "Muon", {"learning_rate": 0.02, "nesterov": False, "rms_rate": None,
                            "ns_steps": 3, "adam_lr_ratio": 0.5, "weight_decay": 0.1}),
    ("schedule_free", "ScheduleFreeAdamW", {"learning_rate": 0.01}),
    ("schedule_free_warmup", "ScheduleFreeAdamW", {"learning_rate": 0.01, "warmup_steps": 10,
                                                   "weight_decay": 0.05}),
]


def _keras_without_alias(opt):
    """Keras's ScheduleFreeAdamW reads `momentum.value` as the old z, but on the torch backend that
    is the live variable, updated in place a line later. Rebinding the variable to a new tensor on
    `assign_sub` (the z update) gives Keras's own code the rule it means (and computes on JAX and
    TensorFlow), which kerasish implements."""
    def assign_sub(variable, value):
        variable._value = torch.nn.Parameter(variable.value - value, requires_grad=False)

    opt.assign_sub = assign_sub
    return opt


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_trajectory_and_state_match_keras(keras, case):
    _, class_name, kwargs = case
    weights, grads = _trajectory_inputs()
    ours = _make(kerasish, class_name, kwargs)
    theirs = _make(keras, class_name, kwargs)
    if class_name == "ScheduleFreeAdamW":
        _keras_without_alias(theirs)
    our_vars = _run(kerasish, ours, weights, grads, torch.from_numpy)
    their_vars = _run(keras, theirs, weights, grads, keras.ops.convert_to_tensor)
    for a, b in zip(our_vars, their_vars):
        assert_close(a.numpy(), keras.ops.convert_to_numpy(b), rtol=1e-5, atol=2e-6)
    their_state = [keras.ops.convert_to_numpy(v) for v in theirs.variables]
    our_state = ours._state_values()
    assert [np.shape(a) for a in our_state] == [np.shape(b) for b in their_state]
    for a, b in zip(our_state, their_state):
        assert_close(np.asarray(a, "float64"), np.asarray(b, "float64"), rtol=1e-5, atol=2e-6)
    ref = _make(kerasish, class_name, kwargs).get_config()
    expected = _make(keras, class_name, kwargs).get_config()
    ref.pop("name"), expected.pop("name")
    assert ref == expected


def test_schedule_free_differs_from_keras_torch_only_by_the_alias(keras):
    """Without the test's fix, Keras-on-torch's trajectory is a different one (so the fix above is
    what makes the comparison pass, not a tolerance)."""
    weights, grads = _trajectory_inputs()
    ours = _run(kerasish, kerasish.optimizers.ScheduleFreeAdamW(0.01), weights, grads, torch.from_numpy)
    theirs = _run(keras, keras.optimizers.ScheduleFreeAdamW(0.01), weights, grads,
                  keras.ops.convert_to_tensor)
    assert np.abs(ours[0].numpy() - keras.ops.convert_to_numpy(theirs[0])).max() > 1e-3


def _named(library, weights):
    return [library.Variable(w.copy(), name=n) for w, n in zip(weights, ["kernel", "bias", "other"])]


def _multi(library, use_map):
    sgd = library.optimizers.SGD(0.05, momentum=0.9)
    adam = library.optimizers.Adam(0.01)
    lamb = library.optimizers.Lamb(0.01)
    if use_map:
        return library.optimizers.MultiOptimizer(
            library.optimizers.OptimizerMap(sgd, {"bias": adam, "oth.*": lamb}))
    return library.optimizers.MultiOptimizer(lambda v: adam if v.path == "bias" else sgd)


@pytest.mark.parametrize("use_map", [True, False], ids=["optimizer_map", "callable"])
def test_multi_optimizer_matches_keras(keras, use_map):
    weights, grads = _trajectory_inputs()
    results = []
    for library, to_tensor in ((kerasish, torch.from_numpy), (keras, keras.ops.convert_to_tensor)):
        opt = _multi(library, use_map)
        variables = _named(library, weights)
        for step in grads[:20]:
            opt.apply([to_tensor(g) for g in step], variables)
        results.append((opt, variables))
    (ours, our_vars), (theirs, their_vars) = results
    for a, b in zip(our_vars, their_vars):
        assert_close(a.numpy(), keras.ops.convert_to_numpy(b), rtol=1e-5, atol=1e-6)
    their_state = [keras.ops.convert_to_numpy(v) for v in theirs.variables]
    our_state = ours._state_values()
    assert len(our_state) == len(their_state)
    for a, b in zip(our_state, their_state):
        assert_close(np.asarray(a, "float64"), np.asarray(b, "float64"), rtol=1e-5, atol=1e-6)
    assert [type(o).__name__ for o in ours.optimizers] == [type(o).__name__ for o in theirs.optimizers]


def test_multi_optimizer_config_crosses_both_ways(keras):
    ours = _multi(kerasish, True)
    theirs = keras.optimizers.deserialize(json.loads(json.dumps(kerasish.optimizers.serialize(ours))))
    assert isinstance(theirs, keras.optimizers.MultiOptimizer)
    back = kerasish.optimizers.deserialize(keras.optimizers.serialize(theirs))
    assert [type(o).__name__ for o in back.optimizers] == ["Adam", "Lamb", "SGD"]
    assert back.get_config()["optimizer_map"]["config"]["optimizer_map"].keys() == {"bias", "oth.*"}


def test_multi_optimizer_state_round_trip():
    weights, grads = _trajectory_inputs()
    opt, variables = _multi(kerasish, True), _named(kerasish, weights)
    for step in grads[:3]:
        opt.apply([torch.from_numpy(g) for g in step], variables)
    store = {}
    opt.save_own_variables(store)
    fresh = _multi(kerasish, True)
    fresh.build(_named(kerasish, weights))
    fresh.load_own_variables(store)
    for a, b in zip(fresh._state_values(), opt._state_values()):
        np.testing.assert_array_equal(a, b)


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="Received: default_optimizer="):
        kerasish.optimizers.OptimizerMap("adam")
    opt_map = kerasish.optimizers.OptimizerMap(kerasish.optimizers.SGD())
    with pytest.raises(ValueError, match="Received: optimizer="):
        opt_map["x"] = kerasish.optimizers.MultiOptimizer(opt_map)
    with pytest.raises(AttributeError):
        kerasish.optimizers.MultiOptimizer(opt_map).learning_rate
    with pytest.raises(ValueError, match="Received: warmup_steps=-1"):
        kerasish.optimizers.ScheduleFreeAdamW(warmup_steps=-1)
    with pytest.raises(ValueError, match="Received: ns_steps=1.5"):
        kerasish.optimizers.Muon(ns_steps=1.5)


@pytest.mark.parametrize("class_name", ["Adafactor", "Muon", "MultiOptimizer"])
def test_fit_matches_keras(keras, class_name):
    """A conv kernel (stored in torch's layout) and dense layers, trained by `fit()` in both."""
    rng = np.random.default_rng(5)
    x = rng.normal(size=(48, 6, 6, 2)).astype("float32")
    y = rng.normal(size=(48, 3)).astype("float32")

    def build(lib):
        return lib.Sequential([lib.Input((6, 6, 2)), lib.layers.Conv2D(4, 3, name="conv"),
                               lib.layers.Flatten(), lib.layers.Dense(3, name="head")])

    def optimizer(lib):
        if class_name == "MultiOptimizer":
            return lib.optimizers.MultiOptimizer(lib.optimizers.OptimizerMap(
                lib.optimizers.Adafactor(0.05), {".*head.*": lib.optimizers.Lamb(0.01)}))
        return getattr(lib.optimizers, class_name)(learning_rate=0.02)

    ours, theirs = build(kerasish), build(keras)
    theirs.set_weights(ours.get_weights())
    for model, lib in ((ours, kerasish), (theirs, keras)):
        model.compile(optimizer=optimizer(lib), loss="mse")
        model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_optimizer_state_crosses_keras_files_both_ways(keras, tmp_path):
    """A `.keras` file keeps the newer optimizers' state in Keras's order: Keras loads it, and
    kerasish loads Keras's file back (Adafactor's unused integer slots included)."""
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(16, 4)).astype("float32"), rng.normal(size=(16, 2)).astype("float32")
    for name in ("Adafactor", "Muon", "Lamb", "ScheduleFreeAdamW"):
        model = kerasish.Sequential([kerasish.Input((4,)), kerasish.layers.Dense(3), kerasish.layers.Dense(2)])
        model.compile(getattr(kerasish.optimizers, name)(), "mse")
        model.fit(x, y, epochs=1, batch_size=8, verbose=0)
        path = tmp_path / f"{name}.keras"
        model.save(path)
        theirs = keras.saving.load_model(path)
        ours = model.optimizer._state_values()
        loaded = [keras.ops.convert_to_numpy(v) for v in theirs.optimizer.variables]
        assert len(ours) == len(loaded)
        for a, b in zip(ours, loaded):
            assert_close(np.asarray(a, "float64"), np.asarray(b, "float64"))
        theirs.save(path)
        back = kerasish.saving.load_model(path).optimizer._state_values()
        for a, b in zip(back, ours):
            assert_close(np.asarray(a, "float64"), np.asarray(b, "float64"))
