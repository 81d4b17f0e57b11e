"""`AdamW`: `Adam` with decoupled weight decay (`w -= w * weight_decay * lr` before each update),
`weight_decay=0.004` by default (`torch.optim.AdamW` defaults to `0.01`)."""

from kerasish.optimizers.adam import Adam


class AdamW(Adam):
    """Adam with decoupled weight decay.

    Args:
        learning_rate: defaults to `0.001`.
        weight_decay: defaults to `0.004`; must be a float.
        beta_1, beta_2, epsilon, amsgrad: as in `Adam`.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    ```python
    import kerasish
    opt = kerasish.optimizers.AdamW(learning_rate=1e-3, weight_decay=0.01)
    opt.exclude_from_weight_decay(var_names=["bias"])
    ```
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, name=None, **kwargs):
        if weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, weight_decay=weight_decay, name=name,
                         **kwargs)
