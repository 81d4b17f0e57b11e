"""`Layer`: a `torch.nn.Module` with Keras's lifecycle.

`__init__` validates arguments and resolves strings; `build(input_shape)` creates weights with
`add_weight` on the first call (or as soon as the input shape is known); `call(inputs, training=None,
mask=None)` computes. Weights are registered `nn.Parameter`s, so a kerasish layer is also a plain
torch module (`parameters()`, `state_dict()`, `to()`, `torch.compile`).
"""

import contextlib
import inspect
import threading

import torch
from torch import nn

from kerasish import constraints, initializers, regularizers
from kerasish.backend import config, dtype_policy, dtypes, layouts, nn_ops
from kerasish.backend.state_scopes import get_current_remat_mode
from kerasish.backend.variables import Variable
from kerasish.layers.input_spec import assert_input_compatibility
from kerasish.layers.keras_tensor import any_symbolic
from kerasish.utils import naming
from kerasish.layers.layer_graph import LayerGraphMixin
from kerasish.layers.remat_call import remat_layer_call
from kerasish.layers.layer_weights import LayerWeightsMixin
from kerasish.backend.keras_tensor import KerasTensor
from kerasish.layers.layer_symbolic import _spec_to_tensor, run_for_shapes, symbolic_call
from kerasish.ops import graph
from kerasish.ops.operation import Operation
from kerasish.layers.layer_utils import (  # noqa: F401  (_shape_of: the functional API imports it here)
    INPUT_KWARGS, _drop_unset_unknown_keys, _first_tensor, _mask_of, _set_mask,
    _shape_of, _to_float32, _to_tensor,
)


class _CallContext:
    """State shared by nested layer calls of one thread: the training flag, pending `add_loss`
    layers, the mixed-precision region and the inference weight cache."""

    __slots__ = ("training", "depth", "loss_layers", "autocast", "inference_weights")

    def __init__(self):
        self.training = None
        self.depth = 0
        self.loss_layers = set()
        self.autocast = None  # the compute dtype of the mixed-precision region we are in
        # Inside evaluate/predict loops: weights re-laid out for inference, see `inference_weight`.
        self.inference_weights = None


# One context per thread, as Keras 3 keeps its call context in thread-local global state: a call in
# one thread must not see another thread's training flag, depth or inference cache.
_LOCAL = threading.local()


def call_context():
    """This thread's `_CallContext` (made on its first call). Fetched once per layer call."""
    try:
        return _LOCAL.context
    except AttributeError:
        ctx = _LOCAL.context = _CallContext()
        return ctx


# `K.learning_phase()` (on the ground floor) reads the training flag of the call in progress.
nn_ops.set_training_flag_reader(lambda: call_context().training)


# Called as `hook(layer, weight)` after `add_weight` creates a weight. Installed from above
# (DESIGN.md, Floors): `kerasish.distribution` lays out weights created under a distribution.
_WEIGHT_CREATED_HOOKS = []


def add_weight_created_hook(hook):
    """Registers `hook(layer, weight)`, called for every weight `add_weight` creates."""
    if hook not in _WEIGHT_CREATED_HOOKS:
        _WEIGHT_CREATED_HOOKS.append(hook)


@contextlib.contextmanager
def inference_weights_scope():
    """Lets layers keep re-laid-out weights (`inference_weight`) until the scope ends."""
    ctx = call_context()
    previous = ctx.inference_weights
    ctx.inference_weights = {} if previous is None else previous
    try:
        yield
    finally:
        ctx.inference_weights = previous


_INFERENCE_COPY_LIMIT = 1 << 24  # elements: weights above 64 MiB (float32) are not copied


def inference_weight(weight, relayout):
    """`relayout(weight)` (a detached copy), made once per evaluate/predict loop and again only
    after the weight changes in place (its version counter moves); None outside those loops,
    where gradients are recorded, under torch.compile, or for weights over 2**24 elements (the copy
    would hold their memory twice)."""
    cache = call_context().inference_weights
    if cache is None or torch.is_grad_enabled() or weight.numel() > _INFERENCE_COPY_LIMIT \
            or torch.compiler.is_compiling():
        return None
    entry = cache.get(id(weight))
    if entry is None or entry[0] is not weight or entry[1] != weight._version:
        entry = (weight, weight._version, relayout(weight.detach()))
        cache[id(weight)] = entry
    return entry[2]


