"""EarlyStopping and ReduceLROnPlateau make Keras 3's decisions on the same sequence of logs.

Both libraries' callbacks are driven directly, with a stand-in model whose metric values we choose,
so the comparison covers the decision logic only (which epoch stops, which lr follows)."""

import itertools

import numpy as np
import pytest

from kerasish import callbacks as kcb


class _Optimizer:
    def __init__(self, lr):
        self.learning_rate = lr


class _Model:
    """What the callbacks touch: stop flag, optimizer, weights, metrics."""

    def __init__(self, lr=0.1):
        self.stop_training = False
        self.optimizer = _Optimizer(lr)
        self.metrics = []
        self.built = True
        self._w = [np.zeros(1)]

    def get_weights(self):
        return [w.copy() for w in self._w]

    def set_weights(self, weights):
        self._w = [np.asarray(w).copy() for w in weights]


def _sequences():
    rng = np.random.default_rng(7)
    seqs = [rng.normal(1.0, 0.1, size=12) for _ in range(3)]
    seqs.append(np.array([1.0, 0.9, 0.9, 0.95, 0.89999, 0.7, 0.71, 0.72, 0.73, 0.6, 0.61, 0.62]))
    seqs.append(np.array([0.5, 0.6, 0.7, 0.65, 0.8, 0.8, 0.8, 0.81, 0.79, 0.78, 0.9, 0.85]))
    return seqs


def _run(callback, model, values, monitor):
    """Feeds the values as epoch logs; returns the epochs at which training was stopped and the
    model's weights tag (the epoch whose weights were restored)."""
    callback.set_model(model)
    callback.on_train_begin()
    stops = []
    for epoch, v in enumerate(values):
        model._w = [np.array([float(epoch)])]
        callback.on_epoch_begin(epoch)
        callback.on_epoch_end(epoch, {monitor: float(v), "loss": float(v)})
        if model.stop_training:
            stops.append(epoch)
            break
    callback.on_train_end()
    return stops, float(model._w[0][0])


_ES_CONFIGS = [
    dict(patience=0), dict(patience=2), dict(patience=3, min_delta=0.05),
    dict(patience=2, baseline=0.8), dict(patience=1, start_from_epoch=4),
    dict(patience=2, restore_best_weights=True), dict(patience=3, baseline=0.3, restore_best_weights=True),
]


@pytest.mark.parametrize("config,mode", list(itertools.product(_ES_CONFIGS, ["min", "max", "auto"])))
def test_early_stopping_stops_at_the_same_epoch_as_keras(keras, config, mode):
    monitor = "val_loss"
    for values in _sequences():
        ours = _run(kcb.EarlyStopping(monitor=monitor, mode=mode, **config), _Model(), values, monitor)
        theirs = _run(keras.callbacks.EarlyStopping(monitor=monitor, mode=mode, **config), _Model(),
                      values, monitor)
        assert ours == theirs, (config, mode, values)


def test_early_stopping_auto_mode_for_accuracy_matches_keras(keras):
    model = keras.Sequential([keras.layers.Input((2,)), keras.layers.Dense(2)])
    model.compile("sgd", "mse", metrics=["accuracy"])
    model.evaluate(np.zeros((2, 2)), np.zeros((2, 2)), verbose=0)  # builds the compiled metrics
    values = np.array([0.5, 0.6, 0.55, 0.58, 0.59, 0.7, 0.6, 0.6])
    theirs = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=2)
    theirs.set_model(model)
    theirs.on_train_begin()
    stops_theirs = None
    for epoch, v in enumerate(values):
        theirs.on_epoch_end(epoch, {"val_accuracy": float(v)})
        if model.stop_training:
            stops_theirs = epoch
            break
    ours = _run(kcb.EarlyStopping(monitor="val_accuracy", patience=2), _Model(), values, "val_accuracy")
    assert ours[0] == [stops_theirs]


_RLR_CONFIGS = [
    dict(patience=0), dict(patience=1, factor=0.5), dict(patience=2, cooldown=2, factor=0.2),
    dict(patience=1, min_lr=0.02, factor=0.5), dict(patience=1, min_delta=0.05),
]


@pytest.mark.parametrize("config,mode", list(itertools.product(_RLR_CONFIGS, ["min", "max"])))
def test_reduce_lr_on_plateau_follows_keras_learning_rates(keras, config, mode):
    for values in _sequences():
        trajectories = []
        for cls in (kcb.ReduceLROnPlateau, keras.callbacks.ReduceLROnPlateau):
            model = _Model(lr=0.1)
            callback = cls(monitor="val_loss", mode=mode, **config)
            callback.set_model(model)
            callback.on_train_begin()
            lrs = []
            for epoch, v in enumerate(values):
                callback.on_epoch_end(epoch, {"val_loss": float(v)})
                lrs.append(float(model.optimizer.learning_rate))
            trajectories.append(lrs)
        np.testing.assert_allclose(trajectories[0], trajectories[1], rtol=1e-7)
