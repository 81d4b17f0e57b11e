"""`utils.Config`, `utils.legacy` / `legacy.saving`, `saving.save_weights` / `load_weights`:
Keras 3.15's behaviour, and files that cross both ways."""

import numpy as np
import pytest

import kerasish
from tests.conftest import assert_close


def test_config_behaves_like_keras(keras):
    ours, theirs = kerasish.utils.Config(lr=0.1, epochs=3), keras.utils.Config(lr=0.1, epochs=3)
    for cfg in (ours, theirs):
        cfg.momentum = 0.9
        cfg["batch"] = 8
        cfg.freeze()
    assert ours.as_dict() == theirs.as_dict() and list(ours) == list(theirs)
    assert ours.to_json() == theirs.to_json() and ours.frozen and "lr" in ours
    with pytest.raises(ValueError, match="frozen"):
        ours.lr = 0.2
    with pytest.raises(AttributeError, match="Did you mean 'epochs'"):
        ours.epoch
    ours.unfreeze()
    ours.pop("batch")
    assert len(ours) == 3


def test_legacy_serialization_matches_keras(keras):
    ours = kerasish.utils.legacy.serialize_keras_object(kerasish.layers.Dense(2, name="d"))
    theirs = keras.utils.legacy.serialize_keras_object(keras.layers.Dense(2, name="d"))
    assert ours["class_name"] == theirs["class_name"] and ours["config"]["units"] == theirs["config"]["units"]
    assert kerasish.legacy.saving.serialize_keras_object(kerasish.activations.relu) == \
        keras.legacy.saving.serialize_keras_object(keras.activations.relu) == "relu"
    layer = kerasish.utils.legacy.deserialize_keras_object(theirs, module_objects={"Dense": kerasish.layers.Dense})
    assert isinstance(layer, kerasish.layers.Dense) and layer.units == 2
    assert isinstance(kerasish.legacy.saving.deserialize_keras_object(theirs), kerasish.layers.Dense)
    with pytest.raises(ValueError, match="Received: class_name='Nope'"):
        kerasish.utils.legacy.deserialize_keras_object({"class_name": "Nope", "config": {}}, module_objects={})


def _models(keras):
    ours = kerasish.Sequential([kerasish.Input((4,)), kerasish.layers.Dense(3, name="a"),
                                kerasish.layers.Dense(2, name="b")])
    theirs = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="a"), keras.layers.Dense(2, name="b")])
    return ours, theirs


def test_save_and_load_weights_functions_cross_with_keras(keras, tmp_path):
    ours, theirs = _models(keras)
    path = tmp_path / "m.weights.h5"
    kerasish.saving.save_weights(ours, path)
    keras.saving.load_weights(theirs, path)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        assert_close(a, b)
    theirs.layers[0].kernel.assign(np.ones((4, 3), "float32"))
    keras.saving.save_weights(theirs, path)
    kerasish.saving.load_weights(ours, path)
    np.testing.assert_array_equal(ours.layers[0].get_weights()[0], np.ones((4, 3)))


def test_save_and_load_weights_refusals(keras, tmp_path):
    ours, _ = _models(keras)
    with pytest.raises(ValueError, match="Received: max_shard_size=1"):
        kerasish.saving.save_weights(ours, tmp_path / "m.weights.json", max_shard_size=1)
    with pytest.raises(ValueError, match="must end in `.weights.h5`. Received: filepath="):
        kerasish.saving.save_weights(ours, tmp_path / "m.txt")
    kerasish.saving.save_weights(ours, tmp_path / "m.weights.h5")
    with pytest.raises(ValueError, match="Received: objects_to_skip="):
        kerasish.saving.load_weights(ours, tmp_path / "m.weights.h5", objects_to_skip=[ours.layers[0]])
    with pytest.raises(ValueError, match="by_name.*Received: filepath="):
        kerasish.saving.load_weights(ours, tmp_path / "m.weights.h5", by_name=True)
