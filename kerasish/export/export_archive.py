"""`ExportArchive`: serving endpoints of kerasish models written as `torch.export` programs (or
ONNX files), one file per endpoint in a directory.

Keras 3 writes a TensorFlow SavedModel here (on its torch backend through torch_xla and
TensorFlow); kerasish runs without TensorFlow, so it writes what PyTorch serves instead:
`<dir>/<endpoint>.pt2` (load with `torch.export.load`) or `<dir>/<endpoint>.onnx`, plus
`endpoints.json` describing the inputs. `format="saved_model"` is refused with a clear error.
"""

import json
import os

import numpy as np
import torch

from kerasish.backend import dtypes
from kerasish.saving import atomic
from kerasish.saving import export as export_lib

_FORMATS = ("torch", "onnx")


class _Endpoint(torch.nn.Module):
    """`fn` as a module that owns the tracked layers, so their weights are the program's
    parameters (not constants baked into the graph)."""

    def __init__(self, fn, resources):
        super().__init__()
        self.fn = fn
        self.resources = torch.nn.ModuleList([r for r in resources if isinstance(r, torch.nn.Module)])

    def forward(self, *inputs):
        return self.fn(*inputs)


def _spec(spec):
    """(shape, dtype) of an input spec: an `InputSpec`, a KerasTensor, a tensor or a shape."""
    shape = getattr(spec, "shape", spec)
    if shape is None:
        raise ValueError(f"Each input spec needs a shape. Received: input_signature entry {spec!r}")
    dtype = getattr(spec, "dtype", None) or "float32"
    return tuple(None if d is None else int(d) for d in shape), dtypes.to_torch_dtype(dtypes.dtype_name(dtype))


