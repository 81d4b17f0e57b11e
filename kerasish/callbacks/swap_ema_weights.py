"""`SwapEMAWeights`: evaluate and predict with the optimizer's moving average of the weights."""

import torch

from kerasish.callbacks.callback import Callback


def _ema_optimizers(model):
    optimizer = model.optimizer
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    inner = getattr(optimizer, "optimizers", None)
    if inner is not None:
        with_ema = [opt for opt in inner if getattr(opt, "use_ema", False)]
        if not with_ema:
            raise ValueError("SwapEMAWeights needs an inner optimizer with `use_ema=True`. "
                             "Received: a MultiOptimizer whose inner optimizers all have use_ema=False")
        return with_ema
    if not getattr(optimizer, "use_ema", False):
        raise ValueError("SwapEMAWeights must be used with an optimizer created with `use_ema=True`. "
                         f"Received: use_ema={getattr(optimizer, 'use_ema', None)}")
    return [optimizer]


class SwapEMAWeights(Callback):
    """Swaps the model's weights with the optimizer's exponential moving averages around
    evaluation and prediction (and, with `swap_on_epoch=True`, around each epoch end, so that
    checkpoints written then hold the averages).

    The optimizer needs `use_ema=True`. Keras 3.15's `on_predict_end` tests the wrong flag and
    leaves the averages in the model after `predict()`; kerasish swaps back, as it does after
    `evaluate()`.

    Args:
        swap_on_epoch: also swap at each epoch's end (before other callbacks that save the model
            when this one is listed first) and back at the next epoch's start. Defaults to `False`.

    Example:

    ```python
    model.compile(optimizer=kerasish.optimizers.SGD(use_ema=True), loss="mse")
    model.fit(x, y, callbacks=[kerasish.callbacks.SwapEMAWeights()], validation_data=(vx, vy))
    ```
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _swap_variables(self):
        for opt in _ema_optimizers(self.model):
            if not opt.built:
                continue
            with torch.no_grad():
                for var, average in zip(opt._variables, opt._ema_averages):
                    current = var.detach().clone()
                    var.copy_(average)
                    average.copy_(current)

    def _finalize_ema_values(self):
        for opt in _ema_optimizers(self.model):
            if opt.built:
                with torch.no_grad():
                    torch._foreach_copy_(opt._ema_averages, [v.detach() for v in opt._variables])

    def _swap_in(self):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def _swap_out(self):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch:
            self._swap_out()

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_in()
            if epoch == self.params["epochs"] - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        self._swap_in()

    def on_test_end(self, logs=None):
        self._swap_out()

    def on_predict_begin(self, logs=None):
        self._swap_in()

    def on_predict_end(self, logs=None):
        self._swap_out()

    def get_config(self):
        return {"swap_on_epoch": self.swap_on_epoch}
