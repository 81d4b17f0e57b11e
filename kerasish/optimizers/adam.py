"""`Adam` with Keras's rule: `w -= lr_t * m / (sqrt(v) + epsilon)`, the bias corrections folded into
`lr_t = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)`, and `epsilon=1e-7` (`torch.optim.Adam` divides by
`sqrt(v_hat) + eps` with `eps=1e-8`, which differs when `v` is small)."""

import math

import torch

from kerasish.optimizers.optimizer import Optimizer


class Adam(Optimizer):
    """Adam.

    Args:
        learning_rate: defaults to `0.001`.
        beta_1: decay rate of the first moment. Defaults to `0.9`.
        beta_2: decay rate of the second moment. Defaults to `0.999`.
        epsilon: defaults to `1e-7` (`None` means `K.epsilon()`, as in Keras 2).
        amsgrad: use the AMSGrad variant. Defaults to `False`.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    ```python
    import kerasish
    opt = kerasish.optimizers.Adam(learning_rate=1e-3, amsgrad=True)
    ```
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = self._epsilon(epsilon)
        self.amsgrad = bool(amsgrad)

    def build(self, variables):
        super().build(variables)
        self.momentums, self.velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"])
        self.velocity_hats = (self.add_optimizer_variables(variables, "velocity_hat")
                              if self.amsgrad else [])

    def update_step(self, params, grads, lr, indices=None):
        step = self._update_count() + 1
        b1, b2 = self.beta_1, self.beta_2
        alpha = lr * math.sqrt(1.0 - b2 ** step) / (1.0 - b1 ** step)
        m = self._state(self.momentums, indices)
        v = self._state(self.velocities, indices)
        torch._foreach_mul_(m, b1)
        torch._foreach_add_(m, grads, alpha=1.0 - b1)
        torch._foreach_mul_(v, b2)
        torch._foreach_addcmul_(v, grads, grads, value=1.0 - b2)
        if self.amsgrad:
            v_hat = self._state(self.velocity_hats, indices)
            torch._foreach_maximum_(v_hat, v)
            v = v_hat
        denom = torch._foreach_sqrt(v)
        torch._foreach_add_(denom, self.epsilon)
        torch._foreach_addcdiv_(params, m, denom, value=-alpha)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "amsgrad": self.amsgrad})
        return config
