"""examples/text_vectorization_classifier.py: a string-input model (TextVectorization ->
Embedding -> pooling -> Dense) trains end to end, saves to `.keras` and reloads identically."""

import importlib.util
import os
import zipfile

import numpy as np

from tests.conftest import REPO


def test_text_classifier_trains_saves_and_reloads(tmp_path):
    path = os.path.join(REPO, "examples", "text_vectorization_classifier.py")
    spec = importlib.util.spec_from_file_location("text_vectorization_classifier", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    model, reloaded, accuracy, (x_test, before, after) = example.main(quick=True,
                                                                       folder=str(tmp_path))
    assert accuracy > 0.8  # chance is 0.5: the words' sentiment was learned from raw strings
    np.testing.assert_array_equal(before, after)
    assert reloaded.layers[1].get_vocabulary() == model.layers[1].get_vocabulary()
    with zipfile.ZipFile(tmp_path / "text_classifier.keras") as z:
        vocab = z.read("assets/layers/text_vectorization/vocabulary.txt").decode().splitlines()
    assert vocab == model.layers[1].get_vocabulary()
    # Raw strings in, the same as vectorizing first and calling the rest of the model.
    ids = model.layers[1](x_test[:4])
    assert ids.shape == (4, 20) and ids.dtype.is_floating_point is False
