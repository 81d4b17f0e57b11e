"""EarlyStopping, LearningRateScheduler, ReduceLROnPlateau, TerminateOnNaN and stop_training
inside `fit`."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import callbacks

from tests.callbacks.helpers import tiny_data, tiny_model


class _ScriptedLoss(callbacks.Callback):
    """Replaces the epoch's `val_loss` with a scripted value (callbacks after it see it)."""

    def __init__(self, values):
        super().__init__()
        self.values = values

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = self.values[epoch]


def test_early_stopping_stops_fit_and_restores_best_weights():
    x, y = tiny_data()
    model = tiny_model()
    snapshots = []
    record = callbacks.LambdaCallback(on_epoch_end=lambda e, logs: snapshots.append(model.get_weights()))
    stopper = callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    values = [1.0, 0.5, 0.7, 0.8, 0.2, 0.1]
    history = model.fit(x, y, epochs=6, verbose=0, callbacks=[_ScriptedLoss(values), record, stopper])
    assert len(history.history["loss"]) == 4  # stops at epoch index 3 (two epochs without improvement)
    assert stopper.stopped_epoch == 3 and stopper.best_epoch == 1
    for w, best in zip(model.get_weights(), snapshots[1]):
        np.testing.assert_array_equal(w, best)


def test_early_stopping_warns_when_monitor_missing():
    stopper = callbacks.EarlyStopping(monitor="val_missing", mode="min")
    stopper.set_model(tiny_model())
    stopper.on_train_begin()
    with pytest.warns(UserWarning, match="not available"):
        stopper.on_epoch_end(0, {"loss": 1.0})


def test_auto_mode_cannot_guess_raises():
    stopper = callbacks.EarlyStopping(monitor="weird_quantity")
    stopper.set_model(tiny_model())
    with pytest.raises(ValueError, match="mode='max'"):
        stopper.on_epoch_end(0, {"weird_quantity": 1.0})


def test_stop_training_in_a_batch_hook_ends_after_that_batch():
    x, y = tiny_data(n=64)
    model = tiny_model()
    seen = []

    def on_batch_end(batch, logs):
        seen.append(batch)
        if batch == 2:
            model.stop_training = True

    history = model.fit(x, y, batch_size=8, epochs=3, verbose=0,
                        callbacks=[callbacks.LambdaCallback(on_train_batch_end=on_batch_end)])
    assert seen == [0, 1, 2] and len(history.history["loss"]) == 1


@pytest.mark.parametrize("schedule", [lambda epoch: 0.1 / (epoch + 1), lambda epoch, lr: lr * 0.5])
def test_learning_rate_scheduler_one_and_two_argument_schedules(schedule):
    x, y = tiny_data()
    model = tiny_model(lr=0.2)
    seen = []
    probe = callbacks.LambdaCallback(on_epoch_begin=lambda e, logs: seen.append(float(model.optimizer.learning_rate)))
    history = model.fit(x, y, epochs=3, verbose=0,
                        callbacks=[callbacks.LearningRateScheduler(schedule), probe])
    expected = [schedule(e) if schedule.__code__.co_argcount == 1 else 0.2 * 0.5 ** (e + 1) for e in range(3)]
    np.testing.assert_allclose(seen, expected, rtol=1e-6)
    np.testing.assert_allclose(history.history["learning_rate"], expected, rtol=1e-6)


def test_learning_rate_scheduler_rejects_non_float():
    model = tiny_model()
    cb = callbacks.LearningRateScheduler(lambda epoch: "fast")
    cb.set_model(model)
    with pytest.raises(ValueError, match="should be a float"):
        cb.on_epoch_begin(0)


def test_learning_rate_change_takes_effect_on_the_next_step():
    """An lr set in a batch hook is used by the very next update (SGD: w -= lr * g)."""
    x, y = tiny_data(n=8)
    model = tiny_model(lr=0.1)
    model.fit(x, y, epochs=1, verbose=0)  # builds
    before = [w.copy() for w in model.get_weights()]
    model.optimizer.learning_rate = 0.0
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_reduce_lr_on_plateau_in_fit_and_with_torch_optimizer():
    x, y = tiny_data()
    model = tiny_model(lr=0.1)
    cb = callbacks.ReduceLROnPlateau(monitor="val_loss", patience=1, factor=0.5, min_lr=0.03)
    history = model.fit(x, y, epochs=5, verbose=0, callbacks=[_ScriptedLoss([1.0] * 5), cb])
    # Logged before that epoch's reduction, as Keras; 0.03 is the floor.
    np.testing.assert_allclose(history.history["learning_rate"], [0.1, 0.1, 0.05, 0.03, 0.03], rtol=1e-6)
    torch_model = tiny_model(lr=0.1)
    torch_model(torch.zeros(1, 4))
    torch_model.compile(torch.optim.SGD(torch_model.parameters(), lr=0.1), "mse")
    cb = callbacks.ReduceLROnPlateau(monitor="val_loss", patience=0, factor=0.1)
    torch_model.fit(x, y, epochs=2, verbose=0, callbacks=[_ScriptedLoss([1.0, 1.0]), cb])
    assert torch_model.optimizer.param_groups[0]["lr"] == pytest.approx(0.01)  # one plateau epoch


def test_reduce_lr_rejects_factor_of_one():
    with pytest.raises(ValueError, match="factor"):
        callbacks.ReduceLROnPlateau(factor=1.0)


def test_terminate_on_nan_stops_at_the_first_nan_batch(capsys):
    x, y = tiny_data(n=32)
    y[10:] = np.nan
    model = tiny_model()
    history = model.fit(x, y, batch_size=8, epochs=3, verbose=0, shuffle=False,
                        callbacks=[callbacks.TerminateOnNaN()])
    assert len(history.history["loss"]) == 1
    assert "Batch 1: Invalid loss" in capsys.readouterr().out
    with pytest.raises(RuntimeError, match="NaN or Inf loss"):
        tiny_model().fit(x, y, batch_size=8, verbose=0, callbacks=[callbacks.TerminateOnNaN(raise_error=True)])


def test_registry_resolves_names():
    assert callbacks.get("EarlyStopping") is callbacks.EarlyStopping
    assert callbacks.get(callbacks.History()).__class__ is callbacks.History
    with pytest.raises(ValueError, match="EarlyStopping"):
        callbacks.get("EarlyStoping")
    assert kerasish.callbacks.ModelCheckpoint is callbacks.ModelCheckpoint
