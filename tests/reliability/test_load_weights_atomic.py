"""`load_weights` checks everything first, then assigns: a mismatch leaves the model unchanged."""

import h5py
import numpy as np
import pytest

import kerasish
from kerasish import layers


def _model(second=2, compile=False):
    model = kerasish.Sequential([kerasish.Input((3,)), layers.Dense(4, name="first"),
                                 layers.Dense(second, name="second")])
    if compile:
        model.compile(optimizer="adam", loss="mse")
    return model


def _trained(path, suffix):
    source = _model(compile=True)
    source.fit(np.ones((8, 3), "float32"), np.ones((8, 2), "float32"), epochs=1, verbose=0)
    if suffix == "keras":
        source.save(path)
    else:
        source.save_weights(path)
    return source


def _snapshot(model):
    return [np.array(w, copy=True) for w in model.get_weights()]


def _assert_unchanged(model, before):
    after = model.get_weights()
    assert len(after) == len(before)
    for a, b in zip(after, before):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("suffix,kwargs", [
    ("weights.h5", {}), ("h5", {}), ("h5", {"by_name": True}), ("keras", {})])
def test_second_layer_mismatch_leaves_model_unchanged(tmp_path, suffix, kwargs):
    path = tmp_path / f"w.{suffix}"
    _trained(path, suffix)
    target = _model(second=3)  # the first layer fits, the second does not
    before = _snapshot(target)
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(4, 2\)|\(4, 2\).*\(4, 3\)"):
        target.load_weights(path, **kwargs)
    _assert_unchanged(target, before)


@pytest.mark.parametrize("suffix", ["weights.h5", "h5", "keras"])
def test_skip_mismatch_loads_the_layers_that_fit(tmp_path, suffix):
    path = tmp_path / f"w.{suffix}"
    source = _trained(path, suffix)
    target = _model(second=3)
    before = _snapshot(target)
    with pytest.warns(UserWarning, match="Skipping"):
        target.load_weights(path, skip_mismatch=True)
    after = target.get_weights()
    for a, b in zip(after[:2], source.get_weights()[:2]):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(after[2:], before[2:]):
        np.testing.assert_array_equal(a, b)


def test_bad_optimizer_state_leaves_model_and_optimizer_unchanged(tmp_path):
    path = tmp_path / "w.weights.h5"
    _trained(path, "weights.h5")
    with h5py.File(path, "r+") as f:
        group = f["optimizer/vars"]
        slot = group["2"][...]
        del group["2"]
        group.create_dataset("2", data=np.zeros(slot.shape[::-1] + (1,), slot.dtype))
    target = _model(compile=True)
    target.fit(np.zeros((8, 3), "float32"), np.zeros((8, 2), "float32"), epochs=1, verbose=0)
    before = _snapshot(target)
    state = [np.array(v) for v in target.optimizer._state_values()]
    with pytest.raises(ValueError, match="optimizer"):
        target.load_weights(path)
    _assert_unchanged(target, before)
    for a, b in zip(target.optimizer._state_values(), state):
        np.testing.assert_array_equal(np.asarray(a), b)
