"""`Lamb` (You et al., 2019): Adam's bias-corrected direction scaled per variable by the trust
ratio `||w|| / ||update||` (1 when either norm is 0), as Keras 3 computes it."""

import torch

from kerasish.optimizers.optimizer import Optimizer


class Lamb(Optimizer):
    """Lamb.

    Args:
        learning_rate: defaults to `0.001`.
        beta_1: decay rate of the first moment. Defaults to `0.9`.
        beta_2: decay rate of the second moment. Defaults to `0.999`.
        epsilon: defaults to `1e-7`.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    ```python
    opt = kerasish.optimizers.Lamb(learning_rate=0.01)
    ```
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def build(self, variables):
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"])

    def update_step(self, params, grads, lr, indices=None):
        step = self._update_count() + 1
        m = self._state(self._momentums, indices)
        v = self._state(self._velocities, indices)
        torch._foreach_lerp_(m, grads, 1.0 - self.beta_1)
        torch._foreach_lerp_(v, torch._foreach_mul(grads, grads), 1.0 - self.beta_2)
        m_hat = torch._foreach_div(m, 1.0 - self.beta_1 ** step)
        denom = torch._foreach_sqrt(torch._foreach_div(v, 1.0 - self.beta_2 ** step))
        torch._foreach_add_(denom, self.epsilon)
        updates = torch._foreach_div(m_hat, denom)
        w_norms = torch._foreach_norm(params)
        u_norms = torch._foreach_norm(updates)
        for p, u, wn, un in zip(params, updates, w_norms, u_norms):
            one = torch.ones((), dtype=wn.dtype, device=wn.device)
            ratio = torch.where(wn > 0, torch.where(un > 0, wn / un, one), one)
            p.sub_(u * (ratio * lr))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
