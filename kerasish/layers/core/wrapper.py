"""`Wrapper`: the base class of layers that wrap another layer (`TimeDistributed`, ...)."""

from kerasish.layers.layer import Layer


class Wrapper(Layer):
    """Abstract wrapper base class: holds `layer`, builds it, and (de)serializes it in the config.

    Subclasses (`TimeDistributed`, `SpectralNormalization`) write `call`. The wrapped layer is
    a sublayer: its weights are the wrapper's, and files keep them under `<wrapper>/layer`, as in
    Keras.

    Args:
        layer: the `Layer` instance to wrap.

    Example:

    >>> class Doubled(keras.layers.Wrapper):
    ...     def call(self, inputs):
    ...         return 2.0 * self.layer(inputs)
    >>> layer = Doubled(keras.layers.Dense(3))
    >>> layer(ops.ones((1, 2))).shape, len(layer.weights)  # the Dense kernel and bias
    (torch.Size([1, 3]), 2)
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Layer {layer} supplied to Wrapper isn't a supported layer type. Please ensure "
                f"wrapped layer is a valid Keras layer. Received: layer={layer!r}"
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer._build_device = self._build_device
            self.layer.build(input_shape)
            self.layer.built = True
        self.built = True

    def get_config(self):
        from kerasish import layers  # the registry sits above this module

        config = super().get_config()
        config["layer"] = layers.serialize(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasish import layers

        config = dict(config)
        config["layer"] = layers.deserialize(config["layer"], custom_objects)
        return super().from_config(config)