class Layer(LayerGraphMixin, LayerWeightsMixin, nn.Module, Operation):
    """Base class of every kerasish layer.

    Args:
        trainable: whether the layer's weights are updated by training. Defaults to `True`.
        name: the layer's name; defaults to the snake-case class name made unique (`dense_1`).
        dtype: the dtype of the layer's weights. Defaults to `floatx()`.
        activity_regularizer: a regularizer applied to the layer's output.
        input_shape, input_dim, batch_input_shape, batch_size: the input shape, for the first layer
            of a `Sequential` model (Keras 2 spellings accepted).
        weights: initial weights (Keras 2), set as soon as the layer is built.

    Example:

    ```python
    class Scale(kerasish.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

        def call(self, inputs):
            return inputs * self.w
    ```
    """

    _remat_mode = None  # the RematScope the layer was created in (set in __init__)

    supports_masking = False
    _call_has_training_arg = False
    _call_has_mask_arg = False
    _overrides_compute_mask = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        params = inspect.signature(cls.call).parameters
        cls._call_has_training_arg = "training" in params
        cls._call_has_mask_arg = "mask" in params
        cls._overrides_compute_mask = cls.compute_mask is not Layer.compute_mask
        if "forward" in cls.__dict__ and "call" not in cls.__dict__:
            # A torch-style subclass that only defines forward: route call() to it.
            cls.call = lambda self, *a, **k: cls.forward(self, *a, **k)
            cls.forward = Layer.forward

    def __init__(self, *, trainable=True, name=None, dtype=None, activity_regularizer=None,
                 autocast=True, **kwargs):
        super().__init__()
        input_kwargs = {k: kwargs.pop(k) for k in INPUT_KWARGS if k in kwargs}
        initial_weights = kwargs.pop("weights", None)
        for legacy in ("dynamic", "input_length_unused", "implementation"):
            kwargs.pop(legacy, None)
        if kwargs:
            raise TypeError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}"
            )
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(
                f"Argument `name` must be a string without '/'. Received: name={name!r}"
            )
        self.name = name or naming.auto_name(self)
        self._trainable = bool(trainable)
        self._dtype_policy = self._resolve_dtype(dtype)
        policy = self._dtype_policy
        self._autocast_dtype = None if policy.compute_dtype == policy.variable_dtype \
            else dtypes.to_torch_dtype(policy.compute_dtype)
        self.autocast = autocast
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.built = False
        self._trainable_created = []
        self._non_trainable_created = []
        self._weight_regularizers = []
        self._losses = []
        self._initial_weights = initial_weights
        self._build_device = None
        self._batch_input_shape = self._batch_shape_from_kwargs(input_kwargs)
        self.input_spec = None
        self._inbound_nodes = []
        self._outbound_nodes = []
        # As in Keras, a layer is rematerialized per the `RematScope` it is created in.
        self._remat_mode = get_current_remat_mode()

    # ----------------------------------------------------------------- configuration helpers
    @staticmethod
    def _resolve_dtype(dtype):
        return dtype_policy.resolve_policy(dtype)

    @staticmethod
    def _batch_shape_from_kwargs(kw):
        if not kw:
            return None
        if "batch_input_shape" in kw or "batch_shape" in kw:
            shape = kw.get("batch_input_shape") or kw.get("batch_shape")
            return tuple(None if d is None else int(d) for d in shape)
        if "input_shape" in kw:
            shape = kw["input_shape"]
        elif "input_dim" in kw:
            shape = (kw["input_dim"],)
        else:
            return None
        if isinstance(shape, int):
            shape = (shape,)
        if not isinstance(shape, (tuple, list)):
            raise ValueError(f"`input_shape` must be a tuple of ints. Received: input_shape={shape!r}")
        return (kw.get("batch_size"),) + tuple(None if d is None else int(d) for d in shape)

    @property
    def dtype(self):
        """The dtype of the layer's weights (Keras's `variable_dtype`)."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self._dtype_policy.compute_dtype

    @property
    def dtype_policy(self):
        return self._dtype_policy

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        for w in self._trainable_created + self._non_trainable_created:
            w.requires_grad_(value and w._keras_trainable)
        for child in self.children():
            if isinstance(child, Layer):
                child.trainable = value
            else:
                for p in child.parameters():
                    p.requires_grad_(value)

    # ----------------------------------------------------------------- weights
    def add_weight(self, *args, **kwargs):
        """Creates a weight, registered as an `nn.Parameter` of this layer.

        Accepts Keras 3's keywords (`shape`, `initializer`, `dtype`, `trainable`, `regularizer`,
        `constraint`, `name`, `overwrite_with_gradient`: optimizers then set the weight to its
        gradient instead of updating it) and Keras 2's positional order `(name, shape, dtype, initializer,
        regularizer, trainable, constraint)`. `layout` names a torch layout (see
        `kerasish.backend.layouts`) for weights that kernels want transposed.

        Returns:
            The new `nn.Parameter`.
        """
        if args:
            order = ("name", "shape", "dtype", "initializer", "regularizer", "trainable", "constraint") \
                if isinstance(args[0], str) else ("shape", "initializer", "dtype", "trainable")
            for key, value in zip(order, args):
                if key in kwargs:
                    raise TypeError(f"add_weight() got multiple values for argument {key!r}")
                kwargs[key] = value
        shape = kwargs.pop("shape", None)
        name = kwargs.pop("name", None) or "variable"
        dtype = kwargs.pop("dtype", None)
        initializer = kwargs.pop("initializer", None)
        regularizer = regularizers.get(kwargs.pop("regularizer", None))
        trainable = kwargs.pop("trainable", True)
        constraint = constraints.get(kwargs.pop("constraint", None))
        layout = kwargs.pop("layout", None)
        overwrite_with_gradient = kwargs.pop("overwrite_with_gradient", False)
        for ignored in ("aggregation", "synchronization", "autocast", "use_resource", "partitioner",
                        "getter", "caching_device", "experimental_autocast"):
            kwargs.pop(ignored, None)
        if kwargs:
            raise TypeError(f"add_weight() got unexpected keyword arguments: {sorted(kwargs)}")
        if shape is None:
            shape = ()
        elif isinstance(shape, int):
            shape = (shape,)
        try:
            shape = tuple(int(s) for s in shape)
        except (TypeError, ValueError):
            raise ValueError(
                f"Weight {name!r} of layer {self.name!r} needs a fully known shape. Received: shape={shape}"
            ) from None
        torch_dtype = dtypes.to_torch_dtype(dtype or self.dtype)
        if initializer is None:
            initializer = "glorot_uniform" if torch_dtype.is_floating_point else "zeros"
        init = initializers.get(initializer)
        with torch.no_grad():
            value = init(shape, dtype=torch_dtype)
            value = torch.as_tensor(value, dtype=torch_dtype)
            if tuple(value.shape) != shape:
                value = value.expand(shape).clone()
            value = layouts.to_torch(layout, value).contiguous()
        param = Variable(value.to(self._weight_device()), trainable=bool(trainable), name=name)
        param.requires_grad_(param.requires_grad and self._trainable)
        param._keras_layout = layout
        if overwrite_with_gradient:
            param.overwrite_with_gradient = overwrite_with_gradient  # the optimizers honour it
        param._keras_constraint = constraint
        param._keras_regularizer = regularizer
        param._keras_layer = self.name
        self._register_weight(name, param)
        (self._trainable_created if trainable else self._non_trainable_created).append(param)
        if regularizer is not None:
            self._weight_regularizers.append((param, regularizer))
        for hook in _WEIGHT_CREATED_HOOKS:
            hook(self, param)
        return param

    def _register_weight(self, name, param):
        attr = name.replace("/", "_").replace(".", "_").replace(":", "_")
        if attr in self.__dict__ and self.__dict__[attr] is None:
            del self.__dict__[attr]  # `self.kernel = None` in __init__, then built here.
        base, i = attr, 1
        while attr in self._parameters or attr in self._modules or attr in self._buffers \
                or (attr in self.__dict__) or hasattr(type(self), attr):
            attr, i = f"{base}_{i}", i + 1
        self.register_parameter(attr, param)

    def __setattr__(self, name, value):
        if isinstance(value, nn.Parameter) and getattr(value, "_keras_name", None) is not None:
            params = self.__dict__.get("_parameters")
            if params is not None and name not in params and any(p is value for p in params.values()):
                # `self.w = self.add_weight(name="kernel")`: keep one registration, alias the name.
                object.__setattr__(self, name, value)
                return
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, nn.Module) for v in value):
            # Keras tracks lists of layers; register them so their weights are found.
            modules = self.__dict__.get("_modules")
            if modules is not None:
                for i, v in enumerate(value):
                    modules[f"{name}_{i}"] = v
        super().__setattr__(name, value)

    def _weight_device(self):
        for p in self._parameters.values():
            if p is not None:
                return p.device
        if self._build_device is not None:
            return self._build_device
        return config.get_device()

    # ----------------------------------------------------------------- losses
    def add_loss(self, loss, inputs=None):
        """Adds a loss term (a scalar tensor, or a zero-argument callable) to the training loss."""
        if any_symbolic(loss):
            self._add_symbolic_loss(loss)
            return
        self._losses.append(loss)
        call_context().loss_layers.add(self)

    def add_metric(self, value, name=None, aggregation="mean"):
        """Keras 2's `add_metric`: logs the running mean of `value` under `name`.

        Called in `call` with a tensor, or on a functional model with a symbolic tensor. The metric
        joins `model.metrics` (and the History, with `val_` for validation).
        """
        if name is None:
            raise ValueError(
                "Please provide a name for your metric like `self.add_metric(value, name=...)`. "
                f"Received: name={name!r}"
            )
        if aggregation not in ("mean", None):
            raise ValueError(f"Only `aggregation='mean'` is supported. Received: aggregation={aggregation!r}")
        if any_symbolic(value):
            self._add_symbolic_metric(value, name)
            return
        metrics = self.__dict__.setdefault("_added_metrics", {})
        if name not in metrics:
            from kerasish.metrics import Mean

            metrics[name] = Mean(name=name)
        metrics[name].update_state(value.detach() if isinstance(value, torch.Tensor) else value)

    def _clear_losses(self):
        self._losses.clear()

    @property
    def losses(self):
        """Losses added during the last call plus the weight-regularization penalties."""
        out = []
        for layer in self._flatten_layers():
            for loss in layer._losses:
                out.append(loss() if callable(loss) else loss)
            for p, reg in layer._weight_regularizers:
                if p.requires_grad:
                    out.append(reg(layouts.to_keras(p, detach=False)))
        return out

    def _flatten_layers(self, include_self=True):
        """This layer and every kerasish layer below it, each once, depth first."""
        seen, out = set(), []

        def visit(layer):
            if id(layer) in seen:
                return
            seen.add(id(layer))
            out.append(layer)
            for child in layer.children():
                if isinstance(child, Layer):
                    visit(child)

        if include_self:
            visit(self)
        else:
            seen.add(id(self))
            for child in self.children():
                if isinstance(child, Layer):
                    visit(child)
        return out

    # ----------------------------------------------------------------- lifecycle
    def build(self, input_shape):
        """Creates the layer's weights for `input_shape` (batch dimension first)."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        return inputs

    def forward(self, *args, **kwargs):
        return self.call(*args, **kwargs)

    def compute_mask(self, inputs, mask=None):
        return mask if self.supports_masking else None

    def compute_output_shape(self, input_shape):
        """The output shape for `input_shape`; by default found by running the layer on zeros."""
        return self._infer_output_shape(input_shape)

    def _infer_output_shape(self, input_shape):
        # Runs the layer on meta tensors (zeros where it cannot): unknown dims stay None.
        def symbolic(shape):
            if isinstance(shape, (list, tuple)) and shape and \
                    not isinstance(shape[0], (int, type(None))):
                return [symbolic(s) for s in shape]
            return KerasTensor(shape, dtype=self.compute_dtype)

        if not self.built:
            self._maybe_build((symbolic(input_shape),), {})
        specs = run_for_shapes(self, (symbolic(input_shape),), {})
        return graph.map_leaves(lambda spec: spec.shape, specs)

    def _maybe_build(self, args, kwargs):
        inputs = args[0] if args else next(iter(kwargs.values()), None)
        first = _first_tensor(inputs)
        # A sublayer first called during a shape run on meta tensors must not make meta weights.
        if first is not None and first.device.type != "meta":
            self._build_device = first.device
        shapes = _shape_of(inputs)
        if not self.built:
            self.build(shapes)
            self.built = True
        if self._initial_weights is not None:
            weights, self._initial_weights = self._initial_weights, None
            self.set_weights(weights)

    def __call__(self, *args, **kwargs):
        if args:
            inputs = args[0]
            if not isinstance(inputs, torch.Tensor):
                if any_symbolic(args) or any_symbolic(kwargs):
                    return self._symbolic_call(*args, **kwargs)
                args = (_to_tensor(inputs, self._weight_device()),) + args[1:]
                inputs = args[0]
        else:
            inputs = kwargs.get("inputs")
            if any_symbolic(kwargs):
                return self._symbolic_call(*args, **kwargs)
        ctx = call_context()
        prev = ctx.training
        training = kwargs.pop("training", None)
        if training is None:
            training = prev
        if self._call_has_training_arg:
            kwargs["training"] = training
        in_mask = None
        if self._call_has_mask_arg or self._overrides_compute_mask or self.supports_masking:
            in_mask = kwargs.get("mask")
            if in_mask is None:
                in_mask = _mask_of(inputs)
                if in_mask is not None and self._call_has_mask_arg:
                    kwargs["mask"] = in_mask
        if not self.built:
            self._maybe_build(args, kwargs)
        if ctx.depth == 0 and ctx.loss_layers:
            for layer in ctx.loss_layers:
                layer._clear_losses()
            ctx.loss_layers.clear()
        ctx.training = training
        ctx.depth += 1
        precision = None
        try:
            # Inside the try: an autocast region that cannot open (a meta tensor during shape
            # inference) must not leave the depth raised, or later calls never clear their losses.
            if self._autocast_dtype is not None or ctx.autocast is not None:
                precision, args = self._enter_precision(ctx, args)
            if self._remat_mode is None or not torch.is_grad_enabled():
                outputs = nn.Module.__call__(self, *args, **kwargs)
            else:
                outputs = remat_layer_call(self, args, kwargs, _shape_of(inputs))
        except RuntimeError:
            # Turn a torch shape error into Keras's message when the input spec explains it.
            if self.input_spec is not None:
                assert_input_compatibility(self.input_spec, inputs, self.name)
            raise
        finally:
            ctx.depth -= 1
            ctx.training = prev
            if precision is not None:
                precision[0].__exit__(None, None, None)
                ctx.autocast = precision[1]
        if in_mask is not None or self._overrides_compute_mask:
            out_mask = self.compute_mask(inputs, in_mask)
            if out_mask is not None:
                _set_mask(outputs, out_mask)
        if self.activity_regularizer is not None:
            for out in (outputs if isinstance(outputs, (list, tuple)) else [outputs]):
                reg = self.activity_regularizer(out)
                self.add_loss(reg / out.shape[0] if out.ndim > 0 else reg)
        return outputs

    def _enter_precision(self, ctx, args):
        """Mixed precision: a mixed-policy layer opens a torch autocast region (if none is open);
        a float32-policy layer inside one computes in float32, as Keras's per-layer policies do."""
        first = _first_tensor(args)
        device_type = first.device.type if first is not None else "cpu"
        previous = ctx.autocast
        if self._autocast_dtype is not None:
            if previous is not None:
                return None, args
            region = torch.autocast(device_type, dtype=self._autocast_dtype)
            ctx.autocast = self._autocast_dtype
        elif self._dtype_policy.compute_dtype == "float32":
            region = torch.autocast(device_type, enabled=False)
            ctx.autocast = None
            args = tuple(_to_float32(a) for a in args)
        else:
            return None, args
        region.__enter__()
        return (region, previous), args

    def _symbolic_call(self, *args, **kwargs):
        return symbolic_call(self, args, kwargs)

    def symbolic_call(self, *args, **kwargs):
        """Keras's `Operation.symbolic_call`: records a node on KerasTensor arguments."""
        return symbolic_call(self, args, kwargs)

    def compute_output_spec(self, *args, **kwargs):
        """The output KerasTensors for KerasTensor arguments (the layer is built if needed)."""
        if not self.built:
            self._maybe_build(args[:1], {})
        return graph.map_leaves(_spec_to_tensor, run_for_shapes(self, args, kwargs))

    def _add_symbolic_loss(self, loss):
        # Functional models override this: a symbolic loss becomes an output of their graph.
        raise ValueError(
            "A loss built from symbolic tensors can only be added to a functional model "
            f"(`Model(inputs, outputs)`). Received: add_loss on {type(self).__name__} {self.name!r}"
        )

    def _add_symbolic_metric(self, value, name):
        raise ValueError(
            "A metric built from symbolic tensors can only be added to a functional model "
            f"(`Model(inputs, outputs)`). Received: add_metric on {type(self).__name__} {self.name!r}"
        )

    # ----------------------------------------------------------------- config
    def get_config(self):
        """The constructor arguments that recreate this layer (without its weights)."""
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": self._dtype_policy.name}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = config["dtype"].get("config", {}).get("name", "float32")
        config = _drop_unset_unknown_keys(cls, config)
        try:
            return cls(**config)
        except TypeError as e:
            raise TypeError(
                f"Error when deserializing class {cls.__name__!r} using config={config}.\n\n"
                f"Exception encountered: {e}"
            ) from e

    def extra_repr(self):
        return f"name={self.name!r}"

    def __repr__(self):
        if not self._modules:
            return f"<{type(self).__name__} name={self.name}, built={self.built}>"
        return super().__repr__()


from kerasish.layers.stateless_call import stateless_call as _stateless_call  # noqa: E402

Layer.stateless_call = _stateless_call
