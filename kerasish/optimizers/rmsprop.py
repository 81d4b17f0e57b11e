"""`RMSprop` with Keras's rule: epsilon inside the square root, `rho=0.9`, `epsilon=1e-7`."""

import torch

from kerasish.backend import config as backend_config
from kerasish.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop: `v = rho * v + (1 - rho) * g^2; w -= lr * g / sqrt(v + epsilon)`.

    Args:
        learning_rate: defaults to `0.001`.
        rho: discounting factor for the gradient history. Defaults to `0.9`.
        momentum: defaults to `0.0`.
        epsilon: defaults to `1e-7` (`None` means `K.epsilon()`, as in Keras 2).
        centered: normalise by the estimated variance of the gradient. Defaults to `False`.
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name="rmsprop", **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.rho = float(rho)
        self.momentum = float(momentum)
        self.epsilon = backend_config.epsilon() if epsilon is None else float(epsilon)
        self.centered = bool(centered)

    def build(self, variables):
        super().build(variables)
        self.velocities = [self.add_variable_from_reference(v, "velocity") for v in variables]
        self.momentums = [self.add_variable_from_reference(v, "momentum") for v in variables] \
            if self.momentum > 0 else []
        self.average_gradients = [self.add_variable_from_reference(v, "average_gradient")
                                  for v in variables] if self.centered else []

    def update_step(self, params, grads, lr, indices=None):
        rho = self.rho
        vel = self._state(self.velocities, indices)
        torch._foreach_mul_(vel, rho)
        torch._foreach_addcmul_(vel, grads, grads, value=1.0 - rho)
        if self.centered:
            avg = self._state(self.average_gradients, indices)
            torch._foreach_lerp_(avg, grads, 1.0 - rho)
            denom = torch._foreach_addcmul(vel, avg, avg, value=-1.0)
            torch._foreach_add_(denom, self.epsilon)
        else:
            denom = torch._foreach_add(vel, self.epsilon)
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
