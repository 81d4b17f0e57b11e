"""A subclassed model with its own `train_step` and `test_step` (Keras 3 style on torch):
`self.zero_grad()`, `loss.backward()`, `self.optimizer.apply(grads, self.trainable_weights)`,
`Mean` trackers as attributes and a `metrics` property so `fit` resets them each epoch.

Run: `python examples/custom_train_step.py`.
"""

import numpy as np
import torch

import kerasish
from kerasish import layers


class CustomModel(kerasish.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(32, activation="relu")
        self.out = layers.Dense(1)
        self.loss_tracker = kerasish.metrics.Mean(name="loss")
        self.mae_metric = kerasish.metrics.MeanAbsoluteError(name="mae")

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def train_step(self, data):
        x, y = data
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        loss.backward()
        trainable_weights = [v for v in self.trainable_weights]
        gradients = [v.value.grad for v in trainable_weights]
        with torch.no_grad():
            self.optimizer.apply(gradients, trainable_weights)
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        self.loss_tracker.update_state(self.compute_loss(y=y, y_pred=y_pred))
        self.mae_metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae_metric]


def main(epochs=3, verbose=0):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(512, 8)).astype("float32")
    y = (x @ rng.normal(size=(8, 1)) + 0.1).astype("float32")
    model = CustomModel()
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=epochs, batch_size=32, validation_split=0.2, verbose=verbose)
    return history, model


if __name__ == "__main__":
    hist, _ = main(epochs=5, verbose=2)
    print(hist.history)
