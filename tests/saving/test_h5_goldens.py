"""Legacy `.h5` files written by tf-keras 2.x (`tools/make_h5_goldens.py`) load with its predictions."""

import os
import warnings

import h5py
import numpy as np
import pytest

import kerasish
from tests.conftest import assert_close

GOLDENS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "goldens", "h5")
NAMES = ["tfkeras_mlp", "tfkeras_cnn", "tfkeras_rnn", "tfkeras_functional"]


def _golden(name):
    data = np.load(os.path.join(GOLDENS, f"{name}.npz"))
    xs = [data[f"x{i}"] for i in range(len([k for k in data.files if k.startswith("x")]))]
    return os.path.join(GOLDENS, f"{name}.h5"), (xs if len(xs) > 1 else xs[0]), data["y"]


@pytest.mark.parametrize("name", NAMES)
def test_tf_keras_h5_loads_with_its_predictions(name):
    path, x, expected = _golden(name)
    with h5py.File(path) as f:  # the Keras 2 layout this test is about
        assert f.attrs["keras_version"].startswith("2.")
        names = [n.decode() if isinstance(n, bytes) else n
                 for g in f["model_weights"].values() for n in g.attrs.get("weight_names", [])]
        assert any(n.endswith(":0") for n in names)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the optimizer state is restored, not skipped
        model = kerasish.models.load_model(path)
    assert_close(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
    assert model.compiled
    with h5py.File(path) as f:
        group = f["optimizer_weights"]
        names = [n.decode() if isinstance(n, bytes) else n for n in group.attrs["weight_names"]]
        saved = {n: np.asarray(group[n]) for n in names}
    assert model.optimizer._iterations == int(saved[names[0]]) == 4
    first_slot = [n for n in names[1:] if "/m/" in n or n.endswith(("momentum:0", "/rms:0")) or "/velocity/" in n][0]
    assert_close(model.optimizer._slots[0].numpy(), saved[first_slot], rtol=0, atol=0)


def test_tf_keras_training_config_keras2_names():
    path, x, _ = _golden("tfkeras_mlp")
    model = kerasish.models.load_model(path)
    opt = model.optimizer
    assert isinstance(opt, kerasish.optimizers.SGD)
    assert opt.nesterov and opt.momentum == pytest.approx(0.9)
    assert float(opt.learning_rate) == pytest.approx(0.05)
    y = np.eye(3, dtype="float32")[np.arange(len(x)) % 3]
    model.fit(x, y, epochs=1, verbose=0)  # the re-compiled model trains


@pytest.mark.parametrize("name", NAMES)
def test_tf_keras_h5_weights_by_order_and_name(name):
    path, x, expected = _golden(name)
    source = kerasish.models.load_model(path, compile=False)
    clone = kerasish.models.model_from_json(source.to_json())
    clone.load_weights(path)
    assert_close(clone.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
    clone = kerasish.models.model_from_json(source.to_json())
    clone.load_weights(path, by_name=True)
    assert_close(clone.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
