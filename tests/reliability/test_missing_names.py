"""A name kerasish does not provide must look missing to Python's own probes.

`hasattr(keras, "x")` is `False`, `getattr(keras, "x", default)` is the default, and libraries that
look for TensorFlow by catching `AttributeError` (matplotlib, pandas) work under `python -m kerasish`;
`from keras.x import Missing` still says what is missing.
"""

import importlib
import sys

import pytest

import kerasish
from kerasish.compat import legacy_modules
from tests.compat.conftest import run_kerasish


@pytest.fixture
def hooked(monkeypatch):
    """The import hook installed, with no TensorFlow importable (its stand-in is used)."""
    saved = {k: v for k, v in sys.modules.items()
             if legacy_modules.keras_suffix(k) is not None or k.split(".")[0] == "tensorflow"}
    for k in saved:
        del sys.modules[k]
    monkeypatch.setattr("importlib.machinery.PathFinder.find_spec",
                        _hide_tensorflow(importlib.machinery.PathFinder.find_spec))
    kerasish.compat.install()
    yield
    kerasish.compat.uninstall()
    for k in [k for k in sys.modules if k.split(".")[0] == "tensorflow"]:
        del sys.modules[k]
    sys.modules.update(saved)


def _hide_tensorflow(find_spec):
    def wrapped(fullname, *args, **kwargs):
        if fullname.split(".")[0] == "tensorflow":
            return None
        return find_spec(fullname, *args, **kwargs)

    return wrapped


@pytest.mark.parametrize("module_name", [
    "keras", "keras.layers", "keras.layers.core", "keras.engine.topology", "tensorflow.keras",
    "tensorflow", "tensorflow:random",
])
def test_hasattr_and_getattr_default_on_a_missing_name(hooked, module_name):
    module_name, _, attribute = module_name.partition(":")
    module = importlib.import_module(module_name)
    module = getattr(module, attribute) if attribute else module
    assert hasattr(module, "no_such_name_here") is False
    sentinel = object()
    assert getattr(module, "no_such_name_here", sentinel) is sentinel
    with pytest.raises(AttributeError, match="no_such_name_here"):
        module.no_such_name_here  # noqa: B018


def test_attribute_error_keeps_the_helpful_message(hooked):
    import keras
    import tensorflow as tf

    with pytest.raises(AttributeError, match=r"kerasish.layers has no `NoSuchLayer`"):
        keras.layers.NoSuchLayer  # noqa: B018
    with pytest.raises(AttributeError, match=r"only the Keras part of TensorFlow"):
        tf.is_tensor  # noqa: B018


def test_present_names_still_resolve(hooked):
    import keras
    import tensorflow as tf

    assert hasattr(keras.layers, "Dense") and keras.layers.Dense is kerasish.layers.Dense
    assert getattr(tf.keras, "Sequential", None) is kerasish.models.Sequential
    assert callable(tf.random.set_seed)


@pytest.mark.parametrize("statement,message", [
    ("from keras.layers import NoSuchLayer", r"kerasish.layers has no `NoSuchLayer`"),
    ("from keras.layers.recurrent import NoSuchLayer", r"kerasish.layers has no `NoSuchLayer`"),
    ("from keras import no_such_module", r"kerasish has no `no_such_module`"),
    ("from tensorflow import io", r"`tensorflow.io` is not available"),
    ("import tensorflow.compat.v1", r"`tensorflow.compat` is not available"),
])
def test_from_import_names_what_is_missing(hooked, statement, message):
    with pytest.raises(ImportError, match=message) as info:
        exec(statement, {})
    assert isinstance(info.value, kerasish.compat.MissingKerasFeatureError)


def test_matplotlib_and_pandas_under_the_runner(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("pandas")
    result = run_kerasish(tmp_path, """
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import numpy as np
        import pandas as pd
        import tensorflow as tf
        import keras

        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        history = model.fit(np.ones((8, 2)), np.zeros((8, 1)), epochs=2, verbose=0)
        fig, ax = plt.subplots()
        ax.plot(history.history["loss"])
        fig.savefig("loss.png")
        frame = pd.DataFrame(history.history)
        print("ROWS", len(frame), "HASATTR", hasattr(keras, "nope"), hasattr(tf, "nope"))
    """, env={"MPLBACKEND": "Agg", "PYTHONPATH": ""})
    assert result.returncode == 0, result.stderr
    assert "ROWS 2 HASATTR False False" in result.stdout
    assert (tmp_path / "loss.png").stat().st_size > 0
