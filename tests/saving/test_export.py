"""`model.export`: torch.export programs (and ONNX when `onnx` is installed), plus `state_dict`."""

import importlib.util

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers
from tests.conftest import assert_close


def _model():
    return kerasish.Sequential([kerasish.Input((5,)), layers.Dense(4, activation="relu"),
                                layers.Dropout(0.5), layers.Dense(2)])


def test_torch_export_program_matches_predict(tmp_path):
    model = _model()
    model.export(tmp_path / "m.pt2", format="torch")
    program = torch.export.load(str(tmp_path / "m.pt2"))
    x = np.random.default_rng(0).normal(size=(7, 5)).astype("float32")  # another batch size
    out = program.module()(torch.from_numpy(x))
    assert_close(out.detach().numpy(), model.predict(x, verbose=0), rtol=1e-6, atol=1e-6)


def test_onnx_export_runs_in_onnxruntime(tmp_path):
    import onnx
    import onnxruntime

    model = _model()
    model.export(tmp_path / "m.onnx", format="onnx")
    onnx.checker.check_model(onnx.load(str(tmp_path / "m.onnx")))
    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    x = np.random.default_rng(1).normal(size=(6, 5)).astype("float32")  # another batch size
    (out,) = session.run(None, {session.get_inputs()[0].name: x})
    assert_close(out, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_onnx_export_without_onnx_says_what_to_install(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "onnx", None)  # as if not installed
    with pytest.raises(ImportError, match="pip install onnx"):
        _model().export(tmp_path / "m.onnx", format="onnx")
    assert not (tmp_path / "m.onnx").exists()


def test_export_errors(tmp_path):
    with pytest.raises(ValueError, match="Unsupported export format"):
        _model().export(tmp_path / "m.bin", format="tflite")
    unbuilt = kerasish.Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match="input shape is unknown"):
        unbuilt.export(tmp_path / "m.pt2", format="torch")
    unbuilt.export(tmp_path / "m.pt2", format="torch", input_signature=[(None, 3)])
    assert (tmp_path / "m.pt2").exists()


def test_state_dict_round_trip():
    # state_dict keys are layer names (torch layouts); two models need the same names.
    model = _model()
    kerasish.backend.clear_session()
    other = _model()
    other.load_state_dict(model.state_dict())
    x = np.ones((2, 5), dtype="float32")
    assert_close(other.predict(x, verbose=0), model.predict(x, verbose=0), rtol=0, atol=0)
