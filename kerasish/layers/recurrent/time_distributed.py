"""`TimeDistributed`: applies a layer to every time step of a `(batch, time, ...)` input."""

from kerasish.layers.core.wrapper import Wrapper
from kerasish.layers.layer import Layer


class TimeDistributed(Wrapper):
    """Applies `layer` to each slice along axis 1, sharing its weights across time.

    The time axis is folded into the batch (`(batch * time, ...)`), so the wrapped layer runs once,
    as one batched call. Masks pass through unchanged.

    Args:
        layer: a `Layer` instance.

    Example:

    ```python
    import numpy as np
    from kerasish import layers
    out = layers.TimeDistributed(layers.Dense(8))(np.random.random((32, 10, 16)).astype("float32"))
    # out.shape == (32, 10, 8)
    ```
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `TimeDistributed` layer with a `keras.layers.Layer` instance. "
                f"Received: layer={layer!r}"
            )
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _check_shape(self, input_shape):
        if input_shape is None or len(input_shape) < 3:
            raise ValueError(
                "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 "
                f"dimensions. Received: input_shape={input_shape}"
            )

    def build(self, input_shape):
        self._check_shape(input_shape)
        if not self.layer.built:
            self.layer._build_device = self._build_device
            self.layer.build((None,) + tuple(input_shape[2:]))
            self.layer.built = True
        self.built = True

    def call(self, inputs, training=None):
        self._check_shape(tuple(inputs.shape))
        batch, steps = inputs.shape[0], inputs.shape[1]
        out = self.layer(inputs.reshape((batch * steps,) + tuple(inputs.shape[2:])), training=training)
        return out.reshape((batch, steps) + tuple(out.shape[1:]))

    def compute_output_shape(self, input_shape):
        self._check_shape(input_shape)
        inner = self.layer.compute_output_shape((input_shape[0],) + tuple(input_shape[2:]))
        return (input_shape[0], input_shape[1]) + tuple(inner[1:])

    def get_config(self):
        from kerasish import layers

        config = super().get_config()
        config["layer"] = layers.serialize(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasish import layers

        config = dict(config)
        config["layer"] = layers.deserialize(config.pop("layer"), custom_objects)
        return cls(**config)
