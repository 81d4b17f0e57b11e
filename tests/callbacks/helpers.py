"""Shared pieces of the callback tests: a tiny model and data, and a scripted stand-in model."""

import numpy as np

import kerasish
from kerasish import layers


def tiny_data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5, 0.0], dtype="float32"))[:, None]
    return x, y


def tiny_model(lr=0.01, optimizer="sgd"):
    model = kerasish.Sequential([layers.Dense(3, activation="relu"), layers.Dense(1)])
    opt = kerasish.optimizers.SGD(learning_rate=lr) if optimizer == "sgd" else optimizer
    model.compile(opt, "mse")
    return model


class RecordingModel:
    """Records `save`/`save_weights` calls (the file formats are the saving engineer's)."""

    def __init__(self):
        self.stop_training = False
        self.saved = []
        self.metrics = []
        self.optimizer = None

    def save(self, filepath, overwrite=True):
        self.saved.append(("model", filepath))

    def save_weights(self, filepath, overwrite=True):
        self.saved.append(("weights", filepath))


def drive_epochs(callback, model, logs_per_epoch, batches_per_epoch=0):
    """Runs the hooks `fit` would call for the given epoch logs."""
    callback.set_model(model)
    callback.set_params({"epochs": len(logs_per_epoch), "steps": batches_per_epoch, "verbose": 0})
    callback.on_train_begin()
    for epoch, logs in enumerate(logs_per_epoch):
        callback.on_epoch_begin(epoch)
        for batch in range(batches_per_epoch):
            callback.on_train_batch_begin(batch)
            callback.on_train_batch_end(batch, dict(logs))
        callback.on_epoch_end(epoch, dict(logs))
        if model.stop_training:
            break
    callback.on_train_end()
