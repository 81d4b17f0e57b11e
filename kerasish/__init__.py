"""kerasish: Keras code, unchanged, on PyTorch.

```python
from kerasish.models import Sequential
from kerasish.layers import Dense

model = Sequential([Dense(32, activation="relu", input_dim=100), Dense(10, activation="softmax")])
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
```
"""

from kerasish.version import __version__  # noqa: F401
from kerasish import backend  # noqa: F401
from kerasish import activations, constraints, initializers, regularizers  # noqa: F401
from kerasish import layers, losses, metrics, optimizers  # noqa: F401
from kerasish import callbacks, models, utils, saving, mixed_precision  # noqa: F401
from kerasish import config, ops, random, tree  # noqa: F401
from kerasish.layers import Input, InputLayer, Layer  # noqa: F401
from kerasish.models import Model, Sequential  # noqa: F401
from kerasish.backend.variables import Variable  # noqa: F401
from kerasish.backend.config import device_scope as device  # noqa: F401
from kerasish.backend.scopes import name_scope, remat  # noqa: F401
from kerasish.backend.state_scopes import RematScope, StatelessScope, SymbolicScope  # noqa: F401
from kerasish.initializers import Initializer  # noqa: F401
from kerasish.layers import InputSpec  # noqa: F401
from kerasish.losses import Loss  # noqa: F401
from kerasish.metrics import Metric  # noqa: F401
from kerasish.optimizers import Optimizer  # noqa: F401
from kerasish.regularizers import Regularizer  # noqa: F401
from kerasish.mixed_precision import DTypePolicy  # noqa: F401
from kerasish import datasets  # noqa: F401
from kerasish import dtype_policies  # noqa: F401
from kerasish import legacy  # noqa: F401
from kerasish import wrappers  # noqa: F401
from kerasish import export  # noqa: F401
from kerasish import distribution  # noqa: F401
from kerasish import visualization  # noqa: F401
from kerasish import distillation  # noqa: F401
from kerasish import applications  # noqa: F401

from kerasish.backend.keras_tensor import KerasTensor  # noqa: F401
from kerasish.ops.function import Function  # noqa: F401
from kerasish.ops.operation import Operation  # noqa: F401

FloatDTypePolicy = DTypePolicy  # Keras 3's name for a policy over floating dtypes


def _install_hooks():
    """Hooks a lower floor reads, installed from the top (DESIGN.md, Floors)."""
    import sys

    from kerasish.layers.core import lambda_layer
    from kerasish.layers.preprocessing import vocabulary_io
    from kerasish.saving import serialization

    root = sys.modules[__name__]
    lambda_layer.configure_loading({"keras": root, "kerasish": root},
                                   lambda: serialization.in_safe_mode())
    # A config naming a vocabulary file is refused in safe mode (it reads outside the archive).
    vocabulary_io.configure_safe_mode(lambda: serialization.in_safe_mode())


_install_hooks()
