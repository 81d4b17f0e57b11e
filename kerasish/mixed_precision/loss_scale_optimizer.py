"""`LossScaleOptimizer`: dynamic loss scaling for float16 training, wrapping another optimizer.

The loss is multiplied by `scale` before `backward()`; the step unscales the gradients and, when any
gradient is not finite, skips the update and halves the scale; after `dynamic_growth_steps` finite
steps in a row, the scale doubles. Deciding whether to skip needs one device->host read per step,
as in torch's GradScaler; bfloat16 has float32's range and needs no loss scaling.
"""

import torch

from kerasish.optimizers.optimizer import Optimizer


class LossScaleOptimizer(Optimizer):
    """Wraps `inner_optimizer` with dynamic loss scaling.

    Args:
        inner_optimizer: the optimizer that applies the (unscaled) updates.
        initial_scale: the starting loss scale. Defaults to `2 ** 15`.
        dynamic_growth_steps: finite steps before the scale doubles. Defaults to `2000`.

    Example:

    ```python
    opt = kerasish.mixed_precision.LossScaleOptimizer(kerasish.optimizers.Adam())
    model.compile(optimizer=opt, loss="mse")
    ```
    """

    def __init__(self, inner_optimizer, initial_scale=2.0 ** 15, dynamic_growth_steps=2000, name=None,
                 **kwargs):
        from kerasish import optimizers

        inner = optimizers.get(inner_optimizer)
        if not isinstance(inner, Optimizer):
            raise TypeError(
                "LossScaleOptimizer wraps a kerasish optimizer. "
                f"Received: inner_optimizer={inner_optimizer!r}"
            )
        if initial_scale <= 0 or dynamic_growth_steps < 1:
            raise ValueError(
                "`initial_scale` must be positive and `dynamic_growth_steps` at least 1. Received: "
                f"initial_scale={initial_scale}, dynamic_growth_steps={dynamic_growth_steps}"
            )
        super().__init__(learning_rate=0.0, name=name or "loss_scale_optimizer")
        self.inner_optimizer = inner
        self.initial_scale = float(initial_scale)
        self.dynamic_growth_steps = int(dynamic_growth_steps)
        self._scale = float(initial_scale)
        self._good_steps = 0

    @property
    def dynamic_scale(self):
        return self._scale

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        if hasattr(self, "inner_optimizer"):
            self.inner_optimizer.learning_rate = value
        else:
            self._set_learning_rate(value)

    lr = learning_rate

    def _current_base_lr(self):
        return self.inner_optimizer._current_base_lr()

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    def build(self, variables):
        super().build(variables)
        self.inner_optimizer.build(variables)

    def _rebuild_for(self, variables):
        super().build(variables)
        self.inner_optimizer._rebuild_for(variables)

    def _follow_variables(self):
        super()._follow_variables()
        self.inner_optimizer._follow_variables()

    @property
    def variables(self):
        return self.inner_optimizer.variables

    def finalize_variable_values(self, var_list):
        """Forwards to the inner optimizer (`use_ema` writes its averages into the model)."""
        self.inner_optimizer.finalize_variable_values(var_list)

    # Keras's file layout: the wrapper's own iteration and learning rate (unused, 0), its step
    # counter and scale, then the inner optimizer's state.
    _OWN_STATE = 4

    def _state_values(self):
        import numpy as np

        own = [np.asarray(self._iterations, dtype="int64"), np.asarray(0.0, dtype="float32"),
               np.asarray(self._good_steps, dtype="int64"), np.asarray(self._scale, dtype="float32")]
        return own + self.inner_optimizer._state_values()

    def save_own_variables(self, store):
        for i, value in enumerate(self._state_values()):
            store[str(i)] = value

    def load_own_variables(self, store):
        import numpy as np

        n = self._OWN_STATE
        if len(store.keys()) != len(self._state_values()):
            # Let the inner optimizer warn and skip, as a mismatched Keras file does.
            self.inner_optimizer.load_own_variables(store)
            return
        self._good_steps = int(np.asarray(store["2"]))
        self._scale = float(np.asarray(store["3"]))
        inner = {str(i - n): store[str(i)] for i in range(n, len(store.keys()))}
        self.inner_optimizer.load_own_variables(inner)

    def scale_loss(self, loss):
        return loss * self._scale

    def step(self):
        grads = [p.grad for p in self._variables]
        self._apply_scaled(grads)

    def apply(self, grads, trainable_variables=None):
        if trainable_variables is not None and not self.built:
            self.build(list(trainable_variables))
        self._apply_scaled(list(grads))

    def _apply_scaled(self, grads):
        present = [g for g in grads if g is not None]
        if not present:
            return
        with torch.no_grad():
            found_inf = torch.zeros(1, device=present[0].device)
            inv_scale = torch.full((1,), 1.0 / self._scale, device=present[0].device)
            torch._amp_foreach_non_finite_check_and_unscale_(present, found_inf, inv_scale)
            if bool(found_inf):  # the one host read per step that loss scaling needs
                self._scale /= 2.0
                self._good_steps = 0
                return
            self.inner_optimizer._apply(grads, None)
        self._good_steps += 1
        if self._good_steps >= self.dynamic_growth_steps:
            self._scale *= 2.0
            self._good_steps = 0

    def get_config(self):
        from kerasish import optimizers

        return {"name": self.name, "inner_optimizer": optimizers.serialize(self.inner_optimizer),
                "initial_scale": self.initial_scale, "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasish import optimizers

        config = dict(config)
        config["inner_optimizer"] = optimizers.deserialize(config["inner_optimizer"], custom_objects)
        return cls(**config)

