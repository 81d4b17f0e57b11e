"""`RMSprop` with Keras's rule: epsilon inside the square root, `rho=0.9`, `epsilon=1e-7`, and the
learning rate applied before the momentum (`torch.optim.RMSprop` adds epsilon outside the root,
defaults to `alpha=0.99, eps=1e-8`).

Keras 2 (standalone, and tf.keras's legacy optimizer) added epsilon outside the root when there is
no momentum; with momentum, TensorFlow's kernel put it inside, as Keras 3 does. An optimizer with
Keras 2's rules (see `Optimizer`) follows that."""

import torch

from kerasish.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop: `v = rho * v + (1 - rho) * g^2; w -= lr * g / sqrt(v + epsilon)`.

    With Keras 2's arguments (`lr=`, `decay=`) and no momentum, Keras 2's
    `w -= lr * g / (sqrt(v) + epsilon)`.

    Args:
        learning_rate: defaults to `0.001`.
        rho: discounting factor for the gradient history. Defaults to `0.9`.
        momentum: defaults to `0.0`.
        epsilon: defaults to `1e-7` (`None` means `K.epsilon()`, as in Keras 2).
        centered: normalise by the estimated variance of the gradient. Defaults to `False`.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    ```python
    import kerasish
    opt = kerasish.optimizers.RMSprop(learning_rate=1e-3, rho=0.9, centered=True)
    ```
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = float(rho)
        self.momentum = float(momentum)
        self.epsilon = self._epsilon(epsilon)
        self.centered = bool(centered)

    def build(self, variables):
        super().build(variables)
        self.velocities = self.add_optimizer_variables(variables, "velocity")
        self.momentums = (self.add_optimizer_variables(variables, "momentum")
                          if self.momentum > 0 else [])
        self.average_gradients = (self.add_optimizer_variables(variables, "average_gradient")
                                  if self.centered else [])

    def update_step(self, params, grads, lr, indices=None):
        rho = self.rho
        vel = self._state(self.velocities, indices)
        torch._foreach_mul_(vel, rho)
        torch._foreach_addcmul_(vel, grads, grads, value=1.0 - rho)
        if self.centered:
            avg = self._state(self.average_gradients, indices)
            torch._foreach_mul_(avg, rho)
            torch._foreach_add_(avg, grads, alpha=1.0 - rho)
            denom = torch._foreach_addcmul(vel, avg, avg, value=-1.0)
        else:
            denom = None
        if self._keras2 and not self.momentum > 0:
            denom = torch._foreach_sqrt(vel) if denom is None else torch._foreach_sqrt(denom)
            torch._foreach_add_(denom, self.epsilon)
        else:
            denom = torch._foreach_add(vel if denom is None else denom, self.epsilon)
            torch._foreach_sqrt_(denom)
        if self.momentum > 0:
            m = self._state(self.momentums, indices)
            torch._foreach_mul_(m, self.momentum)
            torch._foreach_addcdiv_(m, grads, denom, value=lr)
            torch._foreach_sub_(params, m)
        else:
            torch._foreach_addcdiv_(params, grads, denom, value=-lr)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                       "centered": self.centered})
        return config
