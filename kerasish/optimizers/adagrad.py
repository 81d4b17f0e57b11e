"""`Adagrad` with Keras's rule: accumulators start at `initial_accumulator_value=0.1` and epsilon sits
inside the square root (`torch.optim.Adagrad` starts at 0 and adds `eps=1e-10` outside it).
Keras 2 (tf.keras's legacy optimizer) added epsilon outside the root; an optimizer with Keras 2's
rules (see `Optimizer`) does."""

import torch

from kerasish.optimizers.optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad: `a += g^2; w -= lr * g / sqrt(a + epsilon)`.

    With Keras 2's arguments (`lr=`, `decay=`), Keras 2's `w -= lr * g / (sqrt(a) + epsilon)`.

    Args:
        learning_rate: defaults to `0.001`.
        initial_accumulator_value: starting value of the accumulators. Defaults to `0.1`.
        epsilon: defaults to `1e-7` (`None` means `K.epsilon()`, as in Keras 2).
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    ```python
    import kerasish
    opt = kerasish.optimizers.Adagrad(learning_rate=0.01)
    ```
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if initial_accumulator_value < 0:
            raise ValueError("`initial_accumulator_value` must be >= 0. "
                             f"Received: initial_accumulator_value={initial_accumulator_value}")
        self.initial_accumulator_value = float(initial_accumulator_value)
        self.epsilon = self._epsilon(epsilon)

    def build(self, variables):
        super().build(variables)
        self.accumulators = self.add_optimizer_variables(
            variables, "accumulator", initializer=self.initial_accumulator_value)

    def update_step(self, params, grads, lr, indices=None):
        acc = self._state(self.accumulators, indices)
        torch._foreach_addcmul_(acc, grads, grads)
        if self._keras2:
            denom = torch._foreach_sqrt(acc)
            torch._foreach_add_(denom, self.epsilon)
        else:
            denom = torch._foreach_add(acc, self.epsilon)
            torch._foreach_sqrt_(denom)
        torch._foreach_addcdiv_(params, grads, denom, value=-lr)

    def get_config(self):
        config = super().get_config()
        config.update({"initial_accumulator_value": self.initial_accumulator_value,
                       "epsilon": self.epsilon})
        return config
