"""Nothing a user receives aliases a live parameter or state variable (DESIGN, State): weights,
variables, `K.get_value`, optimizer variables, metric results and the weights EarlyStopping keeps
are copies that training leaves alone."""

import inspect

import numpy as np
import pytest
import torch

import kerasish
from kerasish import backend as K
from kerasish import callbacks, layers, metrics


def _model():
    model = kerasish.Sequential([kerasish.Input((6, 3)), layers.Conv1D(4, 3), layers.BatchNormalization(),
                                 layers.Flatten(), layers.Dense(2)])
    model.compile(kerasish.optimizers.Adam(0.05), "mse")
    return model


def _data(rng):
    return rng.normal(size=(32, 6, 3)).astype("float32"), rng.normal(size=(32, 2)).astype("float32")


def _shares_memory(array, model):
    return any(np.shares_memory(array, p.detach().numpy()) for p in model.parameters())


def test_get_weights_are_copies_that_training_leaves_alone(rng):
    model = _model()
    x, y = _data(rng)
    kept = model.get_weights()
    before = [w.copy() for w in kept]
    assert not any(_shares_memory(w, model) for w in kept)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    for w, b in zip(kept, before):
        np.testing.assert_array_equal(w, b)
    assert any(not np.array_equal(w, b) for w, b in zip(model.get_weights(), before))


def test_writing_into_returned_arrays_leaves_the_model_alone(rng):
    model = _model()
    x, _ = _data(rng)
    expected = model.predict(x, verbose=0)
    for array in model.get_weights() + [w.numpy() for w in model.weights] \
            + [np.asarray(w) for w in model.weights] + K.batch_get_value(model.weights) \
            + [K.get_value(w) for w in model.weights]:
        array[...] = 7.0
    np.testing.assert_array_equal(model.predict(x, verbose=0), expected)


def test_save_train_restore_pattern_puts_back_the_saved_weights(rng):
    model = _model()
    x, y = _data(rng)
    saved = model.get_weights()
    expected = model.predict(x, verbose=0)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    model.set_weights(saved)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6, atol=1e-6)


def test_get_value_of_a_plain_tensor_is_a_copy():
    t = torch.ones(3)
    value = K.get_value(t)
    t.add_(1.0)
    np.testing.assert_array_equal(value, np.ones(3, "float32"))


def test_optimizer_variables_numpy_are_copies(rng):
    model = _model()
    x, y = _data(rng)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    slots = [v.numpy() for v in model.optimizer.variables]
    before = [s.copy() for s in slots]
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    for s, b in zip(slots, before):
        np.testing.assert_array_equal(s, b)
    assert any(not np.array_equal(v.numpy(), b) for v, b in zip(model.optimizer.variables, before))


_REQUIRED = {"IoU": {"num_classes": 2, "target_class_ids": [0, 1]}, "MeanIoU": {"num_classes": 2},
             "OneHotIoU": {"num_classes": 2, "target_class_ids": [1]}, "OneHotMeanIoU": {"num_classes": 2},
             "PrecisionAtRecall": {"recall": 0.5}, "RecallAtPrecision": {"precision": 0.5},
             "SensitivityAtSpecificity": {"specificity": 0.5}, "SpecificityAtSensitivity": {"sensitivity": 0.5}}
_METRIC_CLASSES = sorted(n for n, o in metrics._OBJECTS.items() if inspect.isclass(o) and n[0].isupper()
                         and n not in ("Metric", "MeanMetricWrapper"))


def _update_candidates():
    g = torch.Generator().manual_seed(0)
    probs = torch.rand(8, 2, generator=g)
    onehot = torch.nn.functional.one_hot(torch.randint(0, 2, (8,), generator=g), 2).float()
    labels = torch.randint(0, 2, (8,), generator=g)
    return [(onehot, probs), (labels, probs), (labels, labels), (probs,)]


def _updated(name):
    for args in _update_candidates():
        m = getattr(metrics, name)(**_REQUIRED.get(name, {}))
        try:
            m.update_state(*args)
            m.result()
        except (TypeError, ValueError, RuntimeError, IndexError):
            continue
        return m, args
    pytest.fail(f"no candidate input updates {name}")


@pytest.mark.parametrize("name", _METRIC_CLASSES)
def test_metric_result_numpy_does_not_follow_the_state(name):
    m, args = _updated(name)
    result = m.result()
    results = result if isinstance(result, (list, tuple)) else list(result.values()) \
        if isinstance(result, dict) else [result]
    arrays = [r.detach().numpy() for r in results]
    before = [a.copy() for a in arrays]
    for _ in range(3):
        m.update_state(*args)
    m.reset_state()
    for a, b in zip(arrays, before):
        np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------------------ EarlyStopping
_X = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
_Y = _X @ np.array([[1.0], [2.0], [-1.0], [0.5]], "float32")
_XV = np.random.default_rng(1).normal(size=(32, 4)).astype("float32")
_YV = _XV @ np.array([[1.0], [0.0], [1.0], [0.5]], "float32")
# Validation targets differ from training ones: val_loss falls for four epochs, then rises.
_W0 = [np.full((4, 8), 0.1, "float32"), np.zeros(8, "float32"), np.full((8, 1), 0.1, "float32"),
       np.zeros(1, "float32")]


def _fit_with_early_stopping(lib, extra_callbacks=()):
    model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(8), lib.layers.Dense(1)])
    model.set_weights(_W0)
    model.compile(lib.optimizers.SGD(0.05), "mse")
    stopper = lib.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    history = model.fit(_X, _Y, validation_data=(_XV, _YV), epochs=20, batch_size=64, shuffle=False,
                        verbose=0, callbacks=[*extra_callbacks, stopper])
    return model, stopper, history.history["val_loss"]


def test_early_stopping_restores_the_weights_of_the_best_epoch():
    snapshots = []
    model = None
    record = callbacks.LambdaCallback(
        on_epoch_end=lambda e, logs: snapshots.append([p.detach().clone() for p in model.weights]))

    class Bind(callbacks.Callback):
        def on_train_begin(self, logs=None):
            nonlocal model
            model = self.model

    model_out, stopper, val_loss = _fit_with_early_stopping(kerasish, [Bind(), record])
    best = int(np.argmin(val_loss))
    assert stopper.best_epoch == best and best < len(val_loss) - 1
    for w, kept in zip(model_out.weights, snapshots[best]):
        torch.testing.assert_close(w.detach(), kept, rtol=0, atol=0)


def test_early_stopping_restores_like_keras(keras):
    model, stopper, val_loss = _fit_with_early_stopping(kerasish)
    ref_model, ref_stopper, ref_val_loss = _fit_with_early_stopping(keras)
    np.testing.assert_allclose(val_loss, ref_val_loss, rtol=1e-5)
    assert stopper.best_epoch == ref_stopper.best_epoch
    for w, ref in zip(model.get_weights(), ref_model.get_weights()):
        np.testing.assert_allclose(w, ref, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("batch_size", [8, 3])
def test_predict_returns_new_arrays_like_keras(batch_size, keras):
    x = np.ones((8, 3), "float32")
    model = kerasish.Sequential([kerasish.Input((3,)), layers.Activation("linear")])
    ref = keras.Sequential([keras.Input((3,)), keras.layers.Activation("linear")])
    for lib_model in (model, ref):
        assert not np.shares_memory(lib_model.predict(x, batch_size=batch_size, verbose=0), x)
        assert not np.shares_memory(lib_model.predict_on_batch(x), x)
