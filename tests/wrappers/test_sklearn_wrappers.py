"""The scikit-learn wrappers pass scikit-learn's estimator checks that Keras 3.15's wrappers pass
(the same list of expected failures as Keras's own test), and behave as Keras's on a pipeline."""

import numpy as np
import pytest
import sklearn
from sklearn.utils.estimator_checks import parametrize_with_checks

import kerasish
from kerasish.wrappers import SKLearnClassifier, SKLearnRegressor, SKLearnTransformer


class _ModelBuilder:
    """A callable with a fixed repr: scikit-learn names each check after the estimator's repr,
    and a plain function's repr holds its address, which differs between pytest-xdist workers
    (they must collect the same test ids)."""

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def __repr__(self):
        return self.fn.__name__


def _dynamic_model(X, y, loss, out_activation_function="softmax", layers=(10,)):
    """An MLP sized from the data (Keras's test builds the same)."""
    inp = kerasish.Input(shape=(X.shape[1],))
    hidden = inp
    for size in layers:
        hidden = kerasish.layers.Dense(size, activation="relu")(hidden)
    n_outputs = y.shape[1] if len(y.shape) > 1 else 1
    out = kerasish.layers.Dense(n_outputs, activation=out_activation_function)(hidden)
    model = kerasish.Model(inp, out)
    model.compile(loss=loss, optimizer="rmsprop")
    return model


dynamic_model = _ModelBuilder(_dynamic_model)


# Keras 3.15's keras/src/wrappers/sklearn_test.py expects exactly these to fail (its reasons).
EXPECTED_FAILED_CHECKS = {
    "SKLearnClassifier": {
        "check_classifiers_regression_target": "not an issue in sklearn>=1.6",
        "check_parameters_default_constructible": "not an issue in sklearn>=1.6",
        "check_classifiers_one_label_sample_weights": "0 sample weight is not ignored",
        "check_classifiers_classes": "with small test cases the estimator returns not all classes sometimes",
        "check_classifier_data_not_an_array": "This test assumes reproducibility in fit.",
        "check_supervised_y_2d": "This test assumes reproducibility in fit.",
        "check_fit_idempotent": "This test assumes reproducibility in fit.",
        "check_classifiers_train": "decision_function can return both probabilities and logits",
    },
    "SKLearnRegressor": {"check_parameters_default_constructible": "not an issue in sklearn>=1.6"},
    "SKLearnTransformer": {"check_parameters_default_constructible": "not an issue in sklearn>=1.6"},
}

ESTIMATORS = [
    SKLearnClassifier(model=dynamic_model,
                      model_kwargs={"loss": "categorical_crossentropy", "layers": [20]},
                      fit_kwargs={"epochs": 5, "verbose": 0}),
    SKLearnRegressor(model=dynamic_model, model_kwargs={"loss": "mse"}, fit_kwargs={"verbose": 0}),
    SKLearnTransformer(model=dynamic_model, model_kwargs={"loss": "mse"}, fit_kwargs={"verbose": 0}),
]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=lambda e: EXPECTED_FAILED_CHECKS[type(e).__name__])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("activation", ["softmax", "linear"])
def test_decision_function_agrees_with_predict(activation):
    X, y = sklearn.datasets.make_classification(n_samples=10, n_features=10, n_informative=4,
                                                n_classes=2, random_state=42)
    clf = SKLearnClassifier(model=dynamic_model, fit_kwargs={"epochs": 1, "verbose": 0},
                            model_kwargs={"out_activation_function": activation,
                                          "loss": "binary_crossentropy"})
    clf.fit(X, y)
    assert clf.decision_function(X[:1]).argmax(axis=-1) == clf.predict(X[:1])


def test_classifier_learns_in_a_pipeline_and_model_instances_are_cloned():
    X, y = sklearn.datasets.make_classification(n_samples=120, n_features=6, n_informative=4,
                                                n_classes=3, random_state=0)
    base = kerasish.Sequential([kerasish.Input((6,)), kerasish.layers.Dense(16, activation="relu"),
                                kerasish.layers.Dense(3, activation="softmax")])
    base.compile(optimizer=kerasish.optimizers.Adam(0.02), loss="categorical_crossentropy")
    pipe = sklearn.pipeline.make_pipeline(
        sklearn.preprocessing.StandardScaler(),
        SKLearnClassifier(base, fit_kwargs={"epochs": 20, "batch_size": 32, "verbose": 0}))
    pipe.fit(X, y)
    assert pipe.score(X, y) > 0.8
    fitted = pipe[-1]
    assert fitted.model_ is not base and fitted.epoch_ == 20
    assert set(fitted.classes_) == {0, 1, 2}


def test_bad_input_is_refused():
    uncompiled = lambda X, y: kerasish.Sequential([kerasish.Input((2,)), kerasish.layers.Dense(1)])  # noqa: E731
    with pytest.raises(RuntimeError, match="compiled.*Received: model="):
        SKLearnRegressor(uncompiled).fit(np.zeros((4, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="Received: target type 'continuous'"):
        SKLearnClassifier(dynamic_model, model_kwargs={"loss": "mse"}).fit(np.zeros((4, 2)), np.linspace(0, 1, 4))
    with pytest.raises(ValueError, match="only one class.*Received: classes=\\[1\\]"):
        SKLearnClassifier(dynamic_model, model_kwargs={"loss": "mse"}).fit(np.zeros((4, 2)), np.ones(4, int))
