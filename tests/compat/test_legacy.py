"""Legacy module paths (in-process, hook installed then removed) and Keras 2 `Model` methods."""

import sys

import numpy as np
import pytest

import kerasish
from kerasish.compat import legacy_modules


@pytest.fixture
def hooked():
    saved = {k: v for k, v in sys.modules.items() if legacy_modules.keras_suffix(k) is not None or k.startswith("tensorflow")}
    for k in saved:
        del sys.modules[k]
    kerasish.compat.install()
    yield
    kerasish.compat.uninstall()
    sys.modules.update(saved)


@pytest.mark.parametrize("path,name,expected", [
    ("keras.layers.core", "Dense", "kerasish.layers:Dense"),
    ("keras.layers.core", "Dropout", "kerasish.layers:Dropout"),
    ("keras.engine.topology", "Layer", "kerasish.layers:Layer"),
    ("keras.engine.training", "Model", "kerasish.models:Model"),
    ("keras.engine.input_layer", "Input", "kerasish.layers:Input"),
    ("keras.utils.np_utils", "to_categorical", "kerasish.utils:to_categorical"),
    ("keras.utils.data_utils", "get_file", "kerasish.utils:get_file"),
    ("keras.utils.generic_utils", "Progbar", "kerasish.utils:Progbar"),
    ("keras.preprocessing.sequence", "pad_sequences", "kerasish.preprocessing.sequence:pad_sequences"),
    ("keras.preprocessing.text", "Tokenizer", "kerasish.preprocessing.text:Tokenizer"),
    ("keras.preprocessing.image", "ImageDataGenerator", "kerasish.preprocessing.image:ImageDataGenerator"),
    ("keras.datasets.mnist", "load_data", "kerasish.datasets.mnist:load_data"),
    ("keras.optimizers.legacy", "SGD", "kerasish.optimizers.legacy:SGD"),
    ("keras.optimizer_v2", "Adam", "kerasish.optimizers.legacy:Adam"),
    ("keras.objectives", "mean_squared_error", "kerasish.losses:mean_squared_error"),
    ("keras.backend", "epsilon", "kerasish.backend:epsilon"),
])
def test_legacy_paths_resolve(hooked, path, name, expected):
    import importlib

    module = importlib.import_module(path)
    target_module, attr = expected.split(":")
    assert getattr(module, name) is getattr(importlib.import_module(target_module), attr)


def test_missing_name_error_names_the_piece(hooked):
    with pytest.raises(ImportError, match="kerasish.layers has no `NoSuchLayer`"):
        exec("from keras.layers.recurrent import NoSuchLayer", {})
    with pytest.raises(ImportError, match="kerasish.nothere"):
        exec("import keras.nothere", {})


def test_uninstall_restores_plain_imports(hooked):
    import keras

    assert keras.__name__ == "keras" and hasattr(keras, "layers")
    kerasish.compat.uninstall()
    assert "keras" not in sys.modules or not isinstance(sys.modules["keras"], kerasish.compat.AliasModule)


def _model():
    model = kerasish.Sequential([kerasish.layers.Dense(3, activation="softmax", input_shape=(4,))])
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def test_predict_classes_and_proba():
    model = _model()
    x = np.random.default_rng(0).random((5, 4)).astype("float32")
    np.testing.assert_array_equal(model.predict_classes(x), model.predict(x, verbose=0).argmax(-1))
    np.testing.assert_allclose(model.predict_proba(x), model.predict(x, verbose=0))
    binary = kerasish.Sequential([kerasish.layers.Dense(1, activation="sigmoid", input_shape=(4,))])
    out = binary.predict(x, verbose=0)
    np.testing.assert_array_equal(binary.predict_classes(x), (out > 0.5).astype("int32"))


def test_generator_methods_and_metrics_names():
    model = _model()
    rng = np.random.default_rng(1)
    x, y = rng.random((8, 4)).astype("float32"), np.eye(3, dtype="float32")[rng.integers(0, 3, 8)]

    def batches():
        while True:
            yield x, y

    with pytest.warns(UserWarning, match="Keras 2 API"):
        hist = model.fit_generator(batches(), samples_per_epoch=2, nb_epoch=2, verbose=0)
    assert len(hist.history["loss"]) == 2
    result = model.evaluate_generator(batches(), steps=2)
    assert model.metrics_names[0] == "loss" and len(result) == len(model.metrics_names) == 2
    assert model.predict_generator(batches(), steps=2).shape == (16, 3)
