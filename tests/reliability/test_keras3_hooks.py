"""Keras 3's training hooks, against real Keras 3: a `compute_loss` override without `training`
(keras.io's knowledge distillation), and metrics owned by layers (the "endpoint layer" pattern)
reported in `fit`'s and `evaluate`'s logs."""

import numpy as np
import pytest

import kerasish
from kerasish import backend as K


def _softmax(lib):
    return K.softmax if lib is kerasish else lib.ops.softmax


def _distiller_class(lib):
    softmax = _softmax(lib)

    class Distiller(lib.Model):
        """keras.io's "Knowledge Distillation" (Keras 3 version), unchanged but for `softmax`."""

        def __init__(self, student, teacher):
            super().__init__()
            self.teacher = teacher
            self.student = student

        def compile(self, optimizer, metrics, student_loss_fn, distillation_loss_fn, alpha=0.1,
                    temperature=3):
            super().compile(optimizer=optimizer, metrics=metrics)
            self.student_loss_fn = student_loss_fn
            self.distillation_loss_fn = distillation_loss_fn
            self.alpha = alpha
            self.temperature = temperature

        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, allow_empty=False):
            teacher_pred = self.teacher(x, training=False)
            student_loss = self.student_loss_fn(y, y_pred)
            distillation_loss = self.distillation_loss_fn(
                softmax(teacher_pred / self.temperature, axis=1),
                softmax(y_pred / self.temperature, axis=1),
            ) * (self.temperature ** 2)
            return self.alpha * student_loss + (1 - self.alpha) * distillation_loss

        def call(self, x):
            return self.student(x)

    return Distiller


def _mlp(lib, name, units):
    return lib.Sequential([lib.Input((6,)), lib.layers.Dense(units, activation="relu"),
                           lib.layers.Dense(4)], name=name)


def _distill(lib, initial=None):
    teacher, student = _mlp(lib, "teacher", 16), _mlp(lib, "student", 8)
    if initial is not None:
        teacher.set_weights(initial[0])
        student.set_weights(initial[1])
    initial = ([w.copy() for w in teacher.get_weights()], [w.copy() for w in student.get_weights()])
    distiller = _distiller_class(lib)(student=student, teacher=teacher)
    distiller.compile(
        optimizer=lib.optimizers.SGD(learning_rate=0.05),
        metrics=[lib.metrics.SparseCategoricalAccuracy()],
        student_loss_fn=lib.losses.SparseCategoricalCrossentropy(from_logits=True),
        distillation_loss_fn=lib.losses.KLDivergence(),
        alpha=0.1,
        temperature=10,
    )
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 6)).astype("float32")
    y = rng.integers(0, 4, size=(40,))
    history = distiller.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    evaluated = distiller.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    return initial, history.history, evaluated


def test_knowledge_distillation_compute_loss_without_training(keras):
    initial, history, evaluated = _distill(kerasish)
    _, expected_history, expected_eval = _distill(keras, initial)
    # The same logs as Keras, with the same numbers.
    assert list(history) == list(expected_history)
    for key in expected_history:
        np.testing.assert_allclose(history[key], expected_history[key], rtol=1e-4, atol=1e-5)
    assert list(evaluated) == list(expected_eval)
    for key in expected_eval:
        np.testing.assert_allclose(evaluated[key], expected_eval[key], rtol=1e-4, atol=1e-5)


def _training_recorder(lib):
    class Recorder(lib.Model):
        def __init__(self):
            super().__init__()
            self.dense = lib.layers.Dense(1)
            self.seen = []

        def call(self, x):
            return self.dense(x)

    class WithTraining(Recorder):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            self.seen.append(training)
            return super().compute_loss(x, y, y_pred, sample_weight, training=training)

    class WithoutTraining(Recorder):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
            self.seen.append("no training arg")
            return super().compute_loss(x, y, y_pred, sample_weight)

    class WithKwargs(Recorder):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, **kwargs):
            self.seen.append(sorted(kwargs))
            return super().compute_loss(x, y, y_pred, sample_weight, **kwargs)

    return WithTraining, WithoutTraining, WithKwargs


@pytest.mark.parametrize("variant", [0, 1, 2], ids=["training", "no_training", "kwargs"])
def test_compute_loss_gets_training_only_when_it_takes_it(keras, variant):
    x = np.ones((4, 3), "float32")
    y = np.zeros((4, 1), "float32")
    seen = []
    for lib in (kerasish, keras):
        model = _training_recorder(lib)[variant]()
        model.compile(optimizer="sgd", loss="mse")
        model.fit(x, y, batch_size=4, epochs=1, verbose=0)
        model.evaluate(x, y, batch_size=4, verbose=0)
        seen.append(model.seen)
    # Keras passes `training` only when the signature names it (and calls it once more while
    # building, so compare what was passed, not how often).
    kinds = [sorted(set(map(str, s))) for s in seen]
    assert kinds[0] == kinds[1]
    assert kinds[0] in (["False", "True"], ["no training arg"], ["[]"])


