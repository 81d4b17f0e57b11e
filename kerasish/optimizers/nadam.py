"""`Nadam` (Adam with Nesterov momentum) with Keras's momentum schedule: `u_t = beta_1 * (1 - 0.5 *
0.96^t)` and the running product of the `u_t` (the momentum cache), kept on the host.

Keras 2 (tf.keras's legacy optimizer) scaled the schedule's exponent by `schedule_decay`
(`0.96^(0.004 t)`) and did not decay the learning rate: its `decay` argument was replaced by
`schedule_decay`. An optimizer with Keras 2's rules (see `Optimizer`) does the same."""

import math
import warnings

import torch

from kerasish.optimizers.optimizer import Optimizer, speaks_keras2

_KERAS2_SCHEDULE_DECAY = 0.004


class Nadam(Optimizer):
    """Nadam.

    Args:
        learning_rate: defaults to `0.001`.
        beta_1: decay rate of the first moment. Defaults to `0.9`.
        beta_2: decay rate of the second moment. Defaults to `0.999`.
        epsilon: defaults to `1e-7` (`None` means `K.epsilon()`, as in Keras 2).
        schedule_decay: Keras 2's decay of the momentum schedule (`u_t = beta_1 * (1 - 0.5 *
            0.96^(schedule_decay * t))`). Giving it selects Keras 2's rules; with them it defaults
            to `0.004`.
        **kwargs: the common optimizer arguments; see `Optimizer`. With Keras 2's rules, `decay`
            does not decay the learning rate (as in Keras 2; a warning says so).

    Example:

    ```python
    import kerasish
    opt = kerasish.optimizers.Nadam(learning_rate=2e-3)
    ```
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None,
                 schedule_decay=None, **kwargs):
        if self._legacy_rules or speaks_keras2(kwargs) or schedule_decay is not None:
            kwargs = _keras2_kwargs(kwargs)
            schedule_decay = _KERAS2_SCHEDULE_DECAY if schedule_decay is None else schedule_decay
            if not isinstance(schedule_decay, (int, float)) or schedule_decay < 0:
                raise ValueError("`schedule_decay` must be a non-negative float. "
                                 f"Received: schedule_decay={schedule_decay!r}")
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = self._epsilon(epsilon)
        # Keras 3's schedule is Keras 2's with an exponent scale of 1.
        self.schedule_decay = float(schedule_decay) if self._keras2 else None
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
        scale = 1.0 if self.schedule_decay is None else self.schedule_decay
        u_t = b1 * (1.0 - 0.5 * 0.96 ** (scale * t))
        u_next = b1 * (1.0 - 0.5 * 0.96 ** (scale * (t + 1)))
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
        if self.schedule_decay is not None:
            config["decay"] = self.schedule_decay  # where tf.keras's legacy Nadam saves it
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if "decay" in config and "schedule_decay" not in config:
            # tf.keras's legacy Nadam saves its `schedule_decay` as `decay`.
            config["schedule_decay"] = config.pop("decay")
            config.setdefault("is_legacy_optimizer", True)
        return super().from_config(config, custom_objects)


def _keras2_kwargs(kwargs):
    """Keras 2's Nadam: `decay` does not decay the learning rate (tf.keras replaced it by
    `schedule_decay`); kept as a Keras 2 marker, with a warning when it would have mattered."""
    kwargs = dict(kwargs)
    decay = kwargs.pop("decay", None)
    if decay:
        warnings.warn(
            "Keras 2's Nadam does not decay the learning rate: tf.keras replaced its `decay` by "
            "`schedule_decay` (the decay of the momentum schedule, 0.004 unless given), and "
            "kerasish follows Keras 2. Use a `LearningRateSchedule` to decay the learning rate. "
            f"Received: decay={decay!r}", stacklevel=3)
    kwargs["is_legacy_optimizer"] = True
    return kwargs
