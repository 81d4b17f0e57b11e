"""`get_config`/`from_config` round trips for every registered built-in object."""

import inspect

import pytest

import kerasish
from kerasish import constraints, initializers, layers, losses, metrics, optimizers, regularizers
from kerasish.saving import serialization

# Constructor arguments for layers that need some; the others are built with none.
LAYER_ARGS = {
    "Dense": {"units": 3}, "Activation": {"activation": "relu"}, "Dropout": {"rate": 0.5},
    "Reshape": {"target_shape": (2, 2)}, "InputLayer": {"shape": (3,)}, "Embedding": {"input_dim": 5, "output_dim": 2},
    "Conv1D": {"filters": 2, "kernel_size": 3}, "Conv2D": {"filters": 2, "kernel_size": 3},
    "Conv3D": {"filters": 2, "kernel_size": 3}, "Conv1DTranspose": {"filters": 2, "kernel_size": 3},
    "Conv2DTranspose": {"filters": 2, "kernel_size": 3}, "Conv3DTranspose": {"filters": 2, "kernel_size": 3},
    "SeparableConv1D": {"filters": 2, "kernel_size": 3}, "SeparableConv2D": {"filters": 2, "kernel_size": 3},
    "DepthwiseConv1D": {"kernel_size": 3}, "DepthwiseConv2D": {"kernel_size": 3},
    "LSTM": {"units": 2}, "GRU": {"units": 2}, "SimpleRNN": {"units": 2}, "LSTMCell": {"units": 2},
    "GRUCell": {"units": 2}, "SimpleRNNCell": {"units": 2}, "RepeatVector": {"n": 2},
    "Permute": {"dims": (2, 1)}, "GaussianNoise": {"stddev": 0.1}, "GaussianDropout": {"rate": 0.1},
    "AlphaDropout": {"rate": 0.1}, "SpatialDropout1D": {"rate": 0.1}, "SpatialDropout2D": {"rate": 0.1},
    "SpatialDropout3D": {"rate": 0.1}, "GroupNormalization": {"groups": 1}, "Masking": {},
    "ReversibleEmbedding": {"input_dim": 5, "output_dim": 2, "tie_weights": False},
    **{f"Adaptive{m}Pooling{r}D": {"output_size": 2} for m in ("Average", "Max") for r in (1, 2, 3)},
}
CORE = {"Dense", "Activation", "Dropout", "Reshape", "Flatten", "BatchNormalization", "Conv2D",
        "MaxPooling2D", "LSTM", "GRU", "SimpleRNN", "Concatenate", "Add"}


def _layer_classes():
    return {name: obj for name, obj in vars(layers).items()
            if inspect.isclass(obj) and issubclass(obj, layers.Layer) and obj is not layers.Layer}


def _build(cls):
    try:
        return cls(**LAYER_ARGS.get(cls.__name__, {}))
    except (TypeError, ValueError):
        return None


def test_every_constructible_layer_round_trips():
    built = {name: _build(cls) for name, cls in _layer_classes().items()}
    covered = {name for name, layer in built.items() if layer is not None}
    assert CORE & set(_layer_classes()) <= covered
    for name in sorted(covered):
        layer = built[name]
        config = serialization.serialize_keras_object(layer)
        assert config["class_name"] == type(layer).__name__ and config["module"].startswith("keras")
        clone = serialization.deserialize_keras_object(config)
        assert type(clone) is type(layer), name
        assert clone.get_config() == layer.get_config(), name


@pytest.mark.parametrize("module", [initializers, regularizers, constraints, optimizers, losses, metrics])
def test_registry_objects_round_trip(module):
    registry = module._REGISTRY
    checked = 0
    for name, obj in sorted(registry.objects.items()):
        if not inspect.isclass(obj) or inspect.isabstract(obj):
            continue
        try:
            instance = obj()
        except (TypeError, ValueError):
            continue  # needs arguments (e.g. Constant(value)); covered by its family's tests
        config = module.serialize(instance)
        clone = module.deserialize(serialization.from_keras_tree(serialization.to_keras_tree(config)))
        assert type(clone) is obj, name
        assert clone.get_config() == instance.get_config(), name
        checked += 1
    assert checked >= 3


def test_keras1_and_keras2_layer_configs():
    keras2 = {"class_name": "Dense", "config": {
        "name": "d", "trainable": True, "batch_input_shape": [None, 4], "dtype": "float32",
        "units": 3, "activation": "relu", "use_bias": True,
        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.01}},
        "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
        "bias_constraint": None}}
    layer = serialization.deserialize_keras_object(keras2)
    assert layer.units == 3 and isinstance(layer.kernel_initializer, initializers.GlorotUniform)
    assert layer.kernel_regularizer.l2 == pytest.approx(0.01)
    with pytest.warns(UserWarning, match="Keras 2 API"):
        keras1 = serialization.deserialize_keras_object(
            {"class_name": "Dense", "config": {"output_dim": 7, "init": "he_normal", "input_dim": 4,
                                               "name": "old"}})
    assert keras1.units == 7 and isinstance(keras1.kernel_initializer, initializers.HeNormal)
    model = serialization.model_from_config({"class_name": "Sequential", "config": [keras2["config"] and keras2]})
    assert model.layers[0].units == 3 and model.input_shape == (None, 4)
    policy = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}}
    dense = serialization.deserialize_keras_object(
        {"module": "keras.src.layers.core.dense", "class_name": "Dense",
         "config": {"units": 2, "dtype": policy, "quantization_config": None}})
    assert dense.dtype == "float32"


def test_unknown_class_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown layer identifier"):
        serialization.deserialize_keras_object({"class_name": "NoSuchLayer", "config": {}})
    with pytest.raises(ValueError, match="config dict"):
        serialization.deserialize_keras_object({"config": {}})
    # As Keras 3: plain values pass through and a list is deserialized item by item.
    assert serialization.deserialize_keras_object(["not", "a", "dict"]) == ["not", "a", "dict"]
    with pytest.raises(ValueError, match="JSON"):
        kerasish.models.model_from_json("{broken")
