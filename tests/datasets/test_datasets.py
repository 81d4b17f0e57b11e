"""Datasets downloaded from a local HTTP server (never the internet), hash checks, offline errors."""

import functools
import hashlib
import http.server
import io
import tarfile
import threading
import warnings

import numpy as np
import pytest

from kerasish.datasets import boston_housing, cifar10, imdb, mnist


@pytest.fixture
def server(tmp_path, monkeypatch):
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KERASISH_DATASETS_ORIGIN", f"http://127.0.0.1:{httpd.server_address[1]}/")
    yield root
    httpd.shutdown()


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_mnist_download_hash_and_cache(server, tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 255, (5, 28, 28), dtype=np.uint8), "y_train": np.arange(5, dtype=np.uint8),
              "x_test": rng.integers(0, 255, (2, 28, 28), dtype=np.uint8), "y_test": np.arange(2, dtype=np.uint8)}
    np.savez(server / "mnist.npz", **arrays)
    monkeypatch.setattr(mnist, "FILE_HASH", _sha256(server / "mnist.npz"))
    (x_train, y_train), (x_test, _) = mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    assert (tmp_path / "home" / "datasets" / "mnist.npz").exists()
    (server / "mnist.npz").unlink()  # cached now: no second download
    assert mnist.load_data()[1][0].shape == (2, 28, 28)


def test_hash_mismatch_raises(server, monkeypatch):
    np.savez(server / "boston_housing.npz", x=np.zeros((10, 13)), y=np.zeros(10))
    monkeypatch.setattr(boston_housing, "FILE_HASH", "0" * 64)
    with pytest.raises(ValueError, match="hash does not match"):
        boston_housing.load_data()


def test_boston_shuffle_split_matches_keras_rule(server, monkeypatch):
    x, y = np.arange(40.0).reshape(20, 2), np.arange(20.0)
    np.savez(server / "boston_housing.npz", x=x, y=y)
    monkeypatch.setattr(boston_housing, "FILE_HASH", _sha256(server / "boston_housing.npz"))
    (x_train, y_train), (x_test, _) = boston_housing.load_data(test_split=0.25, seed=3)
    idx = np.arange(20)
    np.random.RandomState(3).shuffle(idx)
    np.testing.assert_array_equal(y_train, y[idx][:15])
    assert x_test.shape == (5, 2)


def test_mnist_offline_falls_back_to_bundled_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KERASISH_DATASETS_ORIGIN", "http://127.0.0.1:9/")  # nothing listens there
    with pytest.warns(UserWarning, match="5,000-digit MNIST sample"):
        (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert x_train.shape == (4000, 28, 28) and x_test.shape == (1000, 28, 28)


def test_offline_error_names_file_and_place(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KERASISH_DATASETS_ORIGIN", "http://127.0.0.1:9/")
    with pytest.raises(RuntimeError) as info:
        boston_housing.load_data()
    message = str(info.value)
    assert "http://127.0.0.1:9/boston_housing.npz" in message
    assert str(tmp_path / "home" / "datasets" / "boston_housing.npz") in message


def test_imdb_object_arrays_without_pickle(server, monkeypatch):
    x = np.empty(4, dtype=object)
    x[:] = [[1, 2, 3], [4, 5], [6, 1, 1, 9], [2]]
    np.savez(server / "imdb.npz", x_train=x, y_train=np.array([0, 1, 0, 1]), x_test=x[:2], y_test=np.array([1, 0]))
    monkeypatch.setattr(imdb, "FILE_HASH", _sha256(server / "imdb.npz"))
    (x_train, y_train), (x_test, _) = imdb.load_data(num_words=8, seed=113)
    idx = np.arange(4)
    np.random.RandomState(113).shuffle(idx)
    expected = [[1] + [w + 3 if w + 3 < 8 else 2 for w in x[i]] for i in idx]
    assert [list(s) for s in x_train] == expected
    np.testing.assert_array_equal(y_train, np.array([0, 1, 0, 1])[idx])
    assert x_train.dtype == object and len(x_test) == 2


def test_imdb_refuses_other_pickled_objects(tmp_path):
    from kerasish.datasets import _safe_npz

    evil = np.empty(1, dtype=object)
    evil[0] = {1, 2}  # a set pickles as a call to builtins.set: must not be executed
    np.savez(tmp_path / "bad.npz", x=evil)
    with pytest.raises(ValueError, match="Refusing|Unsupported"):
        _safe_npz.load_npz(tmp_path / "bad.npz")


def test_cifar10_binary_archive(server, monkeypatch):
    rng = np.random.default_rng(1)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, n in [(f"data_batch_{i}.bin", 2) for i in range(1, 6)] + [("test_batch.bin", 3)]:
            records = np.concatenate([rng.integers(0, 10, (n, 1)), rng.integers(0, 255, (n, 3072))], axis=1)
            data = records.astype(np.uint8).tobytes()
            info = tarfile.TarInfo(f"cifar-10-batches-bin/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    (server / "cifar-10-binary.tar.gz").write_bytes(buf.getvalue())
    monkeypatch.setattr(cifar10, "MD5", hashlib.md5(buf.getvalue()).hexdigest())
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (10, 32, 32, 3) and y_train.shape == (10, 1) and x_test.shape == (3, 32, 32, 3)
    assert x_train.dtype == np.uint8


def test_get_file_extract_refuses_path_traversal(server):
    from kerasish.utils import get_file

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    (server / "evil.tar.gz").write_bytes(buf.getvalue())
    origin = __import__("os").environ["KERASISH_DATASETS_ORIGIN"] + "evil.tar.gz"
    with warnings.catch_warnings(), pytest.raises(ValueError, match="outside"):
        get_file("evil.tar.gz", origin=origin, extract=True)
