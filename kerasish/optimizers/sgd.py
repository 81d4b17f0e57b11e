"""`SGD` with Keras's momentum form: `m = momentum * m - lr * g; w += m` (nesterov:
`w += momentum * m - lr * g`). `torch.optim.SGD` instead keeps `m = momentum * m + g` and
scales by `lr` afterwards, which differs as soon as the learning rate changes."""

import torch

from kerasish.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent with optional (Nesterov) momentum.

    Args:
        learning_rate: defaults to `0.01`.
        momentum: float in `[0, 1]`. Defaults to `0.0`.
        nesterov: whether to apply Nesterov momentum. Defaults to `False`.
        **kwargs: the common optimizer arguments (`clipnorm`, `weight_decay`, `use_ema`, Keras 2's
            `lr` and `decay`, ...); see `Optimizer`.

    Example (Keras 2 spelling, as in many tutorials):

    ```python
    import kerasish
    sgd = kerasish.optimizers.SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
    ```
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not isinstance(momentum, (int, float)) or not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: momentum={momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def build(self, variables):
        super().build(variables)
        self.momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum else []

    def update_step(self, params, grads, lr, indices=None):
        if not self.momentum:
            torch._foreach_add_(params, grads, alpha=-lr)
            return
        m = self._state(self.momentums, indices)
        torch._foreach_mul_(m, self.momentum)
        torch._foreach_add_(m, grads, alpha=-lr)
        if self.nesterov:
            torch._foreach_add_(params, grads, alpha=-lr)
            torch._foreach_add_(params, m, alpha=self.momentum)
        else:
            torch._foreach_add_(params, m)

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
