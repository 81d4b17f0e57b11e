"""`Adam` with Keras's rule: `w -= lr_t * m / (sqrt(v) + epsilon)`, with the bias corrections folded
into `lr_t` and `epsilon=1e-7`."""

import math

import torch

from kerasish.backend import config as backend_config
from kerasish.optimizers.optimizer import Optimizer


class Adam(Optimizer):
    """Adam.

    Args:
        learning_rate: defaults to `0.001`.
        beta_1, beta_2: decay rates of the moment estimates. Default to `0.9` and `0.999`.
        epsilon: defaults to `1e-7` (`None` means `K.epsilon()`).
        amsgrad: use the AMSGrad variant. Defaults to `False`.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name="adam", **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = backend_config.epsilon() if epsilon is None else float(epsilon)
        self.amsgrad = bool(amsgrad)

    def build(self, variables):
        super().build(variables)
        self.momentums = [self.add_variable_from_reference(v, "momentum") for v in variables]
        self.velocities = [self.add_variable_from_reference(v, "velocity") for v in variables]
        self.velocity_hats = [self.add_variable_from_reference(v, "velocity_hat")
                              for v in variables] if self.amsgrad else []

    def update_step(self, params, grads, lr, indices=None):
        step = self._iterations + 1
        b1, b2 = self.beta_1, self.beta_2
        alpha = lr * math.sqrt(1.0 - b2 ** step) / (1.0 - b1 ** step)
        m = self._state(self.momentums, indices)
        v = self._state(self.velocities, indices)
        torch._foreach_lerp_(m, grads, 1.0 - b1)
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
