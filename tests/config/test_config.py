"""`kerasish.config`: Keras 3's 25 settings, and the ones that change behaviour do so."""

import logging
import warnings

import numpy as np
import pytest

import kerasish
from kerasish import config


@pytest.fixture
def restore():
    saved = (config.max_epochs(), config.max_steps_per_epoch(), config.is_interactive_logging_enabled(),
             config.is_flash_attention_enabled())
    yield
    config.set_max_epochs(saved[0])
    config.set_max_steps_per_epoch(saved[1])
    (config.enable_interactive_logging if saved[2] else config.disable_interactive_logging)()
    kerasish.backend.config._FLASH_ATTENTION = saved[3]
    kerasish.backend.config._UNSAFE_DESERIALIZATION = False
    kerasish.mixed_precision.set_global_policy(None)


def test_every_keras_config_name_exists(keras):
    theirs = {n for n in dir(keras.config) if not n.startswith("_")}
    assert theirs <= set(config.__all__)
    assert all(callable(getattr(config, n)) for n in config.__all__)


def test_defaults_match_keras(keras):
    for name in ("floatx", "epsilon", "image_data_format", "max_epochs", "max_steps_per_epoch",
                 "is_flash_attention_enabled", "is_interactive_logging_enabled",
                 "is_traceback_filtering_enabled", "is_nnx_enabled"):
        assert getattr(config, name)() == getattr(keras.config, name)(), name
    assert config.dtype_policy().name == keras.config.dtype_policy().name
    assert config.backend() == "torch"


def test_flash_attention_switches_like_keras(keras, restore):
    for fn in ("disable_flash_attention", "enable_flash_attention"):
        getattr(config, fn)()
        getattr(keras.config, fn)()
        assert config.is_flash_attention_enabled() == keras.config.is_flash_attention_enabled()
    keras.config.enable_flash_attention()


def test_set_backend_refuses_other_backends():
    config.set_backend("torch")
    with pytest.raises(ValueError, match="backend='jax'"):
        config.set_backend("jax")


def _model():
    model = kerasish.Sequential([kerasish.layers.Dense(2, input_shape=(3,))])
    model.compile("sgd", "mse")
    return model


class _CountBatches(kerasish.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.train = self.test = 0

    def on_train_batch_end(self, batch, logs=None):
        self.train += 1

    def on_test_batch_end(self, batch, logs=None):
        self.test += 1


def test_max_epochs_and_steps_cap_fit_evaluate_predict(restore):
    x, y = np.zeros((64, 3), "float32"), np.zeros((64, 2), "float32")
    config.set_max_epochs(2)
    config.set_max_steps_per_epoch(3)
    counter = _CountBatches()
    with pytest.warns(UserWarning, match="Limiting epochs to 2"):
        history = _model().fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[counter])
    assert len(history.history["loss"]) == 2 and counter.train == 6
    model = _model()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.evaluate(x, y, batch_size=8, verbose=0, callbacks=[counter])
        assert model.predict(x, batch_size=8, verbose=0).shape == (24, 2)
    assert counter.test == 3


@pytest.mark.parametrize("bad", [0, -1, 1.5, "3"])
def test_caps_refuse_bad_values(bad):
    with pytest.raises(ValueError, match="max_epochs"):
        config.set_max_epochs(bad)


def test_max_epochs_from_the_environment(tmp_path):
    import subprocess
    import sys

    script = ("import kerasish, numpy as np\n"
              "m = kerasish.Sequential([kerasish.layers.Dense(1, input_shape=(2,))])\n"
              "m.compile('sgd', 'mse')\n"
              "h = m.fit(np.zeros((4, 2)), np.zeros((4, 1)), epochs=9, verbose=0)\n"
              "print(len(h.history['loss']))\n")
    env = dict(__import__("os").environ, KERAS_MAX_EPOCHS="3", KERASISH_DEVICE="cpu")
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", script], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "3"


def test_interactive_logging_off_sends_progress_to_logging(restore, capsys, caplog):
    x, y = np.zeros((16, 3), "float32"), np.zeros((16, 2), "float32")
    model = _model()
    config.disable_interactive_logging()
    with caplog.at_level(logging.INFO, logger="kerasish"):
        model.fit(x, y, epochs=2, batch_size=8, verbose=1)
        model.summary()
    assert capsys.readouterr().out == ""
    messages = [r.getMessage() for r in caplog.records if r.name == "kerasish"]
    assert "Epoch 2/2" in messages and any("loss" in m for m in messages)
    assert any("Total params" in m for m in messages)
    config.enable_interactive_logging()
    model.fit(x, y, epochs=1, batch_size=8, verbose=2)
    assert "Epoch 1/1" in capsys.readouterr().out


def test_enable_unsafe_deserialization_allows_lambda_loading(tmp_path, restore):
    inp = kerasish.Input((2,))
    model = kerasish.Model(inp, kerasish.layers.Lambda(lambda t: t * 2)(inp))
    path = str(tmp_path / "lambda.keras")
    model.save(path)
    with pytest.raises(ValueError, match="safe_mode"):
        kerasish.saving.load_model(path)
    config.enable_unsafe_deserialization()
    loaded = kerasish.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(np.ones((1, 2)), verbose=0), [[2.0, 2.0]])


def test_dtype_policy(restore):
    config.set_dtype_policy("mixed_bfloat16")
    assert config.dtype_policy().name == "mixed_bfloat16"
    layer = kerasish.layers.Dense(2)
    assert layer.compute_dtype == "bfloat16" and layer.dtype == "float32"
    with pytest.raises(ValueError, match="policy"):
        config.set_dtype_policy(3)
