"""`kerasish.export.ExportArchive`: endpoints written as torch.export programs or ONNX files give
the model's (and Keras 3's) outputs, with a dynamic batch; bad input gets clear errors."""

import json

import numpy as np
import pytest
import torch

import kerasish
from tests.conftest import assert_close


def _model(lib):
    return lib.Sequential([lib.Input((3,)), lib.layers.Dense(4, activation="relu"),
                           lib.layers.Dropout(0.5), lib.layers.Dense(2)])


@pytest.fixture
def models(keras):
    ours, theirs = _model(kerasish), _model(keras)
    theirs.set_weights(ours.get_weights())
    return ours, theirs


def _archive(model, fmt):
    archive = kerasish.export.ExportArchive(format=fmt)
    archive.track(model)
    archive.add_endpoint("serve", lambda x: model(x, training=False),
                         input_signature=[kerasish.InputSpec(shape=(None, 3), dtype="float32")])
    return archive


def test_torch_program_gives_keras_outputs(models, keras, tmp_path):
    ours, theirs = models
    _archive(ours, None).write_out(tmp_path, verbose=False)
    program = torch.export.load(tmp_path / "serve.pt2")
    for batch in (1, 5):  # the batch dimension stays dynamic
        x = np.random.default_rng(batch).normal(size=(batch, 3)).astype("float32")
        out = program.module()(torch.from_numpy(x)).detach().numpy()
        assert_close(out, keras.ops.convert_to_numpy(theirs(x, training=False)), rtol=1e-5, atol=1e-6)
    description = json.loads((tmp_path / "endpoints.json").read_text())
    assert description["endpoints"]["serve"]["inputs"] == [{"shape": [None, 3], "dtype": "float32"}]
    # The weights are the program's parameters, not constants folded into the graph.
    assert any("kernel" in name for name in program.state_dict)


def test_onnx_endpoint_runs_in_onnxruntime(models, keras, tmp_path):
    import onnxruntime

    ours, theirs = models
    _archive(ours, "onnx").write_out(tmp_path, verbose=False)
    session = onnxruntime.InferenceSession(str(tmp_path / "serve.onnx"))
    x = np.random.default_rng(0).normal(size=(7, 3)).astype("float32")
    out = session.run(None, {session.get_inputs()[0].name: x})[0]
    assert_close(out, keras.ops.convert_to_numpy(theirs(x, training=False)), rtol=1e-5, atol=1e-6)


def test_track_and_add_endpoint_and_variable_collections(models, tmp_path):
    ours, _ = models
    archive = kerasish.export.ExportArchive()
    archive.track_and_add_endpoint("call", ours, [kerasish.InputSpec(shape=(None, 3))])
    archive.add_variable_collection("kernels", [ours.layers[0].kernel])
    x = np.ones((2, 3), "float32")
    assert_close(archive.call(torch.from_numpy(x)).detach().numpy(), ours.predict(x, verbose=0))
    archive.write_out(tmp_path, verbose=False)
    with np.load(tmp_path / "kernels.npz", allow_pickle=False) as saved:
        assert_close(saved["0"], ours.layers[0].get_weights()[0])
    assert len(archive.variables) == len(ours.weights)


def test_bad_input_is_refused(models, tmp_path):
    ours, _ = models
    with pytest.raises(ValueError, match="SavedModel.*Received: format='saved_model'"):
        kerasish.export.ExportArchive(format="saved_model")
    archive = _archive(ours, "torch")
    with pytest.raises(ValueError, match="already taken. Received: name='serve'"):
        archive.add_endpoint("serve", ours, input_signature=[(None, 3)])
    with pytest.raises(ValueError, match="Received: input_signature=None"):
        archive.add_endpoint("other", ours)
    with pytest.raises(ValueError, match="Received: resource="):
        archive.track("not a layer")
    with pytest.raises(ValueError, match="not yet been built"):
        archive.track(kerasish.layers.Dense(2))
    with pytest.raises(ValueError, match="No endpoints"):
        kerasish.export.ExportArchive().write_out(tmp_path)
