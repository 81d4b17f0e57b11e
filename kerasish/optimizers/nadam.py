"""`Nadam` (Adam with Nesterov momentum) with Keras's momentum schedule: `u_t = beta_1 * (1 - 0.5 *
0.96^t)` and the running product of the `u_t` (the momentum cache), kept on the host."""

import math

import torch

from kerasish.optimizers.optimizer import Optimizer


class Nadam(Optimizer):
    """Nadam.

    Args:
        learning_rate: defaults to `0.001`.
        beta_1: decay rate of the first moment. Defaults to `0.9`.
        beta_2: decay rate of the second moment. Defaults to `0.999`.
        epsilon: defaults to `1e-7` (`None` means `K.epsilon()`, as in Keras 2).
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    ```python
    import kerasish
    opt = kerasish.optimizers.Nadam(learning_rate=2e-3)
    ```
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = self._epsilon(epsilon)
        self._u_product = 1.0

    def build(self, variables):
        super().build(variables)
        self.momentums, self.velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"])
        self._u_product = 1.0

    def _host_state(self):
        return [self._u_product]

    def _set_host_state(self, values):
        (self._u_product,) = values

    def update_step(self, params, grads, lr, indices=None):
        b1, b2 = self.beta_1, self.beta_2
        t = self._update_count() + 1
        u_t = b1 * (1.0 - 0.5 * 0.96 ** t)
        u_next = b1 * (1.0 - 0.5 * 0.96 ** (t + 1))
        self._u_product *= u_t
        u_product_next = self._u_product * u_next
        m = self._state(self.momentums, indices)
        v = self._state(self.velocities, indices)
        torch._foreach_mul_(m, b1)
        torch._foreach_add_(m, grads, alpha=1.0 - b1)
        torch._foreach_mul_(v, b2)
        torch._foreach_addcmul_(v, grads, grads, value=1.0 - b2)
        m_hat = torch._foreach_mul(m, u_next / (1.0 - u_product_next))
        torch._foreach_add_(m_hat, grads, alpha=(1.0 - u_t) / (1.0 - self._u_product))
        denom = torch._foreach_sqrt(v)
        torch._foreach_div_(denom, math.sqrt(1.0 - b2 ** t))
        torch._foreach_add_(denom, self.epsilon)
        torch._foreach_addcdiv_(params, m_hat, denom, value=-lr)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
