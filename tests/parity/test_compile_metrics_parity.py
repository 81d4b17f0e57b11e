"""A compiled model names its metrics as Keras does (History keys, `metrics_names`) and its loss
with `sample_weight` / `class_weight` equals Keras 3's for the same weights."""

import numpy as np

import kerasish
from tests.conftest import assert_close


def _pair(keras, units, activation):
    def build(lib):
        return lib.Sequential([lib.Input((5,)), lib.layers.Dense(8, activation="relu"),
                               lib.layers.Dense(units, activation=activation)])

    ref = build(keras)
    ours = build(kerasish)
    ours.set_weights(ref.get_weights())
    return ours, ref


def _data(rng, n=32, classes=3):
    x = rng.normal(size=(n, 5)).astype("float32")
    y = rng.integers(0, classes, n)
    return x, y


def my_metric(y_true, y_pred):
    return kerasish.backend.mean(y_pred, axis=-1)


def my_keras_metric(y_true, y_pred):
    import keras

    return keras.ops.mean(y_pred, axis=-1)


my_keras_metric.__name__ = "my_metric"


def _compile(model, lib, fn_metric, metrics):
    model.compile(optimizer=lib.optimizers.SGD(0.05), loss="sparse_categorical_crossentropy",
                  metrics=metrics + [fn_metric, lib.metrics.SparseTopKCategoricalAccuracy(k=2, name="top2")],
                  weighted_metrics=["sparse_categorical_crossentropy", "acc"])


def test_history_keys_and_metrics_names_match_keras(keras, rng):
    x, y = _data(rng)
    sw = rng.uniform(0.5, 2.0, len(x)).astype("float32")
    for metrics in (["acc"], ["accuracy", "sparse_categorical_crossentropy"]):
        ours, ref = _pair(keras, 3, "softmax")
        _compile(ours, kerasish, my_metric, metrics)
        _compile(ref, keras, my_keras_metric, metrics)
        h_ours = ours.fit(x, y, sample_weight=sw, batch_size=8, epochs=1, shuffle=False, verbose=0,
                          validation_data=(x[:8], y[:8]))
        h_ref = ref.fit(x, y, sample_weight=sw, batch_size=8, epochs=1, shuffle=False, verbose=0,
                        validation_data=(x[:8], y[:8]))
        assert sorted(h_ours.history) == sorted(h_ref.history)
        # Keras 3's `metrics_names` is ['loss', 'compile_metrics']; kerasish lists the flat log
        # names (Keras 2's meaning): the same names as Keras 3's logs.
        logs = ref.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
        assert sorted(ours.metrics_names) == sorted(logs)
        for key in h_ref.history:
            assert_close(h_ours.history[key], h_ref.history[key], rtol=1e-4, atol=1e-5)


def test_evaluate_with_sample_weight_matches_keras(keras, rng):
    x, y = _data(rng)
    sw = rng.uniform(0.0, 2.0, len(x)).astype("float32")
    ours, ref = _pair(keras, 3, "softmax")
    for model, lib in ((ours, kerasish), (ref, keras)):
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy",
                      weighted_metrics=["sparse_categorical_accuracy"])
    got = ours.evaluate(x, y, sample_weight=sw, batch_size=8, verbose=0)
    want = ref.evaluate(x, y, sample_weight=sw, batch_size=8, verbose=0)
    assert_close(got, want, rtol=1e-5, atol=1e-6)


def test_fit_with_class_weight_matches_keras(keras, rng):
    x, y = _data(rng)
    class_weight = {0: 0.5, 1: 2.0, 2: 1.0}
    ours, ref = _pair(keras, 3, "softmax")
    for model, lib in ((ours, kerasish), (ref, keras)):
        model.compile(optimizer=lib.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                      weighted_metrics=["accuracy"])
    h_ours = ours.fit(x, y, class_weight=class_weight, batch_size=8, epochs=2, shuffle=False, verbose=0)
    h_ref = ref.fit(x, y, class_weight=class_weight, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for key in h_ref.history:
        assert_close(h_ours.history[key], h_ref.history[key], rtol=1e-4, atol=1e-5)
    for a, b in zip(ours.get_weights(), ref.get_weights()):
        assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_binary_model_losses_and_metrics_match_keras(keras, rng):
    x = rng.normal(size=(24, 5)).astype("float32")
    y = rng.integers(0, 2, (24, 1)).astype("float32")
    ours, ref = _pair(keras, 1, "sigmoid")
    for model, lib in ((ours, kerasish), (ref, keras)):
        model.compile(optimizer="sgd", loss="binary_crossentropy",
                      metrics=["acc", lib.metrics.AUC(), lib.metrics.Precision(), "mse"],
                      weighted_metrics=["mse", "accuracy"])
    sw = rng.uniform(0.5, 2.0, len(x)).astype("float32")
    got = ours.evaluate(x, y, sample_weight=sw, batch_size=8, verbose=0, return_dict=True)
    want = ref.evaluate(x, y, sample_weight=sw, batch_size=8, verbose=0, return_dict=True)
    assert sorted(ours.metrics_names) == sorted(want)
    assert sorted(got) == sorted(want)
    for key in want:
        assert_close(got[key], want[key], rtol=1e-5, atol=1e-6)
