"""Optimizer parity with Keras 3 (torch backend): 50 steps of `apply(grads, vars)` from identical
weights on identical gradients give the same weights and the same optimizer state."""

import numpy as np
import pytest

import kerasish
from tests.conftest import assert_close

SHAPES = [(7, 5), (5,), (3, 4, 2)]
STEPS = 50

# (case id, class name, constructor kwargs); schedules are given as ("Schedule", kwargs) and built
# in each library.
CASES = [
    ("sgd", "SGD", {}),
    ("sgd_momentum", "SGD", {"learning_rate": 0.05, "momentum": 0.9}),
    ("sgd_nesterov", "SGD", {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True}),
    ("rmsprop", "RMSprop", {}),
    ("rmsprop_momentum", "RMSprop", {"momentum": 0.5}),
    ("rmsprop_centered", "RMSprop", {"centered": True, "momentum": 0.3}),
    ("adam", "Adam", {"learning_rate": 0.01}),
    ("adam_amsgrad", "Adam", {"learning_rate": 0.01, "amsgrad": True}),
    ("adamw", "AdamW", {"learning_rate": 0.01}),
    ("adamw_amsgrad", "AdamW", {"learning_rate": 0.01, "weight_decay": 0.1, "amsgrad": True}),
    ("adagrad", "Adagrad", {"learning_rate": 0.05}),
    ("adagrad_init", "Adagrad", {"learning_rate": 0.05, "initial_accumulator_value": 0.5}),
    ("adadelta", "Adadelta", {"learning_rate": 1.0}),
    ("adamax", "Adamax", {"learning_rate": 0.01}),
    ("nadam", "Nadam", {"learning_rate": 0.01}),
    ("ftrl", "Ftrl", {"learning_rate": 0.05}),
    ("ftrl_reg", "Ftrl", {"learning_rate": 0.05, "l1_regularization_strength": 0.01,
                          "l2_regularization_strength": 0.02, "beta": 0.1,
                          "l2_shrinkage_regularization_strength": 0.01}),
    ("lion", "Lion", {"learning_rate": 0.001}),
    ("clipnorm", "Adam", {"learning_rate": 0.01, "clipnorm": 1.0}),
    ("clipvalue", "SGD", {"learning_rate": 0.05, "momentum": 0.9, "clipvalue": 0.5}),
    ("global_clipnorm", "RMSprop", {"global_clipnorm": 1.5}),
    ("weight_decay", "SGD", {"learning_rate": 0.05, "weight_decay": 0.1}),
    ("weight_decay_lion", "Lion", {"weight_decay": 0.5}),
    ("use_ema", "Adam", {"learning_rate": 0.01, "use_ema": True, "ema_momentum": 0.9}),
    ("use_ema_overwrite", "SGD", {"learning_rate": 0.05, "use_ema": True,
                                  "ema_overwrite_frequency": 7}),
    ("grad_accumulation", "Adam", {"learning_rate": 0.01, "gradient_accumulation_steps": 3}),
    ("grad_accumulation_nadam", "Nadam", {"gradient_accumulation_steps": 2, "use_ema": True}),
    ("loss_scale_factor", "Adagrad", {"learning_rate": 0.05, "loss_scale_factor": 128.0}),
    ("exponential_decay", "SGD", {"learning_rate": ("ExponentialDecay", {
        "initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5})}),
    ("piecewise", "Adam", {"learning_rate": ("PiecewiseConstantDecay", {
        "boundaries": [10, 30], "values": [0.01, 0.005, 0.001]})}),
    ("polynomial", "RMSprop", {"learning_rate": ("PolynomialDecay", {
        "initial_learning_rate": 0.01, "decay_steps": 20, "power": 2.0, "cycle": True})}),
    ("inverse_time", "Adamax", {"learning_rate": ("InverseTimeDecay", {
        "initial_learning_rate": 0.02, "decay_steps": 5, "decay_rate": 0.3, "staircase": True})}),
    ("cosine_warmup", "AdamW", {"learning_rate": ("CosineDecay", {
        "initial_learning_rate": 0.0, "decay_steps": 30, "alpha": 0.1, "warmup_target": 0.02,
        "warmup_steps": 10})}),
    ("cosine_restarts", "SGD", {"learning_rate": ("CosineDecayRestarts", {
        "initial_learning_rate": 0.1, "first_decay_steps": 7, "t_mul": 1.5, "m_mul": 0.8,
        "alpha": 0.05})}),
]


def _make(library, class_name, kwargs):
    kwargs = dict(kwargs)
    lr = kwargs.get("learning_rate")
    if isinstance(lr, tuple):
        kwargs["learning_rate"] = getattr(library.optimizers.schedules, lr[0])(**lr[1])
    return getattr(library.optimizers, class_name)(**kwargs)


def _trajectory_inputs():
    rng = np.random.default_rng(42)
    weights = [rng.normal(size=s).astype("float32") for s in SHAPES]
    grads = [[(rng.normal(size=s) * 2.0).astype("float32") for s in SHAPES] for _ in range(STEPS)]
    return weights, grads


def _run(library, opt, weights, grads, to_tensor):
    variables = [library.Variable(w.copy()) for w in weights]
    for step_grads in grads:
        opt.apply([to_tensor(g) for g in step_grads], variables)
    return variables


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_optimizer_trajectory_matches_keras(keras, case):
    import torch

    _, class_name, kwargs = case
    weights, grads = _trajectory_inputs()
    ours = _make(kerasish, class_name, kwargs)
    theirs = _make(keras, class_name, kwargs)
    our_vars = _run(kerasish, ours, weights, grads, torch.from_numpy)
    their_vars = _run(keras, theirs, weights, grads, lambda g: keras.ops.convert_to_tensor(g))
    for a, b in zip(our_vars, their_vars):
        assert_close(a.numpy(), keras.ops.convert_to_numpy(b), rtol=1e-5, atol=1e-6)
    # The state too, in Keras's variable order (the layout saved files use).
    their_state = [keras.ops.convert_to_numpy(v) for v in theirs.variables]
    our_state = ours._state_values()
    assert len(our_state) == len(their_state)
    for a, b in zip(our_state, their_state):
        assert_close(np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64"),
                     rtol=1e-5, atol=1e-6)
    assert int(ours.iterations.numpy()) == int(keras.ops.convert_to_numpy(theirs.iterations))
    if kwargs.get("use_ema"):
        ours.finalize_variable_values(our_vars)
        theirs.finalize_variable_values(their_vars)
        for a, b in zip(our_vars, their_vars):
            assert_close(a.numpy(), keras.ops.convert_to_numpy(b), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_config_matches_keras(keras, case):
    _, class_name, kwargs = case
    ours = _make(kerasish, class_name, kwargs).get_config()
    theirs = _make(keras, class_name, kwargs).get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs


SCHEDULES = [
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.9,
                          "staircase": True}),
    ("PiecewiseConstantDecay", {"boundaries": [5, 10, 20], "values": [1.0, 0.5, 0.25, 0.1]}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 13, "power": 0.5}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 13, "cycle": True}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.5}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 40, "alpha": 0.2}),
    ("CosineDecay", {"initial_learning_rate": 0.01, "decay_steps": 30, "warmup_target": 0.1,
                     "warmup_steps": 15}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 6}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 6, "t_mul": 1.0,
                             "m_mul": 0.5, "alpha": 0.1}),
]


