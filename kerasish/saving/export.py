"""Exporting a model for inference: ONNX (torch's dynamo exporter) and `torch.export` programs.

Both trace the model in inference mode (`training=False`) on an example input made from the model's
input shapes (or given by the caller); the batch dimension stays dynamic.
"""

import numpy as np
import torch

from kerasish.saving import atomic

_EXAMPLE_BATCH = 2


class _InferenceModel(torch.nn.Module):
    """Calls the model with positional tensors and `training=False` (what exporters trace)."""

    def __init__(self, model, n_inputs):
        super().__init__()
        self.model = model
        self.n_inputs = n_inputs

    def forward(self, *inputs):
        x = list(inputs) if self.n_inputs > 1 else inputs[0]
        return self.model(x, training=False)


def _input_shapes(model, input_signature):
    if input_signature is not None:
        shapes = input_signature
    else:
        inputs = getattr(model, "inputs", None)
        if inputs:
            shapes = [tuple(t.shape) for t in inputs]
        else:
            try:
                shapes = model.input_shape
            except (AttributeError, ValueError):
                shapes = None
        if shapes is None:
            raise ValueError(
                "Cannot export a model whose input shape is unknown: build it (call it on data) or "
                "pass `input_signature=[(None, ...)]` or `sample_input=...`. Received: input_signature=None"
            )
    if shapes and isinstance(shapes[0], (int, type(None))):
        shapes = [shapes]
    return [tuple(getattr(s, "shape", s)) for s in shapes]


def _example_inputs(model, input_signature, sample_input):
    if sample_input is not None:
        items = sample_input if isinstance(sample_input, (list, tuple)) else [sample_input]
        return [torch.as_tensor(np.asarray(x) if not torch.is_tensor(x) else x) for x in items]
    device = model._model_device()
    out = []
    for shape in _input_shapes(model, input_signature):
        dims = [_EXAMPLE_BATCH if i == 0 and d is None else (1 if d is None else int(d))
                for i, d in enumerate(shape)]
        out.append(torch.zeros(dims, dtype=torch.float32, device=device))
    return out


def batch_dynamic_shapes(examples):
    """`dynamic_shapes` for `forward(*inputs)`: one tuple of tensors, each with a dynamic batch."""
    batch = torch.export.Dim("batch", min=1)
    return (tuple({0: batch} for _ in examples),)


def _export_onnx(wrapper, examples, filepath, dynamic_shapes=None, **kwargs):
    """ONNX through torch's dynamo exporter (`torch.export`, then onnxscript), the one ONNX path
    of `Model.export` and `ExportArchive`."""
    try:
        import onnx  # noqa: F401  (torch.onnx needs it to write the file)
        import onnxscript  # noqa: F401  (the dynamo exporter translates with it)
    except ImportError:
        raise ImportError(
            "Exporting to ONNX needs the `onnx` and `onnxscript` packages: `pip install onnx onnxscript` "
            "(or `pip install \"kerasish[onnx]\"`), or use `format=\"torch\"` for a torch.export program."
        ) from None
    if kwargs.get("dynamo", True) is not True:
        raise ValueError("kerasish exports ONNX with torch's dynamo exporter only (the TorchScript "
                         f"exporter is deprecated by torch). Received: dynamo={kwargs['dynamo']!r}")
    if kwargs.pop("external_data", False):
        # The weights file's name is written inside the model: it would name the temp file.
        raise ValueError("`external_data=True` is not supported: kerasish writes the weights inside "
                         "the .onnx file (models under 2 GB). Received: external_data=True")
    kwargs.pop("dynamo", None)
    kwargs.setdefault("input_names", [f"input_{i}" for i in range(len(examples))])
    kwargs.setdefault("output_names", ["output"])
    kwargs.setdefault("verbose", False)
    if dynamic_shapes is None:
        dynamic_shapes = batch_dynamic_shapes(examples)
    with atomic.atomic_path(filepath, suffix=".onnx") as tmp:
        torch.onnx.export(wrapper, tuple(examples), tmp, dynamo=True, external_data=False,
                          dynamic_shapes=dynamic_shapes, **kwargs)


def _export_torch(wrapper, examples, filepath, **kwargs):
    program = torch.export.export(wrapper, tuple(examples), dynamic_shapes=batch_dynamic_shapes(examples),
                                  **kwargs)
    save_program(program, filepath)


def save_program(program, filepath):
    """`torch.export.save` through an atomic temp file named `*.pt2` (the archive name torch expects)."""
    with atomic.atomic_path(filepath, suffix=".pt2") as tmp:
        torch.export.save(program, tmp)


_EXPORTERS = {"onnx": _export_onnx, "torch": _export_torch, "torch_export": _export_torch,
              "pt2": _export_torch}


def export_model(model, filepath, format="onnx", input_signature=None, sample_input=None, **kwargs):
    """Writes `model` as ONNX or as a `torch.export` program (see `Model.export`)."""
    exporter = _EXPORTERS.get(str(format).lower())
    if exporter is None:
        raise ValueError(
            f"Unsupported export format: expected one of {sorted(_EXPORTERS)}. Received: format={format!r}"
        )
    examples = _example_inputs(model, input_signature, sample_input)
    wrapper = _InferenceModel(model, len(examples)).eval()
    was_training = model.training
    model.eval()
    try:
        exporter(wrapper, examples, filepath, **kwargs)
    finally:
        model.train(was_training)
