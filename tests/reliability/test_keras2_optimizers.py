"""Keras 2 scripts get Keras 2's optimizers: which arguments select Keras 2's rules, the
`optimizers.legacy` namespace, configs that keep the choice, and tf-keras `.h5` files with legacy
optimizers that load and train on as tf-keras does (goldens from `tools/make_optimizer_goldens.py`).
"""

import json
import os
import sys
import warnings

import h5py
import numpy as np
import pytest
import torch

import kerasish
from kerasish.compat import legacy_modules
from kerasish.optimizers import legacy

H5_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "goldens", "h5")
with open(os.path.join(os.path.dirname(H5_DIR), "optimizers_keras2.json")) as _f:
    H5_CASES = json.load(_f)["h5_cases"]
NAMES = ["SGD", "RMSprop", "Adam", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl"]


def _rule(opt):
    """'keras2' or 'keras3': which RMSprop rule `opt` applies, seen in its update alone."""
    w = kerasish.Variable(torch.zeros(1))
    lr = float(opt.learning_rate)
    opt.apply([torch.full((1,), 1e-4)], [w])
    rho = opt.rho
    keras2 = -lr * 1e-4 / (np.sqrt((1 - rho) * 1e-8) + 1e-7)
    keras3 = -lr * 1e-4 / np.sqrt((1 - rho) * 1e-8 + 1e-7)
    value = float(w.numpy()[0])
    assert abs(keras2 - keras3) > 1e-3 * abs(keras3)  # the probe tells the rules apart
    return "keras2" if abs(value - keras2) < 1e-4 * abs(keras2) else "keras3"


@pytest.mark.parametrize("kwargs,expected", [
    ({"learning_rate": 0.01}, "keras3"),
    ({"lr": 0.01}, "keras2"),
    ({"learning_rate": 0.01, "decay": 0.0}, "keras2"),
    ({"lr": 0.01, "decay": 1e-6}, "keras2"),
    ({"learning_rate": 0.01, "is_legacy_optimizer": True}, "keras2"),
    ({"learning_rate": 0.01, "is_legacy_optimizer": False}, "keras3"),
])
def test_keras2_arguments_select_keras2_rules(kwargs, expected):
    opt = kerasish.optimizers.RMSprop(**kwargs)
    assert _rule(opt) == expected


def test_legacy_namespace_always_keras2():
    opt = legacy.RMSprop(learning_rate=0.01)
    assert _rule(opt) == "keras2"
    for name in NAMES:
        cls = getattr(kerasish.optimizers.legacy, name)
        assert issubclass(cls, getattr(kerasish.optimizers, name)) and cls.__name__ == name
        assert cls()._keras2


@pytest.mark.parametrize("make", [
    lambda: kerasish.optimizers.RMSprop(lr=0.01, rho=0.8),
    lambda: kerasish.optimizers.RMSprop(learning_rate=0.01, decay=0.0),
    lambda: legacy.RMSprop(learning_rate=0.01),
], ids=["lr", "decay0", "legacy"])
def test_config_round_trip_keeps_keras2_rules(make):
    opt = make()
    config = opt.get_config()
    assert "decay" in config and "lr" not in config  # tf.keras's legacy configs always have it
    for again in (type(opt).from_config(config),
                  kerasish.optimizers.deserialize(kerasish.optimizers.serialize(opt)),
                  kerasish.optimizers.deserialize(json.loads(json.dumps(
                      kerasish.optimizers.serialize(opt))))):
        assert _rule(again) == "keras2"
        assert again.get_config() == config


def test_serialize_legacy_as_keras_class():
    out = kerasish.optimizers.serialize(legacy.Adagrad(learning_rate=0.1))
    assert out["module"] == "keras.optimizers" and out["class_name"] == "Adagrad"
    assert out["config"]["decay"] == 0.0


def test_keras3_reads_a_keras2_config(keras):
    """A kerasish file with a Keras 2 optimizer stays loadable by Keras 3 (which ignores `decay`)."""
    config = kerasish.optimizers.RMSprop(lr=0.01, rho=0.8).get_config()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        restored = keras.optimizers.RMSprop.from_config(config)
    assert restored.rho == pytest.approx(0.8)
    assert float(restored.learning_rate) == pytest.approx(0.01)


@pytest.mark.parametrize("config", [
    # standalone Keras 2.x
    {"lr": 0.01, "rho": 0.9, "epsilon": 1e-7, "decay": 0.0},
    # tf.keras 2.x (OptimizerV2, and the legacy optimizers of 2.11+)
    {"name": "RMSprop", "learning_rate": 0.01, "decay": 0.0, "rho": 0.9, "momentum": 0.0,
     "epsilon": 1e-7, "centered": False},
])
def test_saved_keras2_configs_get_keras2_rules(config):
    opt = kerasish.optimizers.deserialize({"class_name": "RMSprop", "config": config})
    assert _rule(opt) == "keras2"


def test_nadam_decay_is_keras2s_schedule_decay():
    with pytest.warns(UserWarning, match=r"does not decay the learning rate.*Received: decay=0.05"):
        opt = kerasish.optimizers.Nadam(lr=0.01, decay=0.05)
    assert opt.decay == 0.0 and opt.schedule_decay == pytest.approx(0.004)
    assert kerasish.optimizers.Nadam.from_config(opt.get_config()).schedule_decay == \
        pytest.approx(0.004)
    # tf.keras's legacy Nadam saves `schedule_decay` under `decay`.
    restored = kerasish.optimizers.Nadam.from_config({"learning_rate": 0.01, "decay": 0.1})
    assert restored.schedule_decay == pytest.approx(0.1) and restored.decay == 0.0
    assert kerasish.optimizers.Nadam(learning_rate=0.01).schedule_decay is None  # Keras 3's
    with pytest.raises(ValueError, match=r"Received: schedule_decay=-1"):
        kerasish.optimizers.Nadam(schedule_decay=-1)


def test_keras2_epsilon_zero_means_fuzz_factor():
    assert kerasish.optimizers.Adam(lr=0.01, epsilon=0).epsilon == pytest.approx(1e-7)
    assert kerasish.optimizers.Adam(learning_rate=0.01, epsilon=0).epsilon == 0.0


@pytest.fixture
def hooked():
    saved = {k: v for k, v in sys.modules.items() if legacy_modules.keras_suffix(k) is not None}
    for k in saved:
        del sys.modules[k]
    kerasish.compat.install()
    yield
    kerasish.compat.uninstall()
    sys.modules.update(saved)


def test_keras_optimizers_legacy_path_is_the_legacy_namespace(hooked):
    from keras.optimizers.legacy import RMSprop
    from tensorflow.keras.optimizers import legacy as tf_legacy

    assert RMSprop is legacy.RMSprop and tf_legacy.Nadam is legacy.Nadam


@pytest.mark.parametrize("case", H5_CASES, ids=[c["id"] for c in H5_CASES])
def test_tf_keras_h5_with_legacy_optimizer_trains_on_as_tf_keras(case):
    path = os.path.join(H5_DIR, f"legacy_opt_{case['id']}.h5")
    with h5py.File(path) as f:  # a tf-keras file with a legacy optimizer config
        saved = json.loads(f.attrs["training_config"])["optimizer_config"]
    assert saved["class_name"] == case["class_name"] and "decay" in saved["config"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the optimizer state is restored, not skipped
        model = kerasish.models.load_model(path)
    opt = model.optimizer
    assert type(opt).__name__ == case["class_name"] and opt._keras2
    data = np.load(path.replace(".h5", ".npz"))
    model.fit(data["x"], data["y"], batch_size=len(data["x"]), epochs=3, shuffle=False, verbose=0)
    for i, weight in enumerate(model.get_weights()):
        np.testing.assert_allclose(weight, data[f"after_{i}"], rtol=1e-5, atol=1e-6)
