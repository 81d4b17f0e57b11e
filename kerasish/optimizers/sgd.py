"""`SGD` with Keras's momentum form: `m = momentum * m - lr * g; w += m` (nesterov:
`w += momentum * m - lr * g`)."""

import torch

from kerasish.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent with optional (Nesterov) momentum.

    Args:
        learning_rate: defaults to `0.01`.
        momentum: float >= 0. Defaults to `0.0`.
        nesterov: whether to apply Nesterov momentum. Defaults to `False`.

    Example (Keras 2 spelling, as in many tutorials):

    ```python
    sgd = kerasish.optimizers.SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
    ```
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name="SGD", **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, name=name, **kwargs)
        if not isinstance(momentum, (int, float)) or momentum < 0 or momentum > 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: momentum={momentum}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def build(self, variables):
        super().build(variables)
        self.momentums = [self.add_variable_from_reference(v, "momentum") for v in variables] \
            if self.momentum else []

    def update_step(self, params, grads, lr, indices=None):
        if not self.momentum:
            torch._foreach_add_(params, grads, alpha=-lr)
            return
        m = self._state(self.momentums, indices)
        torch._foreach_mul_(m, self.momentum)
        torch._foreach_add_(m, grads, alpha=-lr)
        if self.nesterov:
            torch._foreach_add_(params, m, alpha=self.momentum)
            torch._foreach_add_(params, grads, alpha=-lr)
        else:
            torch._foreach_add_(params, m)

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
