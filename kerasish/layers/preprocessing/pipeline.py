"""`Pipeline`: applies preprocessing layers in order, as one layer (Keras 3's layer)."""

from kerasish.layers.layer_utils import _mask_of
from kerasish.layers.preprocessing.data_layer import PreprocessingLayer


class Pipeline(PreprocessingLayer):
    """A sequence of layers applied in order: not a model, just a layer (no compile/fit), that
    passes string or numpy inputs through unconverted, like the layers it holds.

    Args:
        layers: the layers, applied first to last.

    Example:

    ```python
    pipeline = kerasish.layers.Pipeline([
        kerasish.layers.TextVectorization(vocabulary=["a", "b"]),
        kerasish.layers.CategoryEncoding(num_tokens=4, output_mode="count"),
    ])
    ```
    """

    def __init__(self, layers, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self._pipeline_layers = list(layers)
        # A public list attribute: `.keras` files keep the layers' state under
        # `<pipeline>/layers/<layer>/`, as Keras writes it.
        self.layers = self._pipeline_layers
        # Registered as children too, so that weights and devices see them.
        for i, layer in enumerate(self._pipeline_layers):
            self.add_module(f"_pipeline_layer_{i}", layer)

    def call(self, inputs, training=True, mask=None):
        outputs = inputs
        for layer in self._pipeline_layers:
            kwargs = {}
            if getattr(layer, "_call_has_mask_arg", False) and mask is not None:
                kwargs["mask"] = mask
            if getattr(layer, "_call_has_training_arg", False) and training is not None:
                kwargs["training"] = training
            outputs = layer(inputs, **kwargs)
            inputs = outputs
            mask = _mask_of(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        for layer in self._pipeline_layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    @property
    def _symbolic_output_dtype(self):
        last = self._pipeline_layers[-1] if self._pipeline_layers else None
        if last is None:
            return None
        return getattr(last, "_symbolic_output_dtype", None) or last.compute_dtype

    def get_config(self):
        from kerasish import layers

        return {"layers": [layers.serialize(layer) for layer in self._pipeline_layers],
                "name": self.name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasish import layers

        entries = config.get("layers")
        if not isinstance(entries, (list, tuple)):
            raise ValueError("`Pipeline` config must contain a `layers` key mapping to a list of "
                             f"serialized layers. Received config with layers={entries}.")
        config = dict(config)
        config["layers"] = [layers.deserialize(x, custom_objects) for x in entries]
        return cls(**config)