class ExportArchive:
    """Writes inference endpoints of kerasish models and layers for serving from PyTorch.

    Args:
        format: `"torch"` (default: `torch.export` programs, `*.pt2`) or `"onnx"` (`*.onnx`,
            needs the `onnx` package). Keras's `"saved_model"` needs TensorFlow and is refused.

    Example:

    ```python
    archive = kerasish.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint("serve", lambda x: model(x, training=False),
                         input_signature=[kerasish.InputSpec(shape=(None, 3), dtype="float32")])
    archive.write_out("exported")
    program = torch.export.load("exported/serve.pt2")
    outputs = program.module()(inputs)
    ```
    """

    def __init__(self, format=None):
        format = "torch" if format is None else format
        if format == "saved_model":
            raise ValueError(
                "kerasish cannot write a TensorFlow SavedModel (it runs without TensorFlow). Use "
                "ExportArchive(format='torch') for torch.export programs or format='onnx'. "
                f"Received: format={format!r}")
        if format not in _FORMATS:
            raise ValueError(f"Unsupported format: expected one of {_FORMATS}. Received: format={format!r}")
        self.format = format
        self._tracked = []
        self._endpoints = {}
        self._variable_collections = {}

    @property
    def variables(self):
        return [v for r in self._tracked for v in getattr(r, "weights", [])]

    @property
    def trainable_variables(self):
        return [v for r in self._tracked for v in getattr(r, "trainable_weights", [])]

    @property
    def non_trainable_variables(self):
        return [v for r in self._tracked for v in getattr(r, "non_trainable_weights", [])]

    def track(self, resource):
        """Registers a built layer or model whose weights the endpoints use."""
        if not isinstance(resource, torch.nn.Module):
            raise ValueError("Invalid resource type. Expected a kerasish Layer or Model (a "
                             f"torch.nn.Module). Received: resource={resource!r}")
        if not getattr(resource, "built", True):
            raise ValueError("The layer provided has not yet been built. It must be built before "
                             f"export. Received: resource={resource!r}")
        if not any(resource is r for r in self._tracked):
            self._tracked.append(resource)

    def add_endpoint(self, name, fn, input_signature=None, **kwargs):
        """Registers endpoint `name`: `fn(*inputs)` with inputs described by `input_signature`
        (a list of `InputSpec`s, KerasTensors or shapes; `None` dims are dynamic).

        The endpoint is callable on the archive (`archive.serve(x)`) before it is written.
        """
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"An endpoint name must be a Python identifier. Received: name={name!r}")
        if name in self._endpoints:
            raise ValueError(f"Endpoint name '{name}' is already taken. Received: name={name!r}")
        if input_signature is None:
            raise ValueError("kerasish needs the endpoint's `input_signature` (shapes and dtypes) "
                             "to trace it. Received: input_signature=None")
        if kwargs:
            raise ValueError(f"Unsupported keyword arguments. Received: {sorted(kwargs)}")
        specs = [_spec(s) for s in (input_signature if isinstance(input_signature, (list, tuple))
                                    else [input_signature])]
        self._endpoints[name] = (fn, specs)
        return fn

    def track_and_add_endpoint(self, name, resource, input_signature, **kwargs):
        """`track(resource)` and an endpoint calling it in inference mode."""
        self.track(resource)
        return self.add_endpoint(name, lambda *x: resource(x[0] if len(x) == 1 else list(x), training=False),
                                 input_signature, **kwargs)

    def add_variable_collection(self, name, variables):
        """Stores a named list of variables, written as `<name>.npz` (arrays `0`, `1`, ...)."""
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"A collection name must be a Python identifier. Received: name={name!r}")
        self._variable_collections[name] = list(variables)

    def __getattr__(self, name):
        endpoints = self.__dict__.get("_endpoints", {})
        if name in endpoints:
            return endpoints[name][0]
        raise AttributeError(f"'ExportArchive' object has no attribute {name!r}")

    def write_out(self, filepath, verbose=True):
        """Writes every endpoint into the directory `filepath` (created if needed)."""
        if not self._endpoints:
            raise ValueError("No endpoints have been set yet. Call add_endpoint() first. "
                             f"Received: filepath={filepath}")
        os.makedirs(filepath, exist_ok=True)
        description = {}
        for name, (fn, specs) in self._endpoints.items():
            description[name] = self._write_endpoint(filepath, name, fn, specs)
        for name, variables in self._variable_collections.items():
            arrays = {str(i): np.asarray(v.detach().cpu() if torch.is_tensor(v) else v)
                      for i, v in enumerate(variables)}
            with atomic.atomic_path(os.path.join(filepath, f"{name}.npz")) as tmp:
                with open(tmp, "wb") as f:
                    np.savez(f, **arrays)
        with atomic.atomic_path(os.path.join(filepath, "endpoints.json")) as tmp:
            with open(tmp, "w") as f:
                json.dump({"format": self.format, "endpoints": description}, f, indent=2)
        if verbose:
            print(f"Saved {self.format} artifact at '{filepath}': endpoints {sorted(description)}.")

    def _write_endpoint(self, directory, name, fn, specs):
        module = _Endpoint(fn, self._tracked)
        examples = [torch.zeros([2 if d is None else d for d in shape], dtype=dtype)
                    for shape, dtype in specs]
        was_training = [(r, r.training) for r in module.resources]
        module.eval()
        try:
            if self.format == "onnx":
                path = os.path.join(directory, f"{name}.onnx")
                export_lib._export_onnx(module, examples, path, dynamic_shapes=self._dynamic_shapes(specs))
            else:
                path = os.path.join(directory, f"{name}.pt2")
                self._export_program(module, examples, specs, path)
        finally:
            for r, mode in was_training:
                r.train(mode)
        return {"file": os.path.basename(path),
                "inputs": [{"shape": list(shape), "dtype": str(dtype).replace("torch.", "")}
                           for shape, dtype in specs]}

    @staticmethod
    def _dynamic_shapes(specs):
        batch = torch.export.Dim("batch", min=1)
        return (tuple({i: (batch if i == 0 else torch.export.Dim(f"dim_{k}_{i}", min=1))
                       for i, d in enumerate(shape) if d is None} or None
                      for k, (shape, _) in enumerate(specs)),)

    @classmethod
    def _export_program(cls, module, examples, specs, path):
        program = torch.export.export(module, tuple(examples), dynamic_shapes=cls._dynamic_shapes(specs),
                                      strict=False)
        export_lib.save_program(program, path)
