"""`Adadelta` with Keras's defaults: `learning_rate=0.001` (Keras 2 and `torch.optim.Adadelta` use
`1.0`), `rho=0.95`, `epsilon=1e-7` inside both square roots."""

import torch

from kerasish.optimizers.optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta.

    `a_g = rho * a_g + (1 - rho) * g^2; d = -sqrt(a_d + eps) / sqrt(a_g + eps) * g;
    a_d = rho * a_d + (1 - rho) * d^2; w += lr * d`.

    Args:
        learning_rate: defaults to `0.001`.
        rho: decay rate. Defaults to `0.95`.
        epsilon: defaults to `1e-7` (`None` means `K.epsilon()`, as in Keras 2).
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    ```python
    import kerasish
    opt = kerasish.optimizers.Adadelta(learning_rate=1.0)
    ```
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = float(rho)
        self.epsilon = self._epsilon(epsilon)

    def build(self, variables):
        super().build(variables)
        self.accumulated_grads, self.accumulated_delta_vars = self.add_optimizer_variables(
            variables, ["accumulated_grad", "accumulated_delta_var"])

    def _rms(self, xs):
        out = torch._foreach_add(xs, self.epsilon)
        torch._foreach_sqrt_(out)
        return out

    def update_step(self, params, grads, lr, indices=None):
        rho = self.rho
        acc_g = self._state(self.accumulated_grads, indices)
        acc_d = self._state(self.accumulated_delta_vars, indices)
        torch._foreach_mul_(acc_g, rho)
        torch._foreach_addcmul_(acc_g, grads, grads, value=1.0 - rho)
        delta = torch._foreach_mul(self._rms(acc_d), grads)
        torch._foreach_div_(delta, self._rms(acc_g))
        torch._foreach_neg_(delta)
        torch._foreach_mul_(acc_d, rho)
        torch._foreach_addcmul_(acc_d, delta, delta, value=1.0 - rho)
        torch._foreach_add_(params, delta, alpha=lr)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
