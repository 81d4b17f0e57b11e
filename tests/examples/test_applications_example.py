"""examples/applications_transfer_learning.py runs offline: its "imagenet" VGG16 file is a randomly
initialised model's weights, served by a local HTTP server through the normal download path."""

import hashlib
import os
import runpy

from kerasish import applications
from kerasish.applications import vgg
from tests.applications.test_weights import server  # noqa: F401 - the local HTTP server fixture
from tests.conftest import REPO


def test_transfer_learning_example_runs_offline(server, monkeypatch, capsys):  # noqa: F811
    served = server / "vgg16" / "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
    applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3)).save_weights(str(served))
    monkeypatch.setitem(vgg._HASHES, "vgg16", ("0" * 32, hashlib.md5(served.read_bytes()).hexdigest()))
    example = runpy.run_path(os.path.join(REPO, "examples", "applications_transfer_learning.py"))
    accuracy = example["main"](epochs=2, fine_tune_epochs=1, n=64)
    out = capsys.readouterr().out
    assert "Downloading data from http://127.0.0.1" in out
    # Frozen base: only the head's kernel and bias train; then block5's 3 convolutions join.
    assert "Trainable weights with the base frozen: 2" in out
    assert "Trainable weights while fine-tuning: 8" in out
    assert 0.0 <= accuracy <= 1.0 and f"Test accuracy: {accuracy:.3f}" in out
