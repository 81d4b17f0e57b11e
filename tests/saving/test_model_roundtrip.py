"""Round trips through Keras's formats: architecture, weights, compile config, optimizer state."""

import json

import numpy as np
import pytest

import kerasish
from kerasish import layers
from tests.conftest import assert_close


def _data(n=32, d=6, k=3):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, d)).astype("float32"), rng.normal(size=(n, k)).astype("float32")


def _mlp(optimizer="adam"):
    model = kerasish.Sequential([
        layers.Dense(8, activation="relu", input_shape=(6,), name="hidden"),
        layers.Dropout(0.25),
        layers.Dense(12),
        layers.Reshape((3, 4)),
        layers.Flatten(),
        layers.Activation("tanh"),
        layers.Dense(3, name="out"),
    ])
    model.compile(optimizer=optimizer, loss="mse", metrics=["mae"])
    return model


@pytest.mark.parametrize("suffix", ["keras", "h5"])
def test_sequential_round_trip(tmp_path, suffix):
    x, y = _data()
    model = _mlp(kerasish.optimizers.Adam(0.01))
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    path = tmp_path / f"model.{suffix}"
    model.save(path)
    restored = kerasish.models.load_model(path)
    assert [type(a) for a in restored.layers] == [type(b) for b in model.layers]
    assert [w.name for w in restored.weights] == [w.name for w in model.weights]
    assert_close(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=0, atol=0)
    assert restored.compiled and isinstance(restored.optimizer, kerasish.optimizers.Adam)
    assert restored.optimizer.get_config() == model.optimizer.get_config()
    assert restored.loss == "mse"
    assert restored.optimizer._iterations == model.optimizer._iterations == 8


@pytest.mark.parametrize("suffix", ["keras", "h5"])
@pytest.mark.parametrize("optimizer", [
    lambda: kerasish.optimizers.Adam(0.01, amsgrad=True),
    lambda: kerasish.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
    lambda: kerasish.optimizers.RMSprop(0.01, momentum=0.5, centered=True),
])
def test_training_resumes_exactly(tmp_path, suffix, optimizer):
    x, y = _data()
    model = _mlp(optimizer())
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    path = tmp_path / f"model.{suffix}"
    model.save(path)
    restored = kerasish.models.load_model(path)
    for slot_a, slot_b in zip(model.optimizer.variables, restored.optimizer.variables):
        assert_close(slot_b.numpy(), slot_a.numpy(), rtol=0, atol=0)
    # Dropout draws differ between the two models, so continue in inference-equivalent mode.
    model.layers[1].rate = restored.layers[1].rate = 0.0
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    restored.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    for a, b in zip(model.get_weights(), restored.get_weights()):
        assert_close(b, a, rtol=1e-6, atol=1e-7)
    assert restored.optimizer._iterations == model.optimizer._iterations


def test_compile_false_and_include_optimizer_false(tmp_path):
    x, y = _data()
    model = _mlp()
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras", include_optimizer=False)
    loaded = kerasish.models.load_model(tmp_path / "m.keras", compile=False)
    assert not loaded.compiled
    assert_close(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=0, atol=0)
    recompiled = kerasish.models.load_model(tmp_path / "m.keras")
    assert recompiled.compiled and recompiled.optimizer._iterations == 0


def test_uncompiled_model_round_trip(tmp_path):
    x, _ = _data()
    model = kerasish.Sequential([kerasish.Input((6,)), layers.Dense(4)])
    model.save(tmp_path / "m.keras")
    loaded = kerasish.models.load_model(tmp_path / "m.keras")
    assert not loaded.compiled
    assert_close(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=0, atol=0)


@pytest.mark.parametrize("filename", ["w.weights.h5", "w.h5"])
def test_save_and_load_weights(tmp_path, filename):
    x, _ = _data()
    model = _mlp()
    model.save_weights(tmp_path / filename)
    other = _mlp()
    assert not np.allclose(other.predict(x, verbose=0), model.predict(x, verbose=0))
    other.load_weights(tmp_path / filename)
    assert_close(other.predict(x, verbose=0), model.predict(x, verbose=0), rtol=0, atol=0)


