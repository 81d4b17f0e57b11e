"""`InputSpec`: what a layer expects of its inputs (rank, axis sizes, dtype).

Checked when a layer is called on symbolic tensors, and when a call on real tensors fails, to turn a
torch shape error into Keras's message.
"""


class InputSpec:
    """What a layer expects of its inputs: checked when it is called on symbolic tensors, and
    used to turn a torch shape error into Keras's message. Set `layer.input_spec` in `__init__`
    or `build`.

    Args:
        dtype: expected dtype. Defaults to `None` (any).
        shape: expected shape, `None` for any size of a dimension. Defaults to `None`.
        ndim: expected rank. Defaults to `None`.
        max_ndim: largest accepted rank. Defaults to `None`.
        min_ndim: smallest accepted rank. Defaults to `None`.
        axes: dict of axis to expected size, e.g. `{-1: 8}`. Defaults to `None`.
        allow_last_axis_squeeze: if `True`, the rank is not checked, and a last axis of size 1
            on the input or on `shape` is dropped before `shape` is compared (Keras's rule).
            Defaults to `False`.
        name: the input's name. Defaults to `None`.

    Example:

    >>> layer = kerasish.layers.Dense(2)
    >>> layer.input_spec = kerasish.layers.InputSpec(min_ndim=2, axes={-1: 4})
    >>> layer.input_spec
    InputSpec(min_ndim=2, axes={-1: 4})
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None):
        self.dtype = dtype
        self.shape = tuple(shape) if shape is not None else None
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim, self.min_ndim = max_ndim, min_ndim
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name

    def __repr__(self):
        parts = [f"{k}={v}" for k, v in (("dtype", self.dtype), ("shape", self.shape),
                 ("ndim", self.ndim), ("max_ndim", self.max_ndim), ("min_ndim", self.min_ndim),
                 ("axes", self.axes or None)) if v is not None]
        return f"InputSpec({', '.join(parts)})"

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim, "max_ndim": self.max_ndim,
                "min_ndim": self.min_ndim, "axes": self.axes}


def assert_input_compatibility(spec, inputs, layer_name):
    """Raises ValueError when `inputs` (tensors or KerasTensors) do not satisfy `spec`.

    Raised `from None`: called while a torch shape error is being handled, the Keras message
    replaces that error instead of being printed after it."""
    if spec is None:
        return
    specs = spec if isinstance(spec, (list, tuple)) else [spec]
    flat = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    if len(specs) != len(flat):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received {len(flat)} input tensors.'
        ) from None
    for i, (s, x) in enumerate(zip(specs, flat)):
        if s is None or not hasattr(x, "shape"):
            continue
        shape = tuple(x.shape)
        rank = len(shape)
        prefix = f'Input {i} of layer "{layer_name}" is incompatible with the layer: '
        if s.ndim is not None and not s.allow_last_axis_squeeze and rank != s.ndim:
            raise ValueError(f"{prefix}expected ndim={s.ndim}, found ndim={rank}. "
                             f"Full shape received: {shape}") from None
        if s.max_ndim is not None and rank > s.max_ndim:
            raise ValueError(f"{prefix}expected max_ndim={s.max_ndim}, found ndim={rank}. "
                             f"Full shape received: {shape}") from None
        if s.min_ndim is not None and rank < s.min_ndim:
            raise ValueError(f"{prefix}expected min_ndim={s.min_ndim}, found ndim={rank}. "
                             f"Full shape received: {shape}") from None
        for axis, value in s.axes.items():
            if value is None or -rank > axis or axis >= rank:
                continue
            if shape[axis] is not None and shape[axis] != value:
                raise ValueError(
                    f"{prefix}expected axis {axis} of input shape to have value {value}, "
                    f"but received input with shape {shape}"
                ) from None
        if s.shape is not None:
            spec_shape = s.shape
            if s.allow_last_axis_squeeze:
                shape = shape[:-1] if shape and shape[-1] == 1 else shape
                spec_shape = spec_shape[:-1] if spec_shape and spec_shape[-1] == 1 else spec_shape
            for d_spec, d in zip(spec_shape, shape):
                if d_spec is not None and d is not None and d_spec != d:
                    raise ValueError(f"{prefix}expected shape={s.shape}, found shape={shape}") from None
