"""A layer's save_own_variables / load_own_variables / save_assets / load_assets in `.keras` files,
both ways with real Keras 3."""

import os

import numpy as np
import pytest

import kerasish

X = np.arange(6, dtype="float32").reshape(2, 3)


def _vocab_layer(lib):
    class Vocab(lib.layers.Layer):
        """Stores its kernel under its own name, and a vocabulary file as an asset."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.vocab = ["a", "b"]

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], 2), initializer="ones", name="kernel")

        def call(self, x):
            return lib.ops.matmul(x, self.kernel)

        def save_own_variables(self, store):
            store["kernel_in_keras_layout"] = self.kernel.numpy()
            store["scale"] = np.array(2.0, "float32")

        def load_own_variables(self, store):
            self.kernel.assign(store["kernel_in_keras_layout"] * store["scale"])

        def save_assets(self, dir_path):
            with open(os.path.join(dir_path, "vocab.txt"), "w") as f:
                f.write("\n".join(self.vocab))

        def load_assets(self, dir_path):
            with open(os.path.join(dir_path, "vocab.txt")) as f:
                self.vocab = f.read().split("\n")

    return Vocab


def _model(lib):
    inp = lib.Input((3,))
    layer = _vocab_layer(lib)(name="vocab")
    model = lib.Model(inp, layer(inp))
    layer.kernel.assign(np.full((3, 2), 0.5, "float32"))
    layer.vocab = ["x", "y", "z"]
    return model


@pytest.mark.parametrize("direction", ["kerasish_to_keras", "keras_to_kerasish", "kerasish_to_kerasish"])
def test_own_variables_and_assets_round_trip(keras, tmp_path, direction):
    writer, reader = {"kerasish_to_keras": (kerasish, keras), "keras_to_kerasish": (keras, kerasish),
                      "kerasish_to_kerasish": (kerasish, kerasish)}[direction]
    path = str(tmp_path / "vocab.keras")
    _model(writer).save(path)
    loaded = reader.saving.load_model(path, custom_objects={"Vocab": _vocab_layer(reader)})
    layer = loaded.get_layer("vocab")
    assert layer.vocab == ["x", "y", "z"]
    np.testing.assert_allclose(np.asarray(layer.kernel.numpy() if hasattr(layer.kernel, "numpy") else layer.kernel),
                               np.full((3, 2), 1.0))  # 0.5 saved, times the saved scale 2
    out = loaded.predict(X, verbose=0)
    np.testing.assert_allclose(out, X @ np.ones((3, 2), "float32"), rtol=1e-6)


def test_an_asset_name_escaping_its_folder_is_refused(tmp_path):
    import zipfile

    path = str(tmp_path / "vocab.keras")
    _model(kerasish).save(path)
    hostile = str(tmp_path / "hostile.keras")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(hostile, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("assets/layers/vocab/../../escape.txt", "x")
    with pytest.raises(ValueError, match="unsafe name"):
        kerasish.saving.load_model(hostile, custom_objects={"Vocab": _vocab_layer(kerasish)})
    assert not os.path.exists(tmp_path / "escape.txt")
