"""`kerasish.ops`: Keras 3's operations (`keras.ops`) on PyTorch.

Each op takes torch tensors, numpy arrays, Python numbers or Keras variables and returns torch
tensors (on the configured device), with Keras's argument names, defaults and dtype rules. Called
on symbolic `KerasTensor`s (inside a functional model), an op records a node of the graph instead.

The families are also reachable as modules, as in Keras: `ops.numpy`, `ops.nn`, `ops.linalg`,
`ops.math`, `ops.image`, `ops.core` (and `ops.einops`).

Example:

```python
from kerasish import ops

x = ops.arange(6, dtype="float32")
ops.mean(ops.reshape(x, (2, 3)), axis=-1)   # tensor([1., 4.])
```
"""

from kerasish.ops import core, einops, image, linalg, math, nn, numpy  # noqa: F401
from kerasish.ops.core import *  # noqa: F401,F403
from kerasish.ops.einops import *  # noqa: F401,F403
from kerasish.ops.linalg import *  # noqa: F401,F403
from kerasish.ops.math import *  # noqa: F401,F403
from kerasish.ops.nn import *  # noqa: F401,F403
from kerasish.ops.numpy import *  # noqa: F401,F403

__all__ = sorted(set().union(core.__all__, einops.__all__, linalg.__all__, math.__all__,
                             nn.__all__, numpy.__all__))
