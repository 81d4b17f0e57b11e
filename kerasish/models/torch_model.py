"""`TorchModel`: Keras's training API (`compile`/`fit`/`evaluate`/`predict`) for a plain `nn.Module`.

The module is not rewritten: it becomes the model's only child, its parameters are the model's
trainable weights, and its `train()`/`eval()` mode follows Keras's `training` flag.
"""

import inspect

from torch import nn

from kerasish.models.model import Model
from kerasish.utils import naming


class TorchModel(Model):
    """Wraps `module` so that `compile`, `fit`, `evaluate`, `predict` and `summary` work on it.

    Made by `kerasish.Model.from_torch(module)`. A tuple or list input is passed as positional
    arguments (`module(*inputs)`), a dict as keyword arguments.

    Args:
        module: any `torch.nn.Module`.
        name: the model's name. Defaults to the module's class name in snake case.

    Example:

    ```python
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    model = kerasish.Model.from_torch(net)
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=2, verbose=0)
    ```
    """

    def __init__(self, module, name=None):
        if not isinstance(module, nn.Module):
            raise TypeError(
                f"Model.from_torch expects a torch.nn.Module. Received: module of type {type(module).__name__}"
            )
        super().__init__(name=name or naming.uniquify(naming.to_snake_case(type(module).__name__)))
        self.module = module
        self._module_takes_training = "training" in inspect.signature(module.forward).parameters
        self.built = True

    def call(self, inputs, training=None):
        if training is not None and self.module.training != bool(training):
            self.module.train(bool(training))
        kwargs = {"training": training} if self._module_takes_training else {}
        if isinstance(inputs, (list, tuple)):
            return self.module(*inputs, **kwargs)
        if isinstance(inputs, dict):
            return self.module(**inputs, **kwargs)
        return self.module(inputs, **kwargs)

    def get_config(self):
        raise NotImplementedError(
            "A model made from a torch module has no Keras config: the module is Python code. "
            "Save its weights (`save_weights` or `torch.save(model.state_dict(), ...)`) instead."
        )