def _endpoint_model(lib):
    softmax = _softmax(lib)

    class LogisticEndpoint(lib.layers.Layer):
        """keras.io's endpoint layer: a loss and an accuracy metric owned by the layer."""

        def __init__(self, name=None):
            super().__init__(name=name)
            self.loss_fn = lib.losses.BinaryCrossentropy(from_logits=True)
            self.accuracy_fn = lib.metrics.BinaryAccuracy()

        def call(self, targets, logits, sample_weights=None):
            loss = self.loss_fn(targets, logits, sample_weights)
            self.add_loss(loss)
            self.accuracy_fn.update_state(targets, logits, sample_weights)
            return softmax(logits)

    inputs = lib.Input(shape=(3,), name="inputs")
    targets = lib.Input(shape=(10,), name="targets")
    logits = lib.layers.Dense(10)(inputs)
    sample_weights = lib.Input(shape=(1,), name="sample_weights")
    preds = LogisticEndpoint(name="predictions")(targets, logits, sample_weights)
    return lib.Model(inputs=[inputs, targets, sample_weights], outputs=preds)


def _endpoint_data():
    rng = np.random.default_rng(1)
    return {"inputs": rng.random((24, 3)).astype("float32"),
            "targets": (rng.random((24, 10)) > 0.5).astype("float32"),
            "sample_weights": rng.random((24, 1)).astype("float32")}


def test_endpoint_layer_metric_in_fit_logs(keras):
    data = _endpoint_data()
    results = []
    source = None
    for lib in (kerasish, keras):
        model = _endpoint_model(lib)
        if source is None:
            # Before training: both start from the same weights.
            source = [w.copy() for w in model.get_weights()]
        else:
            model.set_weights(source)
        model.compile(lib.optimizers.Adam(1e-2))
        history = model.fit(data, batch_size=8, epochs=2, shuffle=False, verbose=0,
                            validation_data=(data,))
        evaluated = model.evaluate(data, batch_size=8, verbose=0, return_dict=True)
        results.append((history.history, evaluated, [m.name for m in model.metrics]))
    (history, evaluated, names), (expected_history, expected_eval, expected_names) = results
    assert "binary_accuracy" in expected_history and "val_binary_accuracy" in expected_history
    assert names == expected_names
    assert list(history) == list(expected_history)
    for key in expected_history:
        np.testing.assert_allclose(history[key], expected_history[key], rtol=1e-4, atol=1e-5)
    assert list(evaluated) == list(expected_eval)
    for key in expected_eval:
        np.testing.assert_allclose(evaluated[key], expected_eval[key], rtol=1e-4, atol=1e-5)


def test_sublayer_metric_attribute_in_subclassed_model(keras):
    """A metric attribute of a layer inside a subclassed model, updated in `call`: reported, and
    reset at each epoch, as in Keras."""

    def build(lib):
        class Probe(lib.layers.Layer):
            def __init__(self):
                super().__init__()
                self.activity = lib.metrics.Mean(name="activity")

            def call(self, x):
                self.activity.update_state(x)
                return x

        class Net(lib.Model):
            def __init__(self):
                super().__init__()
                self.dense = lib.layers.Dense(2)
                self.probe = Probe()

            def call(self, x):
                return self.probe(self.dense(x))

        return Net()

    x = np.linspace(-1, 1, 24, dtype="float32").reshape(12, 2)
    y = np.ones((12, 2), "float32")
    histories, source = [], None
    for lib in (kerasish, keras):
        model = build(lib)
        model(x[:1])
        if source is None:
            # Before training: both start from the same weights.
            source = [w.copy() for w in model.get_weights()]
        else:
            model.set_weights(source)
        model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse")
        histories.append(model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0).history)
    assert "activity" in histories[1]
    assert list(histories[0]) == list(histories[1])
    for key in histories[1]:
        np.testing.assert_allclose(histories[0][key], histories[1][key], rtol=1e-5, atol=1e-6)


def test_log_order_matches_keras(keras):
    """History and `evaluate(return_dict=True)` keys sorted as Keras 3 sorts them; `evaluate()`'s
    list in `metrics_names` order (loss first)."""
    x = np.linspace(-1, 1, 16, dtype="float32").reshape(8, 2)
    y = (x[:, :1] > 0).astype("float32")
    results, source = [], None
    for lib in (kerasish, keras):
        model = lib.Sequential([lib.Input((2,)), lib.layers.Dense(1, activation="sigmoid")])
        if source is None:
            source = [w.copy() for w in model.get_weights()]
        else:
            model.set_weights(source)
        model.compile("sgd", "binary_crossentropy", metrics=["accuracy", "mse"])
        history = model.fit(x, y, batch_size=4, epochs=1, verbose=0, validation_data=(x, y))
        results.append((list(history.history), model.evaluate(x, y, verbose=0),
                        list(model.evaluate(x, y, verbose=0, return_dict=True))))
    assert results[0][0] == results[1][0] == ["accuracy", "loss", "mse", "val_accuracy",
                                              "val_loss", "val_mse"]
    assert results[0][2] == results[1][2]
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-5, atol=1e-6)
