"""`InputLayer` and `Input`: the entry point of a model, holding the input shape and dtype."""

from kerasish.backend.keras_tensor import STRING_DTYPES
from kerasish.layers.keras_tensor import KerasTensor
from kerasish.layers.layer import Layer
from kerasish.layers.node import Node


class InputLayer(Layer):
    """The layer that feeds a model's input; `Input(...)` returns its symbolic output.

    Args:
        shape: the shape of one sample (no batch dimension), e.g. `(784,)`.
        batch_size: optional fixed batch size.
        dtype: input dtype. Defaults to `floatx()`.
        batch_shape: the full shape, batch dimension first (alternative to `shape`).
        input_shape / batch_input_shape / input_tensor: Keras 2 spellings.

    Example:

    >>> layer = kerasish.layers.InputLayer(shape=(4,))
    >>> layer.output.shape
    (None, 4)
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, name=None, ragged=None, **kwargs):
        shape = kwargs.pop("input_shape", shape)
        batch_shape = kwargs.pop("batch_input_shape", batch_shape)
        kwargs.pop("optional", None)
        if shape is not None and batch_shape is not None:
            raise ValueError(
                "You cannot pass both `shape` and `batch_shape` at the same time. "
                f"Received: shape={shape}, batch_shape={batch_shape}"
            )
        if input_tensor is not None and shape is None and batch_shape is None:
            batch_shape = tuple(input_tensor.shape)
        if shape is None and batch_shape is None:
            raise ValueError("You must pass a `shape` argument to Input/InputLayer.")
        if batch_shape is None:
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        # A string input has no torch dtype: the layer itself keeps floatx's policy.
        super().__init__(name=name, dtype=None if dtype in STRING_DTYPES else dtype, **kwargs)
        self._batch_input_shape = batch_shape
        self.sparse = bool(sparse)
        self.built = True
        input_dtype = dtype if dtype is not None else self.dtype
        if input_dtype in STRING_DTYPES:
            input_dtype = "string"
        if hasattr(input_dtype, "name") and not isinstance(input_dtype, str):
            input_dtype = getattr(input_dtype, "name")
        self._input_dtype = input_dtype if not str(input_dtype).startswith("mixed_") else "float32"
        self._input_tensor = KerasTensor(batch_shape, dtype=self._input_dtype, sparse=self.sparse,
                                         name=self.name)
        Node(self, (), {}, self._input_tensor)

    @property
    def batch_shape(self):
        return self._batch_input_shape

    @property
    def output(self):
        return self._input_tensor

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return self._batch_input_shape

    def get_config(self):
        return {"batch_shape": self._batch_input_shape, "dtype": self._input_dtype,
                "sparse": self.sparse, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None, **kwargs):
    """A symbolic input tensor, to start a functional model or a `Sequential`.

    Example:

    ```python
    inputs = kerasish.Input(shape=(784,))
    outputs = kerasish.layers.Dense(10, activation="softmax")(inputs)
    model = kerasish.Model(inputs, outputs)
    ```
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, name=name, input_tensor=tensor, **kwargs)
    return layer.output