@pytest.mark.parametrize("schedule", SCHEDULES, ids=[f"{s[0]}-{i}" for i, s in enumerate(SCHEDULES)])
def test_schedule_values_match_keras(keras, schedule):
    name, kwargs = schedule
    ours = getattr(kerasish.optimizers.schedules, name)(**kwargs)
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    steps = range(0, 70)
    expected = [float(keras.ops.convert_to_numpy(theirs(s))) for s in steps]
    assert_close([ours(s) for s in steps], expected, rtol=1e-5, atol=1e-7)
    assert ours.get_config() == theirs.get_config()


@pytest.mark.parametrize("class_name, kwargs", [
    ("Nadam", {"learning_rate": 0.01, "clipnorm": 1.0}),
    ("Adam", {"learning_rate": 0.01, "use_ema": True, "ema_momentum": 0.8}),
    ("SGD", {"learning_rate": 0.01, "momentum": 0.9, "nesterov": True,
             "gradient_accumulation_steps": 2}),
], ids=["nadam_clipnorm", "adam_ema", "sgd_accumulation"])
def test_fit_matches_keras(keras, class_name, kwargs):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(96, 6)).astype("float32")
    y = rng.normal(size=(96, 2)).astype("float32")

    def build(lib):
        return lib.Sequential([lib.Input((6,)), lib.layers.Dense(16, activation="tanh"),
                               lib.layers.Dense(2)])

    ours, theirs = build(kerasish), build(keras)
    theirs.set_weights(ours.get_weights())
    for model, lib in ((ours, kerasish), (theirs, keras)):
        model.compile(optimizer=getattr(lib.optimizers, class_name)(**kwargs), loss="mse")
        model.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        assert_close(a, b, rtol=1e-5, atol=1e-6)
