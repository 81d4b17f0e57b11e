"""kerasish's text, lookup and hashing layers against Keras 3.15 on TensorFlow: the goldens of
tools/make_preprocessing_goldens.py (outputs, dtypes, vocabularies, IDF weights, hash values)."""

import json
import os

import numpy as np
import pytest
import torch

import kerasish
from kerasish.layers.preprocessing import hash_functions
from tests.layers.preprocessing.golden_cases import CALLABLES, CASES

GOLDENS = os.path.join(os.path.dirname(__file__), "..", "..", "goldens", "preprocessing")


def _load(name):
    with open(os.path.join(GOLDENS, name), encoding="utf-8") as f:
        return json.load(f)


LAYERS = _load("layers.json")["cases"]
HASHES = _load("hashes.json")


def _array(value):
    if isinstance(value, dict):
        return np.array(value["value"], dtype=value["dtype"])
    return np.array(value)


def _build(case, tmp_path):
    kwargs = dict(case["kwargs"])
    if isinstance(kwargs.get("ngrams"), list):
        kwargs["ngrams"] = tuple(kwargs["ngrams"])
    for key in ("standardize", "split"):
        if isinstance(kwargs.get(key), str) and kwargs[key].startswith("callable:"):
            kwargs[key] = CALLABLES[kwargs[key].split(":", 1)[1]]
    if "vocabulary_file" in case:
        path = tmp_path / "vocab.txt"
        path.write_text("\n".join(str(t) for t in case["vocabulary_file"]) + "\n", "utf-8")
        kwargs["vocabulary"] = str(path)
    layer = getattr(kerasish.layers, case["layer"])(**kwargs)
    if "adapt" in case:
        data = case["adapt"]
        layer.adapt(iter([_array(b) for b in data]) if case.get("adapt_batches") else _array(data))
    return layer


def _call(layer, case, inputs):
    if case["layer"] == "HashedCrossing":
        return layer(tuple(_array(v) for v in inputs))
    return layer(_array(inputs))


def _check(actual, expected, what):
    if expected["dtype"] in ("string", "list"):
        assert np.asarray(actual, dtype=object).tolist() == expected["value"], what
        return
    assert isinstance(actual, torch.Tensor), what
    assert str(actual.dtype).replace("torch.", "") == expected["dtype"], what
    np.testing.assert_allclose(actual.numpy(), np.array(expected["value"]), rtol=1e-6,
                               atol=1e-6, err_msg=what)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_layer_matches_keras_goldens(case, tmp_path):
    golden = LAYERS[case["id"]]
    layer = _build(case, tmp_path)
    for i, (inputs, expected) in enumerate(zip(case["calls"], golden["outputs"])):
        _check(_call(layer, case, inputs), expected, f"{case['id']} call {i}")
    if "vocabulary" in golden:
        assert layer.get_vocabulary() == golden["vocabulary"]
        assert layer.vocabulary_size() == golden["vocabulary_size"]
    if "idf_weights" in golden:
        lookup = getattr(layer, "_lookup_layer", layer)
        np.testing.assert_allclose(lookup.idf_weights, golden["idf_weights"], rtol=1e-6)


def test_fingerprint64_matches_tensorflow():
    got = [hash_functions.fingerprint64(s) % 2 ** 62 for s in HASHES["strings"]]
    assert got == HASHES["fast"]


@pytest.mark.parametrize("key", sorted(HASHES["strong"]))
def test_siphash_matches_tensorflow(key):
    salt = [int(k) for k in key.split(",")]
    got = [hash_functions.siphash64(salt, s) % 2 ** 62 for s in HASHES["strings"]]
    assert got == HASHES["strong"][key]


def test_cross_hash_matches_tensorflow():
    ints = np.array(HASHES["ints"], dtype=np.int64)
    strs = np.array(HASHES["strings"][:len(ints)], dtype=object)
    columns = {"int_str": [ints, strs], "str_int": [strs, ints], "str_str": [strs, strs[::-1]],
               "int_int_str": [ints, ints[::-1], strs]}
    layer = kerasish.layers.HashedCrossing(num_bins=2 ** 62)
    for name, cols in columns.items():
        got = layer(tuple(c.reshape(-1, 1) for c in cols)).numpy().reshape(-1).tolist()
        assert got == HASHES["cross"][name], name
