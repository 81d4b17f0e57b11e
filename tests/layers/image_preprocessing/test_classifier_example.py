"""`examples/image_augmentation_classifier.py`: a CNN with augmentation layers inside the model
trains end to end, saves to `.keras`, and reloads (in kerasish and in real Keras 3) with the
same predictions."""

import importlib.util
import os

import numpy as np
import pytest

from tests.conftest import MNIST_5K, REPO


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    path = os.path.join(REPO, "examples", "image_augmentation_classifier.py")
    spec = importlib.util.spec_from_file_location("image_augmentation_classifier", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("classifier") / "augmented.keras"
    return module.main(["--data", MNIST_5K, "--epochs", "2", "--out", str(out)]) + (out,)


def test_trains_and_reloads_with_identical_predictions(trained):
    model, reloaded, (x_test, y_test), accuracy, _ = trained
    assert accuracy >= 0.8, accuracy
    np.testing.assert_array_equal(model.predict(x_test, verbose=0),
                                  reloaded.predict(x_test, verbose=0))
    # The augmentation is live in training and the identity in inference.
    augmentation = reloaded.get_layer("augmentation")
    batch = x_test[:8].astype("float32") / 255
    assert not np.allclose(augmentation(batch, training=True).numpy(), batch)
    np.testing.assert_array_equal(augmentation(batch, training=False).numpy(), batch)


def test_real_keras_loads_the_file_with_the_same_predictions(keras, trained):
    model, _, (x_test, _), _, path = trained
    theirs = keras.models.load_model(path)
    assert [type(layer).__name__ for layer in theirs.get_layer("augmentation").layers] == [
        "RandomRotation", "RandomZoom", "RandomTranslation"]
    np.testing.assert_allclose(np.asarray(theirs.predict(x_test[:64], verbose=0)),
                               model.predict(x_test[:64], verbose=0), rtol=1e-4, atol=1e-5)
