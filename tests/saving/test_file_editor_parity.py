"""`saving.KerasFileEditor` reads the weights trees Keras's editor reads, compares as it does, and
its edited files load in Keras 3 and kerasish."""

import numpy as np
import pytest

import kerasish
from tests.conftest import assert_close


def _model(lib, names=("a", "b")):
    return lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, name=names[0]),
                           lib.layers.Dense(2, name=names[1])])


def _flat(d, prefix=""):
    out = {}
    for k, v in d.items():
        out.update(_flat(v, f"{prefix}/{k}") if isinstance(v, dict) else {f"{prefix}/{k}": np.asarray(v)})
    return out


@pytest.mark.parametrize("suffix", [".keras", ".weights.h5"])
def test_editor_reads_what_keras_reads(keras, tmp_path, suffix):
    model = _model(keras)
    path = tmp_path / f"m{suffix}"
    model.save(path) if suffix == ".keras" else model.save_weights(path)
    ours = _flat(kerasish.saving.KerasFileEditor(str(path)).weights_dict)
    theirs = _flat(keras.saving.KerasFileEditor(str(path)).weights_dict)
    assert ours.keys() == theirs.keys()
    for key in ours:
        np.testing.assert_array_equal(ours[key], theirs[key])


def _wider(lib):
    return lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, name="a"), lib.layers.Dense(5, name="b"),
                           lib.layers.Dense(1, name="c")])


def test_compare_and_fix_a_file(keras, tmp_path, rng):
    old = _model(kerasish)
    path = tmp_path / "old.weights.h5"
    old.save_weights(path)
    ours = kerasish.saving.KerasFileEditor(str(path))
    theirs = keras.saving.KerasFileEditor(str(path))
    assert ours.compare(_model(kerasish)) == theirs.compare(_model(keras))
    report = ours.compare(_wider(kerasish))
    assert report == theirs.compare(_wider(keras)) and report["status"] == "error"
    # Fix it: the second dense takes new (5,) weights, the third is added.
    layers = ours.weights_dict["layers"]
    ours.add_weights("dense_1", {"0": rng.normal(size=(3, 5)).astype("float32"), "1": np.zeros(5, "float32")})
    ours.add_object("layers/dense_2", {"0": np.ones((5, 1), "float32"), "1": np.zeros(1, "float32")})
    assert ours.compare(_wider(kerasish))["status"] == "success" and "dense_2" in layers
    fixed = tmp_path / "fixed.weights.h5"
    ours.save(fixed)
    theirs_model, our_model = _wider(keras), _wider(kerasish)
    theirs_model.load_weights(fixed)  # Keras reads the edited file
    our_model.load_weights(fixed)
    for a, b in zip(our_model.get_weights(), theirs_model.get_weights()):
        assert_close(a, b)
    assert_close(our_model.get_weights()[0], old.get_weights()[0])
    np.testing.assert_array_equal(our_model.get_weights()[4], np.ones((5, 1)))


def test_weight_edits_and_errors(tmp_path):
    model = _model(kerasish)
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    editor = kerasish.saving.KerasFileEditor(str(path))
    editor.delete_weight("dense_1", "1")
    assert list(editor.weights_dict["layers"]["dense_1"]) == ["0"]
    editor.add_weights("dense_1", {"1": np.ones(2, "float32")})
    editor.add_object("layers/extra", {"0": np.zeros(3, "float32")})
    assert "extra" in editor.weights_dict["layers"]
    editor.delete_object("layers/extra")
    editor.rename_object("dense_1", "renamed")
    assert "renamed" in editor.weights_dict["layers"]
    editor.rename_object("layers/renamed", "dense_1")
    with pytest.raises(ValueError, match="Received: object_name='nope'"):
        editor.delete_object("nope")
    with pytest.raises(ValueError, match="leaf name.*Received: target_name='x/y'"):
        editor.rename_object("dense_1", "x/y")
    with pytest.raises(ValueError, match="Received: weight_name='7'"):
        editor.delete_weight("dense_1", "7")
    with pytest.raises(ValueError, match="Received: type\\(weights\\)="):
        editor.add_weights("dense_1", [1])
    with pytest.raises(ValueError, match="Received: filepath="):
        editor.save(tmp_path / "x.h5")
    with pytest.raises(ValueError, match="Received: filepath="):
        kerasish.saving.KerasFileEditor(str(tmp_path / "x.txt"))
