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
