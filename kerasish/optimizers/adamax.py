"""`Adamax` (Adam with the infinity norm) with Keras's rule: epsilon added to `u` before the bias
correction, `epsilon=1e-7`."""

import torch

from kerasish.optimizers.optimizer import Optimizer


class Adamax(Optimizer):
    """Adamax: `m = b1 * m + (1 - b1) * g; u = max(b2 * u, |g|);
    w -= lr * m / ((1 - b1^t) * (u + epsilon))`.

    Args:
        learning_rate: defaults to `0.001`.
        beta_1: decay rate of the first moment. Defaults to `0.9`.
        beta_2: decay rate of the infinity norm. Defaults to `0.999`.
        epsilon: defaults to `1e-7` (`None` means `K.epsilon()`, as in Keras 2).
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    ```python
    import kerasish
    opt = kerasish.optimizers.Adamax(learning_rate=2e-3)
    ```
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = self._epsilon(epsilon)

    def build(self, variables):
        super().build(variables)
        self.m, self.u = self.add_optimizer_variables(variables, ["momentum", "norm"])

    def update_step(self, params, grads, lr, indices=None):
        b1 = self.beta_1
        correction = 1.0 - b1 ** (self._update_count() + 1)
        m = self._state(self.m, indices)
        u = self._state(self.u, indices)
        torch._foreach_mul_(m, b1)
        torch._foreach_add_(m, grads, alpha=1.0 - b1)
        torch._foreach_mul_(u, self.beta_2)
        torch._foreach_maximum_(u, torch._foreach_abs(grads))
        denom = torch._foreach_add(u, self.epsilon)
        torch._foreach_mul_(denom, correction)
        torch._foreach_addcdiv_(params, m, denom, value=-lr)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
