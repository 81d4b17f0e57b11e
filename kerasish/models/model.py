"""`Model`: a `Layer` with the training API. `Model(inputs, outputs)` builds a functional model;
subclassing `Model` and writing `call` gives a subclassed model."""

import json

from kerasish.layers.layer import Layer
from kerasish.models.legacy_methods import LegacyModelMethods
from kerasish.saving.model_saving import ModelSavingMixin
from kerasish.trainers.trainer import Trainer
from kerasish.utils import summary_utils


class Model(LegacyModelMethods, ModelSavingMixin, Trainer, Layer):
    """A model: layers plus `compile`, `fit`, `evaluate`, `predict`, `summary`, saving.

    Example (subclassing):

    ```python
    class MLP(kerasish.Model):
        def __init__(self):
            super().__init__()
            self.hidden = kerasish.layers.Dense(32, activation="relu")
            self.out = kerasish.layers.Dense(10, activation="softmax")

        def call(self, x):
            return self.out(self.hidden(x))
    ```
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and (args or "inputs" in kwargs or "outputs" in kwargs):
            from kerasish.models.functional import Functional

            return Functional.__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        if type(self) is not Model and (args or "inputs" in kwargs) and _is_functional_call(args, kwargs):
            # A Model subclass constructed with inputs/outputs (Keras allows it): as Keras does,
            # `Functional` takes `Model`'s place among the class's bases, so the instance is a
            # functional model with the subclass's own methods (train_step, extra attributes).
            from kerasish.models.functional import Functional

            _inject_functional(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        Layer.__init__(self, trainable=kwargs.pop("trainable", True), name=kwargs.pop("name", None),
                       dtype=kwargs.pop("dtype", None), **kwargs)
        self._init_trainer()

    def _apply(self, fn, recurse=True):
        # `model.to(device)` / `.cuda()` / `.cpu()` all land here; torch moves the parameters in
        # place, and the optimizer's state follows them so the model and its state move together.
        result = super()._apply(fn, recurse)
        from kerasish.trainers.execution import follow_parameters

        follow_parameters(self.__dict__.get("optimizer"))
        return result

    # ------------------------------------------------------------------ structure
    @property
    def layers(self):
        """The model's direct sublayers, in the order they were created/added."""
        return [m for m in self.children() if isinstance(m, Layer)]

    def get_layer(self, name=None, index=None):
        """A sublayer by `name` or by `index` (into `model.layers`)."""
        if index is not None and name is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: index={index}, name={name}.")
        layers = self.layers
        if index is not None:
            if not isinstance(index, int) or not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has {len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}."
            )
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints a table of the layers, their output shapes and parameter counts (Keras's format).

        Args:
            line_length: total width of the table. Defaults to Keras's width for the layout.
            positions: relative or absolute right edges of the columns.
            print_fn: called with the text instead of printing it.
            expand_nested: whether to list the layers of nested models too.
            show_trainable: whether to add a column saying whether each layer is trainable.
            layer_range: a pair of layer names or regexes: print only the layers from the
                first one matching `layer_range[0]` to the last one matching `layer_range[1]`
                (both included). Defaults to `None` (every layer).

        Example:

        ```python
        model = kerasish.Sequential([kerasish.Input((4,)), kerasish.layers.Dense(3, name="a"),
                                     kerasish.layers.Dense(2, name="b"), kerasish.layers.Dense(1, name="c")])
        model.summary(layer_range=["a", "b"])  # the rows of `a` and `b` only
        ```
        """
        summary_utils.print_summary(self, line_length=line_length, positions=positions,
                                    print_fn=print_fn, show_trainable=show_trainable,
                                    expand_nested=expand_nested, layer_range=layer_range)

    def to_json(self, **kwargs):
        """The model's architecture as a JSON string (`model_from_json` reads it back)."""
        from kerasish.saving import serialization

        return json.dumps(serialization.model_to_dict(self), default=serialization.json_default, **kwargs)

    def get_compile_config(self):
        if not self.compiled:
            return None
        from kerasish.saving import serialization

        return serialization.compile_config(self)

    def build(self, input_shape=None):
        if input_shape is not None and not self.built:
            import torch

            from kerasish.backend import dtypes

            def zeros(shape):
                if isinstance(shape, dict):  # a subclassed model called on a dict of inputs
                    return {k: zeros(s) for k, s in shape.items()}
                if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
                    return [zeros(s) for s in shape]
                return torch.zeros(tuple(1 if d is None else d for d in shape),
                                   dtype=dtypes.to_torch_dtype(None), device=self._model_device())

            # Marked built first: the call below would otherwise try to build again, forever.
            self.built = True
            try:
                with torch.no_grad():
                    self(zeros(input_shape), training=False)
            except Exception:
                self.built = False
                raise
        self.built = True

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A model from `get_config()`: a functional config (`layers`, `input_layers`,
        `output_layers`) rebuilds the graph; otherwise the constructor gets the config."""
        from kerasish.models import functional_config

        functional = isinstance(config, dict) and "input_layers" in config and "output_layers" in config
        if functional and functional_config.functional_like_constructor(cls):
            from kerasish.models.functional import Functional

            return functional_config.from_config(Functional if cls is Model else cls, config,
                                                 custom_objects)
        # A subclass with its own constructor: the config holds its constructor's arguments.
        return super().from_config(config)

    @classmethod
    def from_torch(cls, module, name=None):
        """A `Model` around a plain `torch.nn.Module`, giving it `compile`/`fit`/`evaluate`/
        `predict` (see `kerasish.models.torch_model.TorchModel`)."""
        from kerasish.models.torch_model import TorchModel

        return TorchModel(module, name=name)


def _inject_functional(cls):
    """Puts `Functional` in place of `Model` in `cls`'s bases (recursively), as Keras 3 does."""
    from kerasish.models.functional import Functional

    if cls is Model:
        return Functional
    if cls is object or not issubclass(cls, Model) or issubclass(cls, Functional):
        return cls
    cls.__bases__ = tuple(_inject_functional(base) for base in cls.__bases__)
    return cls


def _is_functional_call(args, kwargs):
    from kerasish.layers.keras_tensor import any_symbolic

    return any_symbolic(args) or any_symbolic(kwargs)
