"""`TorchModuleWrapper`: any `torch.nn.Module` used as a kerasish layer."""

import inspect

import torch

from kerasish.layers.layer import Layer


class TorchModuleWrapper(Layer):
    """Wraps an `nn.Module` so it can sit in a Sequential or functional model.

    Its parameters become the layer's trainable weights (in torch's layout); the output shape is
    inferred by running the module. The module's own train/eval mode follows the `training` flag.

    Example:

    ```python
    model = kerasish.Sequential([kerasish.Input((8,)), torch.nn.Linear(8, 4), Dense(1)])
    ```
    """

    def __init__(self, module, name=None, **kwargs):
        if not isinstance(module, torch.nn.Module):
            raise TypeError(f"TorchModuleWrapper expects a torch.nn.Module. Received: {type(module).__name__}")
        super().__init__(name=name, **kwargs)
        self.module = module
        self._accepts_training = "training" in inspect.signature(module.forward).parameters
        self.built = True

    @property
    def weights(self):
        return list(self.module.parameters())

    def call(self, inputs, training=None):
        mode = bool(training)
        if self.module.training != mode:
            self.module.train(mode)
        if self._accepts_training:
            return self.module(inputs, training=training)
        return self.module(inputs)

    def get_config(self):
        raise NotImplementedError(
            "A TorchModuleWrapper cannot be serialized to a config: its module is Python code. "
            "Save its weights (`save_weights`) and rebuild the module in code."
        )
