"""`JaxLayer`, `FlaxLayer`, `TFSMLayer`: Keras's layers around JAX functions, Flax modules and
TensorFlow SavedModels. kerasish runs on PyTorch only, so they exist by name (so code and configs
that mention them fail clearly) and refuse construction, as Keras itself does on its torch backend.
"""

from kerasish.layers.layer import Layer


class UnavailableLayerError(ValueError, NotImplementedError):
    """Raised by the layers that need another framework. A `ValueError` (bad input for kerasish)
    and a `NotImplementedError` (what Keras raises for `TFSMLayer` off TensorFlow)."""


class _ForeignLayer(Layer):
    """A Keras layer that needs another framework's runtime: construction raises."""

    _message = ""

    def __init__(self, *args, **kwargs):
        received = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
        raise UnavailableLayerError(f"{self._message} Received: {type(self).__name__}({received})")


class JaxLayer(_ForeignLayer):
    """Keras's wrapper of a JAX function (`call_fn`, `init_fn`, `params`, `state`).

    Not available: it runs JAX code, and kerasish runs on PyTorch (Keras 3 refuses it on its torch
    backend too). Port the function to torch and wrap it in a `Layer` subclass, or wrap a torch
    module with `kerasish.layers.TorchModuleWrapper`.

    Example:

    >>> keras.layers.JaxLayer(lambda x: x)
    Traceback (most recent call last):
        ...
    kerasish.layers.core.foreign_layers.UnavailableLayerError: JaxLayer needs JAX ...
    """

    _kerasish_unsupported = "needs JAX"
    _message = (
        "JaxLayer needs JAX (Keras supports it on the JAX and TensorFlow backends only); kerasish "
        "runs on PyTorch. Port the function to torch and use a Layer subclass or "
        "kerasish.layers.TorchModuleWrapper(torch_module) instead."
    )


class FlaxLayer(JaxLayer):
    """Keras's wrapper of a Flax module. Not available (it needs JAX): see `JaxLayer`.

    Example:

    >>> keras.layers.FlaxLayer(None)
    Traceback (most recent call last):
        ...
    kerasish.layers.core.foreign_layers.UnavailableLayerError: FlaxLayer needs JAX and Flax ...
    """

    _kerasish_unsupported = "needs JAX and Flax"
    _message = (
        "FlaxLayer needs JAX and Flax (Keras supports it on the JAX and TensorFlow backends only); "
        "kerasish runs on PyTorch. Rewrite the module as a torch.nn.Module and use "
        "kerasish.layers.TorchModuleWrapper(module), or as a kerasish Layer, instead."
    )


class TFSMLayer(_ForeignLayer):
    """Keras's layer that reloads a TensorFlow SavedModel for inference.

    Not available: a SavedModel is TensorFlow graph code, and kerasish runs on PyTorch (Keras 3
    refuses it on its torch backend too). Save the model as `.keras`, `.h5` or `.weights.h5`
    instead; kerasish loads those.

    Example:

    >>> keras.layers.TFSMLayer("saved_model_dir")
    Traceback (most recent call last):
        ...
    kerasish.layers.core.foreign_layers.UnavailableLayerError: TFSMLayer needs TensorFlow ...
    """

    _kerasish_unsupported = "needs TensorFlow (SavedModel)"
    _message = (
        "TFSMLayer needs TensorFlow to run a SavedModel (Keras supports it on the TensorFlow "
        "backend only); kerasish runs on PyTorch. Save the model as a `.keras` or `.h5` file "
        "(model.save(...)) and load it with kerasish.models.load_model, or rebuild it and use "
        "load_weights on a `.weights.h5` file."
    )
