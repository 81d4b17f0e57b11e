"""`kerasish.distillation` gives Keras 3.15's numbers: distillation loss values, and `fit()` of a
Distiller (same teacher, same student weights) gives the same losses and student weights."""

import numpy as np
import pytest
import torch

import kerasish
from tests.conftest import assert_close


def _logits(rng, shape=(6, 4)):
    return (rng.normal(size=shape) * 2).astype("float32")


@pytest.mark.parametrize("kwargs", [{}, {"temperature": 1.5, "loss": "categorical_crossentropy"},
                                    {"loss": kerasish.losses.KLDivergence}])
def test_logits_distillation_matches_keras(keras, rng, kwargs):
    teacher, student = _logits(rng), _logits(rng)
    ours_kwargs, their_kwargs = dict(kwargs), dict(kwargs)
    if kwargs.get("loss") is kerasish.losses.KLDivergence:
        ours_kwargs["loss"], their_kwargs["loss"] = kerasish.losses.KLDivergence(), keras.losses.KLDivergence()
    ours = kerasish.distillation.LogitsDistillation(**ours_kwargs).compute_loss(torch.tensor(teacher), torch.tensor(student))
    theirs = keras.distillation.LogitsDistillation(**their_kwargs).compute_loss(
        keras.ops.convert_to_tensor(teacher), keras.ops.convert_to_tensor(student))
    assert_close(ours.numpy(), keras.ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-6)


def test_feature_distillation_matches_keras(keras, rng):
    a, b = _logits(rng), _logits(rng)
    for loss in ("mse", ["mae", None]):
        inputs = ([a, a], [b, b]) if isinstance(loss, list) else (a, b)
        ours = kerasish.distillation.FeatureDistillation(loss=loss).compute_loss(
            *[[torch.tensor(x) for x in v] if isinstance(v, list) else torch.tensor(v) for v in inputs])
        theirs = keras.distillation.FeatureDistillation(loss=loss).compute_loss(*inputs)
        assert_close(ours.numpy(), keras.ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-6)


def _pair(lib, width):
    inp = lib.Input((5,))
    hidden = lib.layers.Dense(width, activation="relu", name="hidden")(inp)
    return lib.Model(inp, lib.layers.Dense(3, name="logits")(hidden))


@pytest.mark.parametrize("feature", [False, True], ids=["logits", "logits+features"])
def test_distiller_fit_matches_keras(keras, feature):
    rng = np.random.default_rng(4)
    x = rng.normal(size=(32, 5)).astype("float32")
    y = rng.integers(0, 3, size=(32,))
    base_t, base_s = _pair(kerasish, 8), _pair(kerasish, 8)
    results = []
    for lib in (kerasish, keras):
        teacher, student = _pair(lib, 8), _pair(lib, 8)
        teacher.set_weights(base_t.get_weights())
        student.set_weights(base_s.get_weights())
        losses = [lib.distillation.LogitsDistillation(temperature=2.0)]
        if feature:
            losses.append(lib.distillation.FeatureDistillation(teacher_layer_name="hidden",
                                                               student_layer_name="hidden"))
        distiller = lib.distillation.Distiller(teacher, student, losses, student_loss_weight=0.3,
                                               distillation_loss_weights=[1.0, 0.5] if feature else None)
        distiller.compile(optimizer=lib.optimizers.SGD(0.05),
                          loss=lib.losses.SparseCategoricalCrossentropy(from_logits=True))
        history = distiller.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0).history
        results.append((history, student.get_weights(), teacher.get_weights()))
    (ours, our_w, our_t), (theirs, their_w, their_t) = results
    for key in ("loss", "student_loss", "distillation_loss", "total_loss"):
        assert_close(ours[key], theirs[key], rtol=1e-5, atol=1e-6)
    for a, b in zip(our_w, their_w):
        assert_close(a, b, rtol=1e-5, atol=1e-6)
    for a, b in zip(our_t, base_t.get_weights()):  # the teacher stays frozen
        np.testing.assert_array_equal(a, b)


def test_configs_and_bad_input(keras):
    loss = kerasish.distillation.LogitsDistillation(temperature=2.0)
    again = kerasish.distillation.LogitsDistillation.from_config(loss.get_config())
    assert again.temperature == 2.0
    with pytest.raises(ValueError, match="Received: temperature=0"):
        kerasish.distillation.LogitsDistillation(temperature=0)
    with pytest.raises(ValueError, match="Received: loss=\\[None\\]"):
        kerasish.distillation.FeatureDistillation(loss=[None])
    teacher, student = _pair(kerasish, 8), _pair(kerasish, 4)
    with pytest.raises(ValueError, match="Received: student_loss_weight=1.5"):
        kerasish.distillation.Distiller(teacher, student, loss, student_loss_weight=1.5)
    with pytest.raises(ValueError, match="In teacher model"):
        kerasish.distillation.Distiller(teacher, student, kerasish.distillation.FeatureDistillation(
            teacher_layer_name="nope"))
    other = kerasish.Sequential([kerasish.Input((5,)), kerasish.layers.Dense(2)])
    with pytest.raises(ValueError, match="shapes are incompatible"):
        kerasish.distillation.Distiller(teacher, other, loss)
    distiller = kerasish.distillation.Distiller(teacher, student, loss)
    with pytest.raises(ValueError, match="Received: loss=None"):
        distiller.compile(optimizer="sgd")
