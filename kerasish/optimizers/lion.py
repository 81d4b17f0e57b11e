"""`Lion`: the sign of an interpolated momentum, with Keras's defaults `beta_1=0.9`, `beta_2=0.99`."""

import torch

from kerasish.optimizers.optimizer import Optimizer


class Lion(Optimizer):
    """Lion: `w -= lr * sign(b1 * m + (1 - b1) * g); m = b2 * m + (1 - b2) * g`.

    Args:
        learning_rate: defaults to `0.001`.
        beta_1: interpolation factor of the update. Defaults to `0.9`.
        beta_2: decay rate of the momentum. Defaults to `0.99`.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    ```python
    import kerasish
    opt = kerasish.optimizers.Lion(learning_rate=1e-4, weight_decay=0.01)
    ```
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not 0 < beta_1 <= 1:
            raise ValueError("Argument `beta_1` must be in the (0, 1] range; otherwise Lion "
                             f"degenerates to SignSGD. Received: beta_1={beta_1}")
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)

    def build(self, variables):
        super().build(variables)
        self.momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, params, grads, lr, indices=None):
        m = self._state(self.momentums, indices)
        # Same operation order as Keras: the sign of a value near zero must come out the same.
        c = torch._foreach_mul(m, self.beta_1)
        torch._foreach_add_(c, grads, alpha=1.0 - self.beta_1)
        torch._foreach_sign_(c)
        torch._foreach_add_(params, c, alpha=-lr)
        torch._foreach_mul_(m, self.beta_2)
        torch._foreach_add_(m, grads, alpha=1.0 - self.beta_2)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config
