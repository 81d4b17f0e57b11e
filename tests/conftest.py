"""Test configuration: Keras 3 (the parity reference) runs on the torch backend, on the CPU."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("KERASISH_DEVICE", "cpu")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "" if os.environ.get("KERASISH_TEST_CUDA") != "1" else os.environ.get("CUDA_VISIBLE_DEVICES", "0"))

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

if os.environ.get("PYTEST_XDIST_WORKER"):
    # Two workers on two cores: one thread each avoids oversubscription.
    torch.set_num_threads(1)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_DATA = os.path.join(os.path.dirname(REPO), "shared", "data")
# The shared 5,000-digit sample; the same file ships inside the package (a clone without
# ../shared still has it).
MNIST_5K = os.path.join(SHARED_DATA, "mnist_5k.npz")
if not os.path.exists(MNIST_5K):
    MNIST_5K = os.path.join(REPO, "kerasish", "datasets", "data", "mnist_5k.npz")


@pytest.fixture(autouse=True)
def _fresh_session():
    """Each test starts with fresh automatic names and a fixed seed."""
    import kerasish

    kerasish.backend.clear_session()
    kerasish.utils.set_random_seed(1234)
    yield


@pytest.fixture
def keras():
    """Real Keras 3 on the torch backend (the reference for parity tests)."""
    import keras as real_keras

    if real_keras.backend.backend() != "torch":
        pytest.fail("Parity tests need Keras on the torch backend: set KERAS_BACKEND=torch before keras is imported.")
    real_keras.utils.clear_session()
    return real_keras


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def assert_close(actual, expected, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=rtol, atol=atol)
