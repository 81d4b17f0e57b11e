"""Adapted state (vocabularies, IDF weights, means/variances, bin boundaries) in `.keras` files,
laid out as Keras saves it, loading both ways: live with Keras 3 on torch for the numeric layers,
through files written and read by Keras 3.15 on TensorFlow for the string layers
(tools/make_preprocessing_goldens.py)."""

import json
import os
import zipfile

import numpy as np
import pytest

import kerasish
from tests.layers.preprocessing.golden_cases import (
    MODEL_INTS, MODEL_TEXTS, kerasish_int_model, kerasish_text_model)

GOLDENS = os.path.join(os.path.dirname(__file__), "..", "..", "goldens", "preprocessing")


def _golden(name):
    return os.path.join(GOLDENS, name)


def _json(name):
    with open(_golden(name), encoding="utf-8") as f:
        return json.load(f)


def test_loads_keras_text_model():
    expected = _json("keras_text_model.json")
    model = kerasish.saving.load_model(_golden("keras_text_model.keras"))
    assert model.layers[1].get_vocabulary() == expected["vocabulary"]
    got = model.predict(np.array(expected["texts"]), verbose=0)
    np.testing.assert_allclose(got, expected["predictions"], rtol=1e-5, atol=1e-6)


def test_loads_keras_lookup_models():
    expected = _json("keras_lookup_model.json")
    model = kerasish.saving.load_model(_golden("keras_lookup_model.keras"))
    assert model.layers[-1].get_vocabulary() == expected["vocabulary"]
    np.testing.assert_allclose(model.predict(np.array(expected["pairs"]), verbose=0),
                               expected["predictions"], rtol=1e-6)
    model = kerasish.saving.load_model(_golden("keras_int_model.keras"))
    lookup = model.layers[1]
    assert lookup.get_vocabulary() == expected["int_vocabulary"]
    np.testing.assert_allclose(lookup.idf_weights, expected["int_idf"], rtol=1e-6)
    np.testing.assert_allclose(model.predict(np.array(expected["int_inputs"]), verbose=0),
                               expected["int_predictions"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,build,inputs", [
    ("kerasish_text_model", kerasish_text_model, np.array(MODEL_TEXTS)),
    ("kerasish_int_model", kerasish_int_model, np.array(MODEL_INTS)),
])
def test_keras_loads_kerasish_files(tmp_path, name, build, inputs):
    # Keras (on TensorFlow) loaded the committed kerasish file and recorded its predictions.
    keras_view = _json(f"{name}.json")
    committed = kerasish.saving.load_model(_golden(f"{name}.keras"))
    np.testing.assert_allclose(committed.predict(inputs, verbose=0), keras_view["predictions"],
                               rtol=1e-5, atol=1e-6)
    assert committed.layers[1].get_vocabulary() == keras_view["vocabulary"]
    # A file kerasish writes now has the committed file's layout and state.
    fresh = str(tmp_path / "fresh.keras")
    model = build(fresh)
    np.testing.assert_allclose(model.predict(inputs, verbose=0), keras_view["predictions"],
                               rtol=1e-5, atol=1e-6)
    with zipfile.ZipFile(fresh) as new, zipfile.ZipFile(_golden(f"{name}.keras")) as old:
        assert sorted(new.namelist()) == sorted(old.namelist())
        for member in new.namelist():
            if member.startswith("assets/"):
                assert new.read(member) == old.read(member), member
        assert json.loads(new.read("config.json")) == json.loads(old.read("config.json"))


def test_string_layers_saved_as_keras_lays_them_out(tmp_path):
    with zipfile.ZipFile(_golden("keras_text_model.keras")) as z:
        keras_assets = sorted(n for n in z.namelist() if n.startswith("assets/"))
        keras_vocab = z.read("assets/layers/text_vectorization/vocabulary.txt")
    with zipfile.ZipFile(_golden("kerasish_text_model.keras")) as z:
        assert sorted(n for n in z.namelist() if n.startswith("assets/")) == keras_assets
        assert z.read("assets/layers/text_vectorization/vocabulary.txt") == keras_vocab


def _numeric_model(lib, x, kind):
    inp = lib.Input(shape=(3,))
    if kind == "normalization":
        layer = lib.layers.Normalization()
        layer.adapt(x)
        out = lib.layers.Dense(2)(layer(inp))
    else:
        layer = lib.layers.Discretization(num_bins=4, output_mode="count")
        # Keras's `adapt` needs TensorFlow; its summary steps do not.
        layer.update_state(x)
        layer.finalize_state()
        out = lib.layers.Dense(2)(lib.layers.CategoryEncoding(4, "multi_hot")(
            lib.layers.Discretization(bin_boundaries=[0.0, 1.0])(inp)) + layer(inp))
    return lib.Model(inp, out)


@pytest.mark.parametrize("kind", ["normalization", "discretization"])
def test_numeric_state_loads_both_ways_with_keras(keras, tmp_path, rng, kind):
    x = rng.normal(1.0, 2.0, size=(40, 3)).astype("float32")
    probe = rng.normal(size=(5, 3)).astype("float32")
    ours = _numeric_model(kerasish, x, kind)
    ref = _numeric_model(keras, x, kind)
    ours.save(tmp_path / "ours.keras")
    ref.save(tmp_path / "ref.keras")
    from_ours = keras.saving.load_model(tmp_path / "ours.keras")
    from_ref = kerasish.saving.load_model(tmp_path / "ref.keras")
    np.testing.assert_allclose(from_ours.predict(probe, verbose=0), ours.predict(probe, verbose=0),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(from_ref.predict(probe, verbose=0),
                               ref.predict(probe, verbose=0), rtol=1e-5, atol=1e-6)


def test_pipeline_files_both_ways(tmp_path):
    expected = _json("keras_pipeline_model.json")
    probe = np.array(expected["inputs"])
    model = kerasish.saving.load_model(_golden("keras_pipeline_model.keras"))
    np.testing.assert_allclose(model.predict(probe, verbose=0), expected["predictions"])
    # kerasish writes the pipeline's layers where Keras does (`<pipeline>/layers/<layer>/`).
    model.save(tmp_path / "again.keras")
    with zipfile.ZipFile(tmp_path / "again.keras") as new, \
            zipfile.ZipFile(_golden("keras_pipeline_model.keras")) as old:
        assert sorted(new.namelist()) == sorted(old.namelist())
        name = next(n for n in old.namelist() if n.startswith("assets/"))
        assert new.read(name) == old.read(name)
    reloaded = kerasish.saving.load_model(tmp_path / "again.keras")
    np.testing.assert_allclose(reloaded.predict(probe, verbose=0), expected["predictions"])
