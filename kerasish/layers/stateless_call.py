"""`Layer.stateless_call` (Keras 3): a call on given variable values, returning the updated
non-trainable values instead of writing the layer's variables."""

import torch

from kerasish.backend.state_scopes import StatelessScope


def stateless_call(self, trainable_variables, non_trainable_variables, *args, return_losses=False,
                   **kwargs):
    """Calls the layer with `trainable_variables` and `non_trainable_variables` standing for its
    own (same order as `layer.trainable_variables` / `layer.non_trainable_variables`).

    Returns:
        `(outputs, non_trainable_variables)` with the updated non-trainable values (moving
        statistics, counters), plus the losses when `return_losses=True`. The layer's own
        variables are left unchanged.

    Example:

    ```python
    outputs, non_trainable = layer.stateless_call(trainable, non_trainable, x, training=True)
    ```
    """
    own_trainable, own_non_trainable = self.trainable_variables, self.non_trainable_variables
    for what, given, own in (("trainable_variables", trainable_variables, own_trainable),
                             ("non_trainable_variables", non_trainable_variables, own_non_trainable)):
        if len(given) != len(own):
            raise ValueError(
                f"Argument `{what}` must be a list of tensors corresponding 1:1 to "
                f"{type(self).__name__}().{what}, of length {len(own)}. Received list of "
                f"length {len(given)}")
    # Non-trainable values are copied: a layer updating them in place updates the copies, which
    # are the new values returned (the caller's tensors stay as they were).
    copies = [torch.as_tensor(v, dtype=own.dtype, device=own.device).clone()
              for v, own in zip(non_trainable_variables, own_non_trainable)]
    mapping = list(zip(own_trainable, trainable_variables)) + list(zip(own_non_trainable, copies))
    with StatelessScope(mapping, collect_losses=return_losses) as scope:
        outputs = self(*args, **kwargs)
        losses = list(self.losses) if return_losses else None
    updated = [scope.get_current_value(v) for v in own_non_trainable]
    if return_losses:
        return outputs, updated, losses
    return outputs, updated
