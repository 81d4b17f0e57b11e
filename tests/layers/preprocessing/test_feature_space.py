"""kerasish.utils.FeatureSpace against Keras 3.15's (goldens: Keras's FeatureSpace needs tf.data),
and as a model's input pipeline."""

import json
import os

import numpy as np
import pytest

import kerasish
from kerasish.utils import FeatureSpace
from tests.layers.preprocessing.golden_cases import FEATURE_SPACE_CASES, FS_DATA, FS_PROBE

GOLDENS = os.path.join(os.path.dirname(__file__), "..", "..", "goldens", "preprocessing")
with open(os.path.join(GOLDENS, "feature_space.json"), encoding="utf-8") as _f:
    EXPECTED = json.load(_f)


def _arrays(data, keys):
    return {k: np.array(v, dtype="int32" if isinstance(v[0], int) else None)
            for k, v in data.items() if k in keys}


def _space(features, kwargs):
    specs = {k: getattr(FeatureSpace, v[0])(**v[1]) if isinstance(v, list) else v
             for k, v in features.items()}
    kwargs = dict(kwargs)
    if "crosses" in kwargs:
        kwargs["crosses"] = [tuple(c) for c in kwargs["crosses"]]
    return FeatureSpace(specs, **kwargs)


def _same(got, expected):
    if isinstance(expected, dict):
        assert sorted(got) == sorted(expected)
        for k in expected:
            np.testing.assert_allclose(got[k].numpy(), expected[k], rtol=1e-5, atol=1e-6,
                                       err_msg=k)
    else:
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("case_id,features,kwargs", FEATURE_SPACE_CASES,
                         ids=[c[0] for c in FEATURE_SPACE_CASES])
def test_feature_space_matches_keras(case_id, features, kwargs):
    space = _space(features, kwargs)
    data = kerasish.utils.Dataset.from_tensor_slices(_arrays(FS_DATA, FS_DATA))
    space.adapt(data)  # unbatched samples, as Keras's example passes them
    probe = _arrays(FS_PROBE, features)
    _same(space(probe), EXPECTED[case_id]["batch"])
    _same(space({k: v[:1] for k, v in probe.items()}), EXPECTED[case_id]["one"])
    single = space({k: v[0] for k, v in probe.items()})  # one sample: no batch axis
    if isinstance(single, dict):
        assert all(t.ndim == 1 for t in single.values())
    else:
        assert single.ndim == 1


def test_feature_space_model_on_raw_dicts(tmp_path):
    space = FeatureSpace({"age": "float_normalized", "city": "string_categorical",
                          "zone": "integer_categorical"}, crosses=[("city", "zone")],
                         crossing_dim=8)
    space.adapt(_arrays(FS_DATA, FS_DATA))
    encoded = space.get_encoded_features()
    model = kerasish.Model(space.get_inputs(), kerasish.layers.Dense(1)(encoded))
    probe = _arrays(FS_PROBE, ("age", "city", "zone"))
    direct = model.layers[-1](space(probe)).detach().numpy()
    np.testing.assert_allclose(model.predict(probe, verbose=0), direct, rtol=1e-5, atol=1e-6)
    model.compile("adam", "mse")
    y = np.arange(len(FS_DATA["age"]), dtype="float32")
    model.fit(_arrays(FS_DATA, ("age", "city", "zone")), y, epochs=1, verbose=0)


def test_feature_space_errors():
    with pytest.raises(ValueError, match="Invalid feature type"):
        FeatureSpace({"a": "float_weird"})
    with pytest.raises(ValueError, match="output_mode"):
        FeatureSpace({"a": "float"}, output_mode="list")
    with pytest.raises(ValueError, match="unknown features"):
        FeatureSpace({"a": "float"}, crosses=[("a", "b")])
    space = FeatureSpace({"a": "string_categorical"})
    with pytest.raises(ValueError, match="adapt"):
        space({"a": np.array(["x"])})
    with pytest.raises(ValueError, match="empty"):
        space.adapt(iter([]))
