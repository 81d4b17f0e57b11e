"""`ScheduleFreeAdamW` (Defazio et al., 2024) with Keras 3's rule: Adam-scaled steps on a `z`
sequence (the `momentum` slot, started at the weights), an average `x` of it, and weights that
interpolate the two, so no learning-rate schedule is needed."""


import torch

from kerasish.optimizers.optimizer import Optimizer


class ScheduleFreeAdamW(Optimizer):
    """Schedule-Free AdamW.

    Args:
        learning_rate: defaults to `0.0025`.
        beta_1: interpolation between `z` and its average. Defaults to `0.9`.
        beta_2: decay rate of the second moment. Defaults to `0.999`.
        epsilon: defaults to `1e-8`.
        warmup_steps: the learning rate rises linearly over this many steps. Defaults to `0`.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    ```python
    model.compile(optimizer=kerasish.optimizers.ScheduleFreeAdamW(), loss="mse")
    ```
    """

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 warmup_steps=0, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if isinstance(warmup_steps, bool) or not isinstance(warmup_steps, int) or warmup_steps < 0:
            raise ValueError("`warmup_steps` must be a non-negative integer. "
                             f"Received: warmup_steps={warmup_steps!r}")
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.warmup_steps = warmup_steps

    def build(self, variables):
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"])
        with torch.no_grad():
            torch._foreach_copy_(self._momentums, [v.detach() for v in self._variables])

    def update_step(self, params, grads, lr, indices=None):
        step = float(self._update_count() + 1)
        if self.warmup_steps > 0:
            lr = lr * min(step / self.warmup_steps, 1.0)
        b1 = self.beta_1
        z = self._state(self._momentums, indices)
        v = self._state(self._velocities, indices)
        torch._foreach_lerp_(v, torch._foreach_mul(grads, grads), 1.0 - self.beta_2)
        denom = torch._foreach_sqrt(torch._foreach_div(v, 1.0 - self.beta_2 ** step))
        torch._foreach_add_(denom, self.epsilon)
        # x is recovered from the weights with z before this step's update (the paper's rule, and
        # Keras's on JAX/TensorFlow; Keras's torch backend reads the already-updated z because its
        # `momentum.value` aliases the variable: see docs/optimizers.md).
        z_old = [t.clone() for t in z]
        torch._foreach_addcdiv_(z, grads, denom, value=-lr)
        weight = 1.0 / step
        # y = (1 - b1) z + b1 x, so x_old = (y_old - (1 - b1) z_old) / b1; x_new averages z in.
        x = torch._foreach_sub(params, torch._foreach_mul(z_old, 1.0 - b1))
        torch._foreach_div_(x, b1)
        torch._foreach_lerp_(x, z, weight)
        y = torch._foreach_mul(x, b1)
        torch._foreach_add_(y, z, alpha=1.0 - b1)
        torch._foreach_copy_(params, y)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "warmup_steps": self.warmup_steps})
        return config
