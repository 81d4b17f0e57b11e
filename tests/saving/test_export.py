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


def test_export_temp_files_carry_the_format_suffix(tmp_path, monkeypatch):
    # torch.export.save wants a `.pt2` archive name; ONNX files are written under an `.onnx` name.
    seen = {}
    real_save, real_onnx = torch.export.save, torch.onnx.export

    def save(program, f, *args, **kwargs):
        seen["torch"] = str(f)
        return real_save(program, f, *args, **kwargs)

    def onnx_export(model, args, f=None, *rest, **kwargs):
        seen["onnx"], seen["dynamo"] = str(f), kwargs.get("dynamo")
        return real_onnx(model, args, f, *rest, **kwargs)

    monkeypatch.setattr(torch.export, "save", save)
    monkeypatch.setattr(torch.onnx, "export", onnx_export)
    model = _model()
    model.export(tmp_path / "model_file", format="torch")  # the user's name needs no suffix
    model.export(tmp_path / "m.onnx", format="onnx")
    assert seen["torch"].endswith(".pt2") and seen["onnx"].endswith(".onnx")
    assert seen["dynamo"] is True  # torch's dynamo exporter, not the deprecated TorchScript one
    assert torch.export.load(str(tmp_path / "model_file")) is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.onnx", "model_file"]  # no temp left


def test_onnx_export_dynamic_batch_multi_input(tmp_path):
    import onnxruntime

    a, b = kerasish.Input((3,), name="a"), kerasish.Input((2,), name="b")
    out = layers.Dense(2)(layers.Concatenate()([a, layers.Dense(3)(b)]))
    model = kerasish.Model([a, b], out)
    model.export(tmp_path / "two.onnx", format="onnx")
    session = onnxruntime.InferenceSession(str(tmp_path / "two.onnx"), providers=["CPUExecutionProvider"])
    assert [i.shape[0] for i in session.get_inputs()] == ["batch", "batch"]
    rng = np.random.default_rng(2)
    for n in (1, 9):
        xa, xb = rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 2)).astype("float32")
        names = [i.name for i in session.get_inputs()]
        (got,) = session.run(None, dict(zip(names, [xa, xb])))
        assert_close(got, model.predict([xa, xb], verbose=0), rtol=1e-5, atol=1e-6)


def test_onnx_export_conv_weights_in_torch_layout(tmp_path):
    import onnxruntime

    model = kerasish.Sequential([kerasish.Input((6, 3)), layers.Conv1D(4, 3), layers.GlobalAveragePooling1D()])
    model.export(tmp_path / "conv.onnx", format="onnx")
    session = onnxruntime.InferenceSession(str(tmp_path / "conv.onnx"), providers=["CPUExecutionProvider"])
    x = np.random.default_rng(3).normal(size=(5, 6, 3)).astype("float32")
    (got,) = session.run(None, {session.get_inputs()[0].name: x})
    assert_close(got, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_onnx_export_refuses_external_data(tmp_path):
    with pytest.raises(ValueError, match="Received: external_data=True"):
        _model().export(tmp_path / "m.onnx", format="onnx", external_data=True)
