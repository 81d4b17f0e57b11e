"""`Muon` (Jordan et al., 2024) as Keras 3 defines it: matrices (rank 2, not embeddings, not
excluded by name) take a momentum step orthogonalised by Newton-Schulz iterations; every other
variable takes an AdamW step."""

import math
import re

import torch

from kerasish.optimizers.optimizer import Optimizer


class Muon(Optimizer):
    """Muon.

    Args:
        learning_rate: defaults to `0.001`.
        adam_beta_1, adam_beta_2: AdamW's moment decays for non-Muon variables. Defaults to
            `0.9`, `0.999`.
        adam_weight_decay: AdamW's weight decay. Defaults to `0.004`.
        epsilon: AdamW's epsilon. Defaults to `1e-7`.
        weight_decay: the Muon variables' weight decay. Defaults to `0.004`.
        exclude_layers: regular expressions; variables whose path matches one use AdamW.
        exclude_embeddings: variables with "embedding" in their path use AdamW. Defaults to `True`.
        muon_a, muon_b, muon_c: the Newton-Schulz coefficients. Defaults to `3.4445, -4.7750, 2.0315`.
        adam_lr_ratio: AdamW's learning rate is `learning_rate * adam_lr_ratio`. Defaults to `1`.
        momentum: Muon's momentum. Defaults to `0.95`.
        ns_steps: Newton-Schulz iterations. Defaults to `5`.
        nesterov: Nesterov momentum. Defaults to `True`.
        rms_rate: scales Muon's update by `sqrt(max(rows, cols)) * rms_rate` (`None`: no scaling).
            Defaults to `0.2`.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    ```python
    opt = kerasish.optimizers.Muon(learning_rate=0.02, exclude_layers=["head"])
    ```
    """

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999,
                 adam_weight_decay=0.004, epsilon=1e-7, weight_decay=0.004, name=None,
                 exclude_layers=None, exclude_embeddings=True, muon_a=3.4445, muon_b=-4.7750,
                 muon_c=2.0315, adam_lr_ratio=1, momentum=0.95, ns_steps=5, nesterov=True,
                 rms_rate=0.2, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, name=name, **kwargs)
        if isinstance(ns_steps, bool) or not isinstance(ns_steps, int) or ns_steps < 0:
            raise ValueError(f"`ns_steps` must be a non-negative integer. Received: ns_steps={ns_steps!r}")
        self.adam_beta_1, self.adam_beta_2, self.epsilon = adam_beta_1, adam_beta_2, epsilon
        self.muon_a, self.muon_b, self.muon_c = muon_a, muon_b, muon_c
        self.adam_lr_ratio, self.momentum, self.ns_steps = adam_lr_ratio, momentum, ns_steps
        self.nesterov, self.rms_rate = nesterov, rms_rate
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = list(exclude_layers or [])
        self.adam_weight_decay = adam_weight_decay

    def _should_use_adamw(self, variable):
        if variable.ndim != 2:
            return True
        path = getattr(variable, "path", "") or ""
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(keyword, path) for keyword in self.exclude_layers)

    def build(self, variables):
        super().build(variables)
        momentums = [self.add_variable_from_reference(v, "momentum") for v in self._variables]
        velocities = [self.add_variable_from_reference(v, "velocity")
                      if self._should_use_adamw(v) else None for v in self._variables]
        self._momentums, self._adam_velocities = momentums, velocities
        self.add_slot_group([("momentum", momentums), ("velocity", velocities)])

    def _apply_weight_decay(self, params, lr):
        for p in params:
            if not self._use_weight_decay(p):
                continue
            wd = self.adam_weight_decay if self._should_use_adamw(p) else self.weight_decay
            if wd is not None:
                p.mul_(1.0 - float(wd) * lr)

    def update_step(self, params, grads, lr, indices=None):
        step = self._update_count() + 1
        for p, g, m, v in zip(params, grads, self._state(self._momentums, indices),
                              self._state(self._adam_velocities, indices)):
            if v is not None:
                self._adamw_step(p, g, m, v, lr * self.adam_lr_ratio, step)
            else:
                self._muon_step(p, g, m, lr)

    def _adamw_step(self, p, g, m, v, lr, step):
        b1, b2 = self.adam_beta_1, self.adam_beta_2
        alpha = lr * math.sqrt(1 - b2 ** step) / (1 - b1 ** step)
        m.lerp_(g, 1 - b1)
        v.lerp_(g * g, 1 - b2)
        p.sub_(m * alpha / (torch.sqrt(v) + self.epsilon))

    def _muon_step(self, p, g, m, lr):
        # A matrix keeps Keras's (in, out) layout, so no layout view is needed here.
        m.mul_(self.momentum).add_(g)
        direction = g + self.momentum * m if self.nesterov else m
        update = lr * self._newton_schulz(direction)
        if self.rms_rate is not None:
            update = update * math.sqrt(max(update.shape[0], update.shape[1])) * self.rms_rate
        p.sub_(update)

    def _newton_schulz(self, x):
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        tall = x.shape[-2] > x.shape[-1]
        if tall:
            x = x.transpose(-2, -1)
        x = x / (torch.linalg.matrix_norm(x, keepdim=True) + 1e-7)
        for _ in range(self.ns_steps):
            gram = x @ x.transpose(-2, -1)
            x = a * x + (b * gram + c * gram @ gram) @ x
        return x.transpose(-2, -1) if tall else x

    def get_config(self):
        config = super().get_config()
        config.update({
            "adam_beta_1": self.adam_beta_1, "adam_beta_2": self.adam_beta_2,
            "epsilon": self.epsilon, "exclude_layers": self.exclude_layers,
            "muon_a": self.muon_a, "muon_b": self.muon_b, "muon_c": self.muon_c,
            "adam_lr_ratio": self.adam_lr_ratio, "momentum": self.momentum,
            "ns_steps": self.ns_steps, "nesterov": self.nesterov,
            "exclude_embeddings": self.exclude_embeddings,
            "adam_weight_decay": self.adam_weight_decay, "rms_rate": self.rms_rate,
        })
        return config
