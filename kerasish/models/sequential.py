"""`Sequential`: a linear stack of layers."""

import torch
from torch import nn

from kerasish.backend import config, dtypes
from kerasish.layers import inference_plan
from kerasish.layers.core.input_layer import InputLayer
from kerasish.layers.keras_tensor import KerasTensor
from kerasish.layers.layer import Layer
from kerasish.models.model import Model
from kerasish.trainers.trainer_utils import float32_outputs


class Sequential(Model):
    """A plain stack of layers, each with one input and one output.

    The model is built as soon as the input shape is known: from `input_shape` / `input_dim` /
    `batch_input_shape` on the first layer, an `Input`, or the first batch of data.

    Example:

    ```python
    model = Sequential([
        Dense(32, input_shape=(784,)),
        Activation("relu"),
        Dense(10),
        Activation("softmax"),
    ])
    ```
    """

    def __init__(self, layers=None, name=None, trainable=True, **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._stack = []
        self._input_layer = None
        self._output_shapes = None
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self):
        """The layers, without the `InputLayer` (as in Keras)."""
        return list(self._stack)

    @property
    def output_names(self):
        return [self._stack[-1].name] if self._stack else None

    def add(self, layer):
        """Appends a layer (or a torch `nn.Module`) to the stack."""
        if isinstance(layer, KerasTensor) and layer._keras_history is not None:
            layer = layer._keras_history[0]
        if isinstance(layer, InputLayer):
            if self._stack or self._input_layer is not None:
                raise ValueError("An InputLayer can only be the first layer of a Sequential model.")
            self._input_layer = layer
            self._build_from_shape(layer.batch_shape)
            return
        if not isinstance(layer, nn.Module):
            raise TypeError(
                "The added layer must be an instance of class Layer (or a torch.nn.Module). "
                f"Received: layer={layer!r} of type {type(layer).__name__}."
            )
        if not isinstance(layer, Layer):
            from kerasish.layers.core.torch_module_wrapper import TorchModuleWrapper

            layer = TorchModuleWrapper(layer)
        names = {m.name for m in self._stack}
        if layer.name in names:
            raise ValueError(
                f"All layers added to a Sequential model should have unique names. Name {layer.name!r} "
                "is already the name of a layer in this model. Update the `name` argument to pass a "
                "unique name."
            )
        self._stack.append(layer)
        self.add_module(self._module_key(layer.name), layer)
        self.__dict__.pop("_compiled_forward_and_loss", None)  # a new layer: recompile
        if len(self._stack) == 1 and self._input_layer is None and layer._batch_input_shape is not None:
            self._build_from_shape(layer._batch_input_shape)
        elif self._output_shapes is not None:
            self._extend_build(layer)

    def _module_key(self, name):
        """The submodule name for a layer: its Keras name, unless that shadows a torch attribute
        (a layer may be called `train` or `float` in Keras)."""
        if hasattr(type(self), name) or name in self.__dict__:
            return f"{name}_layer"
        return name

    def pop(self):
        """Removes the last layer."""
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        for key, module in list(self._modules.items()):
            if module is layer:
                del self._modules[key]
        if self._output_shapes:
            self._output_shapes.pop()
        if self.__dict__.get("_symbolic_outputs"):
            self.__dict__["_symbolic_outputs"].pop()
        return layer

    # ------------------------------------------------------------------ building
    @property
    def _batch_input_shape_known(self):
        if self._input_layer is not None:
            return self._input_layer.batch_shape
        if self._stack and self._stack[0]._batch_input_shape is not None:
            return self._stack[0]._batch_input_shape
        return None

    def _build_from_shape(self, batch_shape):
        self._batch_input_shape = tuple(batch_shape)
        self._output_shapes = []
        self.__dict__["_symbolic_outputs"] = []
        shape = self._batch_input_shape
        for layer in self._stack:
            shape = self._build_layer(layer, shape)
        self.built = True

    def _extend_build(self, layer):
        shape = self._output_shapes[-1] if self._output_shapes else self._batch_input_shape
        self._build_layer(layer, shape)

    def _symbolic_step(self, layer):
        """A Sequential started with `Input` calls each layer on the previous KerasTensor, as
        Keras 3 does (its functional graph), so `layer.input`/`layer.output` exist. Returns the
        output shape, or None where the layer can only be built from a shape."""
        outputs = self.__dict__.get("_symbolic_outputs")
        if self._input_layer is None or outputs is None or len(outputs) != len(self._output_shapes):
            return None
        previous = outputs[-1] if outputs else self._input_layer.output
        try:
            out = layer(previous)
        except Exception:  # noqa: BLE001 - the shape path below still builds it (no graph view)
            self.__dict__["_symbolic_outputs"] = None
            return None
        if not isinstance(out, KerasTensor):
            self.__dict__["_symbolic_outputs"] = None
            return None
        outputs.append(out)
        return out.shape

    def _build_layer(self, layer, shape):
        symbolic_shape = self._symbolic_step(layer)
        if symbolic_shape is not None:
            self._output_shapes.append(tuple(symbolic_shape))
            return tuple(symbolic_shape)
        if not layer.built:
            layer._build_device = self._model_device()
            layer.build(shape)
            layer.built = True
            if layer._initial_weights is not None:
                weights, layer._initial_weights = layer._initial_weights, None
                layer.set_weights(weights)
        out = layer.compute_output_shape(shape)
        out = tuple(out) if not isinstance(out, list) else out
        self._output_shapes.append(out)
        return out

    def build(self, input_shape=None):
        if input_shape is None:
            input_shape = self._batch_input_shape_known
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        self._build_from_shape(input_shape)

    @property
    def input_shape(self):
        shape = self._batch_input_shape_known
        if shape is None:
            raise AttributeError("The model has not been built yet: its input shape is unknown.")
        return shape

    @property
    def output_shape(self):
        if not self._output_shapes:
            raise AttributeError("The model has not been built yet: its output shape is unknown.")
        return self._output_shapes[-1]

    @property
    def inputs(self):
        return [self._input_layer.output] if self._input_layer is not None else None

    @property
    def outputs(self):
        """The last layer's symbolic output (a Sequential started with `Input`), else None."""
        outputs = self.__dict__.get("_symbolic_outputs")
        return [outputs[-1]] if outputs and len(outputs) == len(self._stack) else None

    @property
    def input(self):
        if self._input_layer is None:
            raise AttributeError(f"Sequential model {self.name!r} has no defined input: it was not "
                                 "started with `Input`.")
        return self._input_layer.output

    @property
    def output(self):
        outputs = self.outputs
        if not outputs:
            raise AttributeError(f"Sequential model {self.name!r} has no defined output: it was not "
                                 "started with `Input`.")
        return outputs[0]

    # ------------------------------------------------------------------ calling
    def call(self, inputs, training=None, mask=None):
        x = inputs
        if isinstance(x, torch.Tensor) and x.dtype == torch.bool and self._batch_input_shape_known:
            # Keras casts data to the input's dtype (floatx unless an `Input` says otherwise), so
            # Keras 2 scripts feed one-hot bool arrays to LSTMs and Dense layers.
            dtype = (dtypes.to_torch_dtype(self._input_layer.output.dtype) if self._input_layer is not None
                     else dtypes.to_torch_dtype(config.floatx()))
            x = x.to(dtype)
        for layer in self._stack:
            x = layer(x)
        return x

    def _eager_predict_forward(self, x):
        # predict / evaluate: the layers' own calls, without per-layer bookkeeping that would do
        # nothing here (kerasish.layers.inference_plan); a subclass keeps the ordinary path.
        if (self._output_shapes is not None and inference_plan.plain_tensor(x)
                and x.dtype is not torch.bool and inference_plan.model_applies(self, Sequential)):
            return float32_outputs(inference_plan.call_chain(self._stack, x))
        return super()._eager_predict_forward(x)

    def __call__(self, *args, **kwargs):
        if not self._stack:
            raise ValueError("You must add at least one layer to a Sequential model before calling it.")
        out = super().__call__(*args, **kwargs)
        if self._output_shapes is None and isinstance(out, torch.Tensor):
            # Built from data: record the shapes the first batch took.
            self._record_shapes(args[0] if args else kwargs.get("inputs"))
        return out

    def _record_shapes(self, inputs):
        if not isinstance(inputs, torch.Tensor):
            return
        self._batch_input_shape = (None,) + tuple(inputs.shape[1:])
        try:
            self._output_shapes = []
            shape = self._batch_input_shape
            for layer in self._stack:
                shape = layer.compute_output_shape(shape)
                self._output_shapes.append(tuple(shape) if not isinstance(shape, list) else shape)
        except Exception:  # shape inference is best effort for summary()
            self._output_shapes = None

    def compute_output_shape(self, input_shape):
        shape = input_shape
        for layer in self._stack:
            shape = layer.compute_output_shape(shape)
        return shape

    # ------------------------------------------------------------------ config
    def get_config(self):
        from kerasish import layers as layers_module

        layer_configs = []
        if self._input_layer is not None:
            layer_configs.append(layers_module.serialize(self._input_layer))
        for layer in self._stack:
            layer_configs.append(layers_module.serialize(layer))
        config = {"name": self.name, "trainable": self.trainable, "dtype": self._dtype_policy.name,
                  "layers": layer_configs}
        if self._batch_input_shape_known is not None and self._input_layer is None:
            config["build_input_shape"] = self._batch_input_shape_known
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasish import layers as layers_module

        if isinstance(config, list):  # Keras 2.0 stored a bare list of layer configs
            config = {"layers": config}
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config["layers"]:
            model.add(layers_module.deserialize(layer_config, custom_objects=custom_objects))
        if not model.built and config.get("build_input_shape"):
            model.build(tuple(config["build_input_shape"]))
        return model
