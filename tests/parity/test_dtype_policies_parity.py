"""`kerasish.dtype_policies` against Keras 3's module: names, dtypes, maps and configs."""

import json

import pytest

import kerasish
from kerasish.dtype_policies import DTypePolicyMap


@pytest.mark.parametrize("name", ["float32", "float16", "bfloat16", "mixed_float16", "mixed_bfloat16"])
def test_policies_match_keras(keras, name):
    ours, theirs = kerasish.dtype_policies.get(name), keras.dtype_policies.get(name)
    assert (ours.name, ours.variable_dtype, ours.compute_dtype) == (
        theirs.name, theirs.variable_dtype, theirs.compute_dtype)
    assert kerasish.dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)
    assert kerasish.dtype_policies.deserialize(keras.dtype_policies.serialize(theirs)) == ours
    assert isinstance(kerasish.dtype_policies.FloatDTypePolicy(name), kerasish.mixed_precision.DTypePolicy)


def test_policy_map_matches_keras(keras):
    ours = DTypePolicyMap("bfloat16", {"dense.*": "float16", "conv": "mixed_float16"})
    theirs = keras.dtype_policies.DTypePolicyMap("bfloat16")
    theirs["dense.*"], theirs["conv"] = "float16", "mixed_float16"
    for path in ("dense_1", "conv", "other", "densex"):
        assert ours[path].name == theirs[path].name
    assert ours.name == theirs.name and ours.compute_dtype == theirs.compute_dtype
    config = kerasish.dtype_policies.serialize(ours)
    assert config == keras.dtype_policies.serialize(theirs)
    back = kerasish.dtype_policies.deserialize(json.loads(json.dumps(config)))
    assert back == ours
    assert keras.dtype_policies.deserialize(config)["dense_2"].name == "float16"


def test_bad_input_gets_clear_errors():
    with pytest.raises(ValueError, match="keras.quantizers.*Received: identifier='int8_from_float32'"):
        kerasish.dtype_policies.get("int8_from_float32")
    with pytest.raises(ValueError, match="Received: class_name='QuantizedDTypePolicy'"):
        kerasish.dtype_policies.deserialize({"class_name": "QuantizedDTypePolicy", "config": {}})
    with pytest.raises(ValueError, match="Received: dtype=3"):
        kerasish.dtype_policies.get(3)
    policies = DTypePolicyMap("float32", {"a.*": "float16", ".*b": "bfloat16"})
    with pytest.raises(ValueError, match="Received: key='ab'"):
        policies["ab"]
    with pytest.raises(ValueError, match="DTypePolicyMap.*Received: dtype="):
        kerasish.layers.Dense(2, dtype=policies)
    with pytest.raises(TypeError, match="Received: policy_map="):
        DTypePolicyMap("float32", [("a", "float16")])


def test_policy_from_the_module_drives_a_layer():
    layer = kerasish.layers.Dense(2, dtype=kerasish.dtype_policies.get("mixed_bfloat16"))
    out = layer(kerasish.ops.ones((1, 3)))
    assert str(out.dtype) == "torch.bfloat16" and layer.kernel.dtype.is_floating_point
    assert str(layer.kernel.dtype) == "torch.float32"
