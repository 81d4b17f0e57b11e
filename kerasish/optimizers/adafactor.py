"""`Adafactor` (Shazeer & Stern, 2018) with Keras 3's rule: factored second moments (a row and a
column average) for variables of rank >= 2, a full second moment for vectors, a relative step
size `min(lr, 1 / sqrt(t))` scaled by the variable's RMS, and update clipping."""

import math

import torch

from kerasish.backend import layouts
from kerasish.backend.variables import Variable
from kerasish.optimizers.optimizer import Optimizer


def _rms(x):
    return torch.sqrt(torch.mean(torch.square(x)))


class Adafactor(Optimizer):
    """Adafactor.

    Args:
        learning_rate: defaults to `0.001`.
        beta_2_decay: the second-moment decay is `1 - t ** beta_2_decay`. Defaults to `-0.8`.
        epsilon_1: added to the squared gradients. Defaults to `1e-30`.
        epsilon_2: lower bound of the variable's RMS in the step size. Defaults to `1e-3`.
        clip_threshold: the update's RMS is clipped to this. Defaults to `1.0`.
        relative_step: cap a constant learning rate at `1 / sqrt(t)`. Defaults to `True`.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    ```python
    opt = kerasish.optimizers.Adafactor(learning_rate=0.01)
    ```
    """

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3,
                 clip_threshold=1.0, relative_step=True, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, variables):
        super().build(variables)
        rows, cols, velocities = [], [], []
        for var in self._variables:
            factored = var.ndim >= 2
            keras_shape = layouts.keras_shape(var)
            if factored:
                rows.append(self._factor(var, keras_shape[:-1], "r"))
                cols.append(self._factor(var, keras_shape[:-2] + keras_shape[-1:], "c"))
            else:
                # Keras keeps an unused integer scalar in their place; saved files count them.
                rows.append(Variable(0, dtype="int32", trainable=False, name="r"))
                cols.append(Variable(0, dtype="int32", trainable=False, name="c"))
            velocities.append(self.add_variable_from_reference(var, "velocity"))
        self._r, self._c, self._v = rows, cols, velocities
        self.add_slot_group([("r", rows), ("c", cols), ("velocity", velocities)])

    def _factor(self, var, shape, name):
        ref = torch.zeros(shape, dtype=var.dtype, device=var.device)
        return self.add_variable_from_reference(ref, name)

    def update_step(self, params, grads, lr, indices=None):
        step = float(self._update_count() + 1)
        rho = min(lr, 1.0 / math.sqrt(step))
        beta_2 = 1.0 - step ** self.beta_2_decay
        for p, g, r, c, v in zip(params, grads, self._state(self._r, indices),
                                 self._state(self._c, indices), self._state(self._v, indices)):
            name = layouts.layout_of(p)
            factored = p.ndim >= 2
            w, g = layouts.view_as_keras(p, name), layouts.view_as_keras(g.to(p.dtype), name)
            alpha = torch.clamp(_rms(w), min=self.epsilon_2) * rho
            sq = torch.square(g) + self.epsilon_1
            if factored:
                r.mul_(beta_2).add_(torch.mean(sq, dim=-1), alpha=1.0 - beta_2)
                c.mul_(beta_2).add_(torch.mean(sq, dim=-2), alpha=1.0 - beta_2)
                v_k = layouts.view_as_keras(v, name)
                v_k.copy_((r / torch.mean(r, dim=-1, keepdim=True)).unsqueeze(-1) * c.unsqueeze(-2))
            else:
                v_k = v
                v.mul_(beta_2).add_(sq, alpha=1.0 - beta_2)
            u = g / torch.sqrt(v_k)
            u = u / torch.clamp(_rms(u) / self.clip_threshold, min=1.0)
            w.sub_(alpha * u)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_2_decay": self.beta_2_decay, "epsilon_1": self.epsilon_1,
                       "epsilon_2": self.epsilon_2, "clip_threshold": self.clip_threshold,
                       "relative_step": self.relative_step})
        return config

