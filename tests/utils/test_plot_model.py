"""`plot_model` / `model_to_dot` honour their options for every model kind (pydot only; `.dot` files
need no graphviz)."""

import pytest

import kerasish
from kerasish import layers
from kerasish.utils import model_to_dot, plot_model

import pydot  # noqa: E402,F401  (in the test extra: a missing pydot fails here, never skips)


def _sequential():
    return kerasish.Sequential([kerasish.Input((4,)), layers.Dense(3, activation="relu", name="d1"),
                                layers.Dense(2, name="d2")], name="seq")


def _functional():
    x = kerasish.Input((4,), name="x")
    return kerasish.Model(x, layers.Dense(2, activation="tanh", name="f1")(x), name="func")


def _nested():
    inner = _sequential()
    x = kerasish.Input((4,), name="x")
    return kerasish.Model(x, layers.Dense(1, name="head")(inner(x)), name="outer")


@pytest.mark.parametrize("make", [_sequential, _functional, _nested])
def test_options_shown_for_every_model_kind(make):
    model = make()
    plain = model_to_dot(model).to_string()
    text = model_to_dot(model, show_shapes=True, show_dtype=True, show_layer_activations=True,
                        show_trainable=True, rankdir="LR", dpi=72).to_string()
    assert "output: (None, " not in plain and "float32" not in plain
    assert "output: (None, " in text and "input: (None, 4)" in text
    assert "dtype: float32" in text and "trainable: True" in text
    assert "rankdir=LR" in text and "dpi=72" in text
    if make is not _nested:
        assert "activation: " in text


def test_sequential_shapes_and_names():
    text = model_to_dot(_sequential(), show_shapes=True, show_layer_names=False).to_string()
    assert "output: (None, 3)" in text and "output: (None, 2)" in text
    assert "d1" not in text and "Dense" in text


def test_expand_nested_draws_the_inner_layers():
    model = _nested()
    assert "d1" not in model_to_dot(model).to_string()
    text = model_to_dot(model, expand_nested=True).to_string()
    assert "cluster" in text and "d1 (Dense)" in text and "d2 (Dense)" in text


def test_plot_model_writes_dot_and_rejects_bad_rankdir(tmp_path):
    plot_model(_sequential(), to_file=str(tmp_path / "m.dot"), show_shapes=True)
    assert "output: (None, 2)" in (tmp_path / "m.dot").read_text()
    with pytest.raises(ValueError, match="Received: rankdir='XY'"):
        model_to_dot(_sequential(), rankdir="XY")
