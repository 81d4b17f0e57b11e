"""Ops in functional models and Keras-3-style custom layers cross between real Keras 3 and kerasish:
built, trained and saved (`.keras`) by one, loaded by the other, with identical predictions."""

import numpy as np
import pytest

import kerasish
from tests.conftest import assert_close

RTOL, ATOL = 1e-5, 1e-5


def _ops_model(lib):
    """A functional model whose graph holds op nodes between layers."""
    ops = lib.ops
    x = lib.Input((6,), name="x")
    h = lib.layers.Dense(8, name="d1")(x)
    h = ops.reshape(h, (-1, 2, 4))
    h = ops.transpose(h, (0, 2, 1))             # (None, 4, 2)
    h = h * 2.0 + 1.0                           # Multiply, Add
    h = -h[:, :3]                               # GetItem, Negative
    h = ops.concatenate([h, ops.flip(h, axis=1)], axis=1)  # (None, 6, 2)
    h = ops.matmul(h, np.full((2, 3), 0.5, dtype="float32"))
    h = ops.expand_dims(ops.squeeze(ops.expand_dims(h, 1), 1), -1)
    return lib.Model(x, lib.layers.Dense(2, name="d2")(lib.layers.Flatten()(h)))


def _custom_layer(lib):
    """A layer written the Keras 3 way: `add_weight` in `build`, `ops.*` in `call`."""
    ops = lib.ops

    class Affine(lib.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                     initializer="glorot_uniform", name="w")
            self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")

        def call(self, x):
            y = ops.matmul(x, self.w) + self.b
            return ops.where(y > 0, y, 0.1 * y)

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    return Affine


def _custom_model(lib, Affine):
    x = lib.Input((5,))
    h = Affine(7, name="affine")(x)
    h = ops_tail(lib, h)
    return lib.Model(x, Affine(3, name="affine_out")(h))


def ops_tail(lib, h):
    return lib.ops.concatenate([h, h[:, :2]], axis=-1)


def _data(shape_in, units_out):
    rng = np.random.default_rng(3)
    return (rng.normal(size=(16,) + shape_in).astype("float32"),
            rng.normal(size=(16, units_out)).astype("float32"))


def _fit(model, lib, x, y):
    model.compile(optimizer=lib.optimizers.SGD(0.05), loss="mse")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    after = model.evaluate(x, y, verbose=0)
    assert after < before, (before, after)


def test_ops_model_config_names_keras_op_classes():
    config = _ops_model(kerasish).get_config()
    ops = {entry["class_name"]: entry for entry in config["layers"]
           if entry.get("module", "").startswith("keras.src.ops.")}
    assert {"Reshape", "Transpose", "Multiply", "Add", "GetItem", "Negative", "Concatenate",
            "Flip", "Matmul", "ExpandDims", "Squeeze"} <= set(ops)
    assert ops["Reshape"]["config"] == {"name": "reshape", "newshape": (-1, 2, 4)}
    assert ops["Concatenate"]["config"]["axis"] == 1
    assert ops["Transpose"]["module"] == "keras.src.ops.numpy"


@pytest.mark.parametrize("direction", ["kerasish_to_keras", "keras_to_kerasish"])
def test_ops_model_crosses(keras, tmp_path, direction):
    source_lib, target_lib = (kerasish, keras) if direction == "kerasish_to_keras" else (keras, kerasish)
    model = _ops_model(source_lib)
    x, y = _data((6,), 2)
    _fit(model, source_lib, x, y)
    path = tmp_path / "ops.keras"
    model.save(path)
    loaded = target_lib.models.load_model(path)
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    assert_close(np.asarray(loaded.predict(x, verbose=0)), np.asarray(model.predict(x, verbose=0)),
                 RTOL, ATOL)


@pytest.mark.parametrize("direction", ["kerasish_to_keras", "keras_to_kerasish"])
def test_keras3_style_custom_layer_crosses(keras, tmp_path, direction):
    source_lib, target_lib = (kerasish, keras) if direction == "kerasish_to_keras" else (keras, kerasish)
    source_cls, target_cls = _custom_layer(source_lib), _custom_layer(target_lib)
    model = _custom_model(source_lib, source_cls)
    x, y = _data((5,), 3)
    _fit(model, source_lib, x, y)
    path = tmp_path / "custom.keras"
    model.save(path)
    loaded = target_lib.models.load_model(path, custom_objects={"Affine": target_cls})
    assert isinstance(loaded.get_layer("affine"), target_cls)
    assert_close(np.asarray(loaded.predict(x, verbose=0)), np.asarray(model.predict(x, verbose=0)),
                 RTOL, ATOL)
    # The loaded model keeps training where the source stopped.
    _fit(loaded, target_lib, x, y)
