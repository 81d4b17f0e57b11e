"""Runs `examples/mnist_cnn.py` (the seed tutorial's CNN) end to end on the bundled MNIST sample."""

import importlib.util
import os

from tests.conftest import MNIST_5K, REPO


def test_mnist_cnn_example_reaches_95_percent(tmp_path):
    path = os.path.join(REPO, "examples", "mnist_cnn.py")
    spec = importlib.util.spec_from_file_location("mnist_cnn_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    loss, accuracy = module.main(["--data", MNIST_5K])
    assert accuracy >= 0.95, f"test accuracy {accuracy:.4f} < 0.95 (loss {loss:.4f})"
