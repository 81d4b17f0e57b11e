"""Runs a classic example on small local data: `python -m kerasish -m _data SCRIPT.py [args...]`.

The example scripts are plain Keras 2 programs and know nothing of this module. Run through it (with
this folder on `PYTHONPATH`), a script is executed exactly as `python -m kerasish SCRIPT.py` would run
it, after two test-only substitutions, each switched on by an environment variable:

- `KERASISH_EXAMPLE_DATA=synthetic`: `keras.datasets` reads small files written here instead of
  downloading Keras's — MNIST is a slice of the real 5,000-digit sample bundled with kerasish; IMDB,
  Reuters and CIFAR-10 are synthetic, with Keras's shapes, dtypes and file formats and a learnable
  signal (the real loaders still parse them, so `num_words`, `maxlen`, `index_from` all apply).
- `KERASISH_EXAMPLE_MAX_EPOCHS=N`: `fit` / `fit_generator` train for at most N epochs.
"""

import inspect
import json
import os
import sys
import tempfile

import numpy as np

DATA_ENV = "KERASISH_EXAMPLE_DATA"
EPOCHS_ENV = "KERASISH_EXAMPLE_MAX_EPOCHS"


def _write_mnist(folder):
    from kerasish.datasets import mnist

    with np.load(mnist.SAMPLE_PATH) as f:
        # A slice keeps every script's epoch to a few seconds on a small CPU.
        np.savez(os.path.join(folder, "mnist.npz"), x_train=f["x_train"][:1500], y_train=f["y_train"][:1500],
                 x_test=f["x_test"][:500], y_test=f["y_test"][:500])


def _word_lists(rng, labels, n_classes, vocab, min_len, max_len):
    """Reviews/newswires as word-rank lists: common filler words plus words that give away the label."""
    band = (vocab - 100) // n_classes
    seqs = []
    for label in labels:
        n = int(rng.randint(min_len, max_len))
        filler = rng.zipf(1.3, size=n) % 100 + 1
        telling = 101 + label * band + rng.randint(0, band, size=n)
        seqs.append([int(w) for w in np.where(rng.rand(n) < 0.3, telling, filler)])
    return seqs


def _object_array(seqs):
    out = np.empty(len(seqs), dtype=object)
    out[:] = seqs
    return out


def _write_word_index(path, vocab):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({f"word{i}": i for i in range(1, vocab + 1)}, f)


def _write_imdb(folder, rng):
    y_train, y_test = rng.randint(0, 2, 600), rng.randint(0, 2, 200)
    np.savez(os.path.join(folder, "imdb.npz"),
             x_train=_object_array(_word_lists(rng, y_train, 2, 8000, 20, 160)), y_train=y_train,
             x_test=_object_array(_word_lists(rng, y_test, 2, 8000, 20, 160)), y_test=y_test)
    _write_word_index(os.path.join(folder, "imdb_word_index.json"), 8000)


def _write_reuters(folder, rng):
    y = rng.randint(0, 46, 800)
    np.savez(os.path.join(folder, "reuters.npz"), x=_object_array(_word_lists(rng, y, 46, 3000, 20, 120)), y=y)
    _write_word_index(os.path.join(folder, "reuters_word_index.json"), 3000)


def _write_cifar10(folder, rng):
    root = os.path.join(folder, "cifar-10-batches-bin")
    os.makedirs(root, exist_ok=True)
    colors = rng.randint(0, 256, size=(10, 3, 1, 1))  # each class has its own mean colour
    for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
        labels = rng.randint(0, 10, 100).astype(np.uint8)
        noise = rng.randint(-60, 61, size=(100, 3, 32, 32))
        pixels = np.clip(colors[labels] + noise, 0, 255).astype(np.uint8)
        records = np.concatenate([labels[:, None], pixels.reshape(100, -1)], axis=1)
        records.tofile(os.path.join(root, name))


def install_synthetic_data(folder=None):
    """Writes the small files into `folder` and makes `keras.datasets` read them, never downloading."""
    from kerasish.datasets import _fetch

    folder = folder or tempfile.mkdtemp(prefix="kerasish_example_data_")
    rng = np.random.RandomState(1337)
    _write_mnist(folder)
    _write_imdb(folder, rng)
    _write_reuters(folder, rng)
    _write_cifar10(folder, rng)

    def local_fetch(fname, remote_name=None, file_hash=None, **kwargs):
        path = os.path.join(folder, os.path.basename(remote_name or fname))
        if fname.startswith("cifar-10"):
            return folder
        if not os.path.exists(path):
            raise RuntimeError(f"No small local copy of {fname!r} for the examples. Received: fname={fname!r}")
        return path

    _fetch.fetch = local_fetch
    return folder


def cap_epochs(max_epochs):
    """Makes `Model.fit` (and so `fit_generator`) train for at most `max_epochs` epochs."""
    from kerasish.models import Model

    fit = Model.fit
    signature = inspect.signature(fit)

    def capped_fit(self, *args, **kwargs):
        if "nb_epoch" in kwargs:
            kwargs["epochs"] = kwargs.pop("nb_epoch")
        bound = signature.bind(self, *args, **kwargs)
        epochs = bound.arguments.get("epochs", 1)
        initial = bound.arguments.get("initial_epoch", 0)
        bound.arguments["epochs"] = min(epochs, initial + max_epochs)
        return fit(*bound.args, **bound.kwargs)

    Model.fit = capped_fit


def main(argv):
    if os.environ.get(DATA_ENV) == "synthetic":
        install_synthetic_data()
    if os.environ.get(EPOCHS_ENV):
        cap_epochs(int(os.environ[EPOCHS_ENV]))
    from kerasish.__main__ import main as run_script

    return run_script(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
