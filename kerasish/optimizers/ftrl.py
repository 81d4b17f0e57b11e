"""`Ftrl` (Follow The Regularized Leader) with Keras's rule and defaults
(`learning_rate_power=-0.5`, `initial_accumulator_value=0.1`)."""

import torch

from kerasish.optimizers.optimizer import Optimizer

_NON_NEGATIVE = ("initial_accumulator_value", "l1_regularization_strength",
                 "l2_regularization_strength", "l2_shrinkage_regularization_strength")


class Ftrl(Optimizer):
    """Ftrl.

    Args:
        learning_rate: defaults to `0.001`.
        learning_rate_power: `<= 0`; how the learning rate falls with the accumulated squared
            gradient. Defaults to `-0.5`.
        initial_accumulator_value: `>= 0`. Defaults to `0.1`.
        l1_regularization_strength: `>= 0`. Defaults to `0.0`.
        l2_regularization_strength: `>= 0`. Defaults to `0.0`.
        l2_shrinkage_regularization_strength: `>= 0`, a magnitude penalty on the weights (added to
            the gradient). Defaults to `0.0`.
        beta: the `beta` of the paper's learning rate. Defaults to `0.0`.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    ```python
    import kerasish
    opt = kerasish.optimizers.Ftrl(learning_rate=0.05, l1_regularization_strength=0.001)
    ```
    """

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 l2_shrinkage_regularization_strength=0.0, beta=0.0, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        values = dict(zip(_NON_NEGATIVE, (initial_accumulator_value, l1_regularization_strength,
                                          l2_regularization_strength,
                                          l2_shrinkage_regularization_strength)))
        for arg, value in values.items():
            if value < 0:
                raise ValueError(f"`{arg}` must be positive or zero. Received: {arg}={value}")
            setattr(self, arg, float(value))
        if learning_rate_power > 0:
            raise ValueError("`learning_rate_power` must be negative or zero. "
                             f"Received: learning_rate_power={learning_rate_power}")
        self.learning_rate_power = float(learning_rate_power)
        self.beta = float(beta)

    def build(self, variables):
        super().build(variables)
        self.accumulators, self.linears = self.add_optimizer_variables(
            variables, ["accumulator", "linear"], initializer=[self.initial_accumulator_value, "zeros"])

    def update_step(self, params, grads, lr, indices=None):
        acc = self._state(self.accumulators, indices)
        linear = self._state(self.linears, indices)
        p = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)
        new_acc = torch._foreach_addcmul(acc, grads, grads)
        new_pow = torch._foreach_pow(new_acc, p)
        sigma = torch._foreach_sub(new_pow, torch._foreach_pow(acc, p))
        torch._foreach_div_(sigma, lr)
        torch._foreach_add_(linear, grads)
        if self.l2_shrinkage_regularization_strength:
            torch._foreach_add_(linear, params, alpha=2.0 * self.l2_shrinkage_regularization_strength)
        torch._foreach_addcmul_(linear, sigma, params, value=-1.0)
        quadratic = torch._foreach_div(new_pow, lr)
        torch._foreach_add_(quadratic, 2.0 * l2)
        clipped = torch._foreach_clamp_max(torch._foreach_clamp_min(linear, -l1), l1)
        torch._foreach_sub_(clipped, linear)
        torch._foreach_div_(clipped, quadratic)
        torch._foreach_copy_([w.data for w in params], clipped)
        torch._foreach_copy_(acc, new_acc)

    def get_config(self):
        config = super().get_config()
        config.update({"learning_rate_power": self.learning_rate_power, "beta": self.beta,
                       **{arg: getattr(self, arg) for arg in _NON_NEGATIVE}})
        return config
