"""The classic Keras 2 example programs in `examples/keras_classics/` run unmodified through
`python -m kerasish`, offline, on small local data (see that folder's README)."""

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import REPO

CLASSICS = os.path.join(REPO, "examples", "keras_classics")

# Each script and a line its last stage prints: proof that it trained and evaluated, not just imported.
SCRIPTS = {
    "mnist_mlp": r"Test accuracy: (\S+)",
    "mnist_cnn": r"Test accuracy: (\S+)",
    "imdb_lstm": r"Test accuracy: (\S+)",
    "imdb_cnn": r"Test accuracy: (\S+)",
    "imdb_cnn_lstm": r"Test accuracy: (\S+)",
    "imdb_bidirectional_lstm": r"Test accuracy: (\S+)",
    "imdb_fasttext": r"Test accuracy: (\S+)",
    "reuters_mlp": r"Test accuracy: (\S+)",
    "addition_rnn": r"Validation character accuracy: (\S+)",
    "antirectifier": r"Test accuracy: (\S+)",
    "mnist_siamese": r"Accuracy on test set: ([\d.]+)%",
    "mnist_transfer_cnn": r"Trainable weights after freezing: (4)\n(?:.|\n)*Test accuracy: ",
    "variational_autoencoder": r"Final loss: (\S+)",
    "mnist_denoising_autoencoder": r"Denoised MSE: (\S+)",
    "lstm_text_generation": r"----- diversity: (1.2)\n----- Generating with seed: ",
    "stateful_lstm": r"Stateful LSTM test MSE: (\S+)",
    "babi_rnn": r"test accuracy = \S+ / (\S+)",
    "babi_memnn": r"Test accuracy: (\S+)",
    "conv_lstm": r"Mean squared error of the continued frames: (\S+)",
    "cifar10_cnn": r"Saved trained model at (?:.|\n)*Test accuracy: (\S+)",
}


def run_classic(name, tmp_path):
    env = dict(os.environ, OMP_NUM_THREADS="1", KERAS_HOME=str(tmp_path / "keras_home"),
               KERASISH_EXAMPLE_DATA="synthetic", KERASISH_EXAMPLE_MAX_EPOCHS="1",
               PYTHONPATH=os.pathsep.join(p for p in (CLASSICS, os.environ.get("PYTHONPATH")) if p))
    # `-m _data` swaps in the local data, then runs the script as `python -m kerasish SCRIPT` would.
    return subprocess.run([sys.executable, "-m", "kerasish", "-m", "_data", os.path.join(CLASSICS, name + ".py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_classic_runs_end_to_end(name, tmp_path):
    proc = run_classic(name, tmp_path)
    assert proc.returncode == 0, proc.stderr[-4000:]
    match = re.search(SCRIPTS[name], proc.stdout)
    assert match, proc.stdout[-3000:]
    value = float(match.group(1))
    assert value == value  # a number, not NaN
    assert not os.path.exists(tmp_path / "keras_home" / "datasets")  # nothing was downloaded or cached


def test_runner_without_env_vars_leaves_loaders_alone(tmp_path):
    # Without KERASISH_EXAMPLE_DATA the helper substitutes nothing: it is only the kerasish runner.
    env = dict(os.environ, PYTHONPATH=CLASSICS)
    env.pop("KERASISH_EXAMPLE_DATA", None)
    script = tmp_path / "probe.py"
    script.write_text("import keras.datasets.imdb as m\nfrom kerasish.datasets import _fetch\n"
                      "print(_fetch.fetch.__module__, m.load_data.__module__)\n")
    proc = subprocess.run([sys.executable, "-m", "kerasish", "-m", "_data", str(script)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["kerasish.datasets._fetch", "kerasish.datasets.imdb"]


def test_model_reset_states_resets_only_stateful_layers():
    # Keras 2's `Model.reset_states()`, which stateful_lstm.py calls between epochs.
    import numpy as np

    import kerasish as keras

    model = keras.Sequential([keras.layers.LSTM(3, batch_input_shape=(2, 4, 1), stateful=True),
                              keras.layers.Dense(1)])
    x = np.ones((2, 4, 1), "float32")
    first = model.predict(x, batch_size=2, verbose=0)
    assert not np.allclose(model.predict(x, batch_size=2, verbose=0), first)  # the state carried over
    model.reset_states()
    np.testing.assert_allclose(model.predict(x, batch_size=2, verbose=0), first, rtol=1e-6)
