"""`FeatureSpace.save` / `load_model`: kerasish's round trip, Keras's files both ways (goldens made
by tools/make_preprocessing_goldens.py: Keras's FeatureSpace adapts and runs only on TensorFlow),
and real Keras 3 on torch loading kerasish's file (it loads without TensorFlow; calling it needs
tf.data, so the live check compares the loaded state)."""

import io
import json
import os
import zipfile

import h5py
import numpy as np
import pytest

import kerasish
from kerasish.utils import FeatureSpace
from tests.layers.preprocessing.golden_cases import FS_DATA, FS_PROBE, FS_SAVED_FEATURES, \
    kerasish_feature_space

GOLDENS = os.path.join(os.path.dirname(__file__), "..", "..", "goldens", "preprocessing")
with open(os.path.join(GOLDENS, "feature_space_saved.json"), encoding="utf-8") as _f:
    EXPECTED = json.load(_f)


def _probe(keys):
    return {k: np.array(v, dtype="int32" if isinstance(v[0], int) else None)
            for k, v in FS_PROBE.items() if k in keys}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("fs") / "space.keras")
    return kerasish_feature_space(path), path


def _layout(path):
    """Members, config keys/classes and the h5 tree of a `.keras` file."""
    with zipfile.ZipFile(path) as z:
        config = json.loads(z.read("config.json"))
        tree = []
        with h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as f:
            f.visititems(lambda name, obj: tree.append((name, getattr(obj, "shape", None))))
        members = sorted(z.namelist())
    features = {k: (v["class_name"], v["registered_name"], v["config"]["preprocessor"]["class_name"])
                for k, v in config["config"]["features"].items()}
    return {"members": members, "top": (config["module"], config["class_name"]),
            "keys": sorted(config), "config_keys": sorted(config["config"]),
            "features": features, "build_config": sorted(config["build_config"]), "tree": tree}


def test_round_trip_gives_the_same_outputs_as_keras(saved):
    space, path = saved
    reloaded = kerasish.saving.load_model(path)
    assert isinstance(reloaded, FeatureSpace)
    probe = _probe(FS_SAVED_FEATURES)
    np.testing.assert_array_equal(reloaded(probe).numpy(), space(probe).numpy())
    np.testing.assert_allclose(reloaded(probe).numpy(), EXPECTED["keras"], rtol=1e-6, atol=1e-6)
    # the reloaded space still builds a model on raw inputs
    model = kerasish.Model(reloaded.get_inputs(), reloaded.get_encoded_features())
    np.testing.assert_allclose(model.predict(probe, verbose=0), EXPECTED["keras"], atol=1e-6)


def test_file_has_keras_layout(saved):
    ours = _layout(saved[1])
    keras_file = _layout(os.path.join(GOLDENS, "keras_feature_space.keras"))
    assert ours == keras_file
    assert ours["top"] == ("keras.utils", "FeatureSpace")
    assert ("preprocessors/normalization/vars/0", (1,)) in ours["tree"]
    assert "assets/preprocessors/string_lookup/vocabulary.txt" in ours["members"]


def test_keras_file_loads_with_keras_numbers():
    space = kerasish.saving.load_model(os.path.join(GOLDENS, "keras_feature_space.keras"))
    out = space(_probe(FS_SAVED_FEATURES)).numpy()
    np.testing.assert_allclose(out, EXPECTED["keras"], rtol=1e-6, atol=1e-6)
    # and Keras (on TensorFlow) gave these numbers for kerasish's file
    np.testing.assert_allclose(EXPECTED["kerasish_file_in_keras"], EXPECTED["keras"], atol=1e-6)


def test_real_keras_loads_kerasish_file(keras, tmp_path):
    space = FeatureSpace({"age": "float_normalized", "income": "float",
                          "code": FeatureSpace.float_discretized(num_bins=3)})
    space.adapt({k: np.array(FS_DATA[k], dtype="float32") for k in ("age", "income", "code")})
    path = str(tmp_path / "numeric.keras")
    space.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded).__name__ == "FeatureSpace"
    assert sorted(loaded.features) == ["age", "code", "income"]
    mine = space.preprocessors
    np.testing.assert_allclose(np.asarray(loaded.preprocessors["age"].mean).ravel(),
                               mine["age"].mean.numpy().ravel(), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(loaded.preprocessors["age"].variance).ravel(),
                               mine["age"].variance.numpy().ravel(), rtol=1e-6)
    np.testing.assert_allclose(loaded.preprocessors["code"].bin_boundaries,
                               mine["code"].bin_boundaries, rtol=1e-6)
    assert type(loaded.preprocessors["income"]).__name__ == "TFDIdentity"


def test_save_errors(tmp_path):
    space = FeatureSpace({"age": "float_normalized"})
    with pytest.raises(ValueError, match="adapt"):
        space.save(str(tmp_path / "a.keras"))
    space.adapt({"age": np.array([1.0, 2.0])})
    with pytest.raises(ValueError, match=r"end in `\.keras`.*Received: filepath="):
        space.save(str(tmp_path / "a.h5"))
