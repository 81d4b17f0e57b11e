"""Exporting a model for inference: ONNX (`torch.onnx`) and `torch.export` programs.

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


def _export_onnx(wrapper, examples, filepath, **kwargs):
    try:
        import onnx  # noqa: F401  (torch.onnx needs it to write the file)
    except ImportError:
        raise ImportError(
            "Exporting to ONNX needs the `onnx` package: `pip install onnx` (and `onnxscript` for "
            "torch's dynamo exporter), or use `format=\"torch\"` for a torch.export program."
        ) from None
    names = [f"input_{i}" for i in range(len(examples))]
    dynamic_axes = {name: {0: "batch"} for name in names}
    kwargs.setdefault("dynamo", False)
    with atomic.atomic_path(filepath) as tmp:
        torch.onnx.export(wrapper, tuple(examples), tmp, input_names=names, output_names=["output"],
                          dynamic_axes=dynamic_axes, **kwargs)


def _export_torch(wrapper, examples, filepath, **kwargs):
    batch = torch.export.Dim("batch", min=1)
    # `forward(*inputs)` receives one tuple of tensors: the spec mirrors that structure.
    dynamic_shapes = (tuple({0: batch} for _ in examples),)
    program = torch.export.export(wrapper, tuple(examples), dynamic_shapes=dynamic_shapes, **kwargs)
    with atomic.atomic_path(filepath) as tmp:
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
    wrapper = _InferenceModel(model, len(examples))
    was_training = model.training
    model.eval()
    try:
        exporter(wrapper, examples, filepath, **kwargs)
    finally:
        model.train(was_training)
