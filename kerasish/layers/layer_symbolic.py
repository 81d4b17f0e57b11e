"""A layer called on `KerasTensor`s: build it, infer its outputs, record a `Node`.

Output shapes come from the layer's own `compute_output_shape` when it declares one, otherwise
from running the layer on `meta` tensors (shapes only: no memory, no arithmetic), twice when a dim
is unknown (sizes 83 and 89; dims that differ are `None`). A layer whose code cannot run on meta
(it reads values, or a kernel has no meta implementation) runs on real zero tensors instead.
"""

import torch

from kerasish.backend import dtypes
from kerasish.backend.keras_tensor import KerasTensor
from kerasish.layers.input_spec import assert_input_compatibility
from kerasish.layers.layer_utils import _shape_of
from kerasish.ops import graph
from kerasish.ops.node import Node
from kerasish.ops.symbolic import FILL_SIZES


def symbolic_call(layer, args, kwargs):
    """`layer(*args, **kwargs)` on KerasTensors: builds the layer, returns output KerasTensors."""
    inputs = args[0] if args else kwargs.get("inputs")
    if layer.input_spec is not None:
        assert_input_compatibility(layer.input_spec, inputs, layer.name)
    if not layer.built:
        layer._maybe_build((inputs,), {})
    specs = _output_specs(layer, args, kwargs, _shape_of(inputs))
    outputs = graph.map_leaves(_spec_to_tensor, specs)
    Node(layer, args, dict(kwargs), outputs)
    for i, t in enumerate(graph.flatten(outputs)):
        t.name = layer.name if i == 0 else f"{layer.name}_{i}"
    return outputs


class _Spec:
    __slots__ = ("shape", "dtype", "mask_ndim")

    def __init__(self, shape, dtype, mask_ndim=None):
        self.shape, self.dtype, self.mask_ndim = tuple(shape), dtype, mask_ndim

    @classmethod
    def of(cls, t, shape=None):
        mask = getattr(t, "_keras_mask", None)
        return cls(t.shape if shape is None else shape, dtypes.dtype_name(t.dtype),
                   None if mask is None else mask.ndim)


def _spec_to_tensor(spec):
    t = KerasTensor(spec.shape, dtype=spec.dtype)
    # Symbolic tensors only record that a mask exists (and its rank); shape runs rebuild one.
    t._mask_ndim = spec.mask_ndim
    return t


def _output_specs(layer, args, kwargs, input_shapes):
    """A structure of (shape, dtype) leaves mirroring the layer's outputs."""
    from kerasish.layers.layer import Layer

    declared = type(layer).compute_output_shape is not Layer.compute_output_shape
    masked = layer._overrides_compute_mask or any(
        getattr(t, "_mask_ndim", None) is not None for t in graph.flatten((args, kwargs)))
    declared = declared and not masked
    simple = len(args) <= 1 and not any(isinstance(v, KerasTensor) for v in kwargs.values())
    if declared and simple and not getattr(layer, "_infer_shapes_by_running", False):
        try:
            shape = layer.compute_output_shape(input_shapes)
        except NotImplementedError:
            shape = None
        if shape is not None:
            # Layers whose outputs differ from their compute dtype (lookups give int64, a
            # string input layer gives "string") name it in `_symbolic_output_dtype`.
            dtype = getattr(layer, "_symbolic_output_dtype", None) or layer.compute_dtype
            return _shape_to_specs(shape, dtype)
    return run_for_shapes(layer, args, kwargs)


def _is_shape(s):
    return isinstance(s, (tuple, list)) and all(d is None or isinstance(d, int) for d in s)


def _shape_to_specs(shape, dtype):
    if _is_shape(shape):
        return _Spec(shape, dtype)
    if isinstance(shape, dict):
        return {k: _shape_to_specs(v, dtype) for k, v in shape.items()}
    return [_shape_to_specs(s, dtype) for s in shape]


_ZERO_SIZES = (2, 3)  # small sizes for the real-tensor fallback (memory and time)


def run_for_shapes(layer, args, kwargs):
    """Runs the layer on meta tensors (or zeros), twice when a size is unknown."""
    unknown = any(d is None for t in graph.flatten((args, kwargs))
                  if isinstance(t, KerasTensor) for d in t.shape)
    runs = None
    if _run_device(layer) == "meta":
        runs = _runs(layer, args, kwargs, FILL_SIZES, "meta", unknown)
    if runs is None:
        runs = _runs(layer, args, kwargs, _ZERO_SIZES, None, unknown)
    first, second = runs
    if second is None:
        return graph.map_leaves(_Spec.of, first)
    flat_a, flat_b = graph.flatten(first), graph.flatten(second)
    specs = []
    for a, b in zip(flat_a, flat_b):
        shape = tuple(da if da == db else None for da, db in zip(a.shape, b.shape))
        specs.append(_Spec.of(a, shape))
    return graph.pack_like(first, specs)


def _runs(layer, args, kwargs, sizes, device, unknown):
    first = _run_once(layer, args, kwargs, sizes[0], device)
    if first is None or not unknown:
        return None if first is None else (first, None)
    second = _run_once(layer, args, kwargs, sizes[1], device)
    return None if second is None else (first, second)


def _run_device(layer):
    """`"meta"` unless the layer is known to need real values."""
    if getattr(layer, "_symbolic_run_on_zeros", False):
        return None
    return "meta"


def _run_once(layer, args, kwargs, size, device):
    """The layer's outputs on stand-ins of the KerasTensors; None when meta tensors fail."""
    real_device = layer._weight_device()

    def stand_in(t):
        if not isinstance(t, KerasTensor):
            return t
        shape = tuple(size if d is None else d for d in t.shape)
        dev = device or real_device
        z = torch.zeros(shape, dtype=dtypes.to_torch_dtype(t.dtype), device=dev) if device is None \
            else torch.empty(shape, dtype=dtypes.to_torch_dtype(t.dtype), device=dev)
        mask_ndim = getattr(t, "_mask_ndim", None)
        if mask_ndim is not None:
            z._keras_mask = torch.ones(shape[:mask_ndim], dtype=torch.bool, device=dev)
        return z

    real_args = graph.map_leaves(stand_in, args)
    real_kwargs = graph.map_leaves(stand_in, dict(kwargs))
    real_kwargs.setdefault("training", False)
    try:
        with torch.no_grad():
            out = layer(*real_args, **real_kwargs)
    except Exception:  # noqa: BLE001  (on meta: any failure means "run on zeros")
        if device is None:
            raise
        return None
    if not isinstance(out, (torch.Tensor, list, tuple, dict)):
        raise TypeError(
            f"Layer {layer.name!r} returned a {type(out).__name__} when called on symbolic inputs; "
            f"expected a tensor or a list/tuple/dict of tensors. Received: output={out!r}"
        )
    # A meta input cannot be read, so an output on a real device (torch puts `embedding` of meta
    # indices on the weight's device) still has the right shape.
    return out
