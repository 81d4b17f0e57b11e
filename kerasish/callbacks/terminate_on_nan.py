"""`TerminateOnNaN`: stop training when the loss becomes NaN or infinite."""

import math

from kerasish.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Stops training at the first batch whose loss is NaN or infinite.

    Reading the batch loss is a host sync per batch, as in Keras; add this callback only when
    you want that check.

    Args:
        raise_error: raise `RuntimeError` instead of stopping quietly.

    Example:

    ```python
    model.fit(x, y, callbacks=[kerasish.callbacks.TerminateOnNaN()])
    ```
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or not (math.isnan(loss) or math.isinf(loss)):
            return
        if self.raise_error:
            raise RuntimeError(
                f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                "Terminating training immediately."
            )
        print(f"Batch {batch}: Invalid loss, terminating training", flush=True)
        self.model.stop_training = True