def test_load_weights_by_name_and_skip_mismatch(tmp_path):
    x, _ = _data()
    model = _mlp()
    model.save_weights(tmp_path / "w.h5")
    # Same names, another order and an extra layer: by_name finds them, the new layer keeps its init.
    other = kerasish.Sequential([
        layers.Dense(8, activation="relu", input_shape=(6,), name="hidden"),
        layers.Dense(12, name="unrelated"),
        layers.Dense(3, name="out"),
    ])
    other.load_weights(tmp_path / "w.h5", by_name=True)
    assert_close(other.get_layer("hidden").get_weights()[0], model.get_layer("hidden").get_weights()[0])
    assert_close(other.get_layer("out").get_weights()[1], model.get_layer("out").get_weights()[1])
    wrong = kerasish.Sequential([layers.Dense(8, input_shape=(6,), name="hidden"),
                                 layers.Dense(5, name="out")])
    with pytest.raises(ValueError, match=r"out.*\(12, 3\)|out.*\(8, 5\)"):
        wrong.load_weights(tmp_path / "w.h5", by_name=True)
    before = wrong.get_layer("out").get_weights()[0].copy()
    with pytest.warns(UserWarning, match="Skipping"):
        wrong.load_weights(tmp_path / "w.h5", by_name=True, skip_mismatch=True)
    assert_close(wrong.get_layer("out").get_weights()[0], before)
    assert_close(wrong.get_layer("hidden").get_weights()[0], model.get_layer("hidden").get_weights()[0])


def test_load_weights_from_keras_archive(tmp_path):
    x, _ = _data()
    model = _mlp()
    model.save(tmp_path / "m.keras")
    other = _mlp()
    other.load_weights(tmp_path / "m.keras")
    assert_close(other.predict(x, verbose=0), model.predict(x, verbose=0), rtol=0, atol=0)


def test_json_round_trip():
    model = _mlp()
    text = model.to_json()
    config = json.loads(text)
    assert config["class_name"] == "Sequential" and config["module"] == "keras"
    assert config["config"]["layers"][0]["class_name"] == "InputLayer"
    dense = config["config"]["layers"][1]
    assert dense["module"] == "keras.layers" and dense["config"]["dtype"]["class_name"] == "DTypePolicy"
    clone = kerasish.models.model_from_json(text)
    def configs(m):
        # Keras 3 moves the first layer's input shape to an InputLayer; the rest is identical.
        return [{k: v for k, v in layer.get_config().items() if k != "batch_input_shape"}
                for layer in m.layers]

    assert configs(clone) == configs(model)
    assert clone.input_shape == model.input_shape == (None, 6)
    again = kerasish.models.model_from_config(json.loads(clone.to_json()))
    assert again.to_json() == clone.to_json()


def test_large_config_chunks_layer_names(tmp_path):
    import h5py

    long = "d" * 120
    stack = [layers.Dense(1, input_shape=(1,), name=f"{long}_0")] + \
        [layers.Dense(1, name=f"{long}_{i}") for i in range(1, 700)]
    model = kerasish.Sequential(stack)
    model.save_weights(tmp_path / "big.h5")
    with h5py.File(tmp_path / "big.h5") as f:
        assert "layer_names" not in f.attrs and "layer_names0" in f.attrs and "layer_names1" in f.attrs
    other = kerasish.Sequential([layers.Dense(1, input_shape=(1,))] + [layers.Dense(1) for _ in range(699)])
    other.load_weights(tmp_path / "big.h5")
    assert_close(other.layers[-1].get_weights()[0], model.layers[-1].get_weights()[0])


def test_custom_objects_and_registration(tmp_path):
    @kerasish.saving.register_keras_serializable(package="Test")
    class Scale(layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    class Unregistered(Scale):
        pass

    x, _ = _data()
    model = kerasish.Sequential([kerasish.Input((6,)), Scale(3.0), layers.Dense(2)])
    model.save(tmp_path / "r.keras")
    loaded = kerasish.models.load_model(tmp_path / "r.keras")
    assert isinstance(loaded.layers[0], Scale) and loaded.layers[0].factor == 3.0
    assert_close(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=0, atol=0)

    model = kerasish.Sequential([kerasish.Input((6,)), Unregistered(0.5), layers.Dense(2)])
    model.save(tmp_path / "u.keras")
    with pytest.raises(ValueError, match="Unregistered"):
        kerasish.models.load_model(tmp_path / "u.keras")
    loaded = kerasish.models.load_model(tmp_path / "u.keras", custom_objects={"Unregistered": Unregistered})
    assert_close(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=0, atol=0)
