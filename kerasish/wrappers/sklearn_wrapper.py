"""scikit-learn estimators (`SKLearnClassifier`, `SKLearnRegressor`, `SKLearnTransformer`) around
a compiled kerasish model or a function that builds one, with Keras 3.15's behaviour."""

import copy

import numpy as np

try:
    import sklearn
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
except ImportError:  # the wrappers then refuse to be built, with the install command
    sklearn = None
    BaseEstimator = ClassifierMixin = RegressorMixin = TransformerMixin = object


def _require_sklearn(name):
    if sklearn is None:
        raise ImportError(f"{name} requires scikit-learn. Install it with `pip install scikit-learn` "
                          "(or `pip install kerasish[sklearn]`).")


def _validate_data(estimator, *args, **kwargs):
    from sklearn.utils.validation import validate_data

    return validate_data(estimator, *args, **kwargs)


def _type_of_target(y):
    from sklearn.utils.multiclass import type_of_target

    target_type = type_of_target(y)
    if target_type == "unknown":
        raise ValueError(f"Unknown label type for data: {y!r}")
    return target_type


class _TargetReshaper:
    """Makes 1-D targets a column for the model, and undoes it on the predictions."""

    def fit(self, y):
        self.ndim_ = y.ndim
        return self

    def transform(self, y):
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def inverse_transform(self, y):
        return np.squeeze(y, axis=1) if self.ndim_ == 1 and y.ndim == 2 else y


class _OneHotTarget:
    """Class labels <-> one-hot columns (scikit-learn's `OneHotEncoder` over the column)."""

    def fit(self, y):
        from sklearn.preprocessing import OneHotEncoder

        self._encoder = OneHotEncoder(sparse_output=False).fit(_TargetReshaper().transform(y))
        return self

    def transform(self, y):
        return self._encoder.transform(_TargetReshaper().transform(y))

    def inverse_transform(self, y):
        return self._encoder.inverse_transform(y)


def _check_model(model):
    if not getattr(model, "compiled", False) or not model.loss or not model.optimizer:
        raise RuntimeError("The model must be compiled with a loss and an optimizer. "
                           f"Received: model={model!r}")


class SKLBase(BaseEstimator):
    """The shared part of the wrappers.

    Args:
        model: a compiled kerasish `Model` (cloned at each `fit`, so its weights are
            re-initialised), or a callable `model(X, y, **model_kwargs)` returning a compiled
            model for the data.
        warm_start: kept for scikit-learn's API (as in Keras 3.15, each `fit` starts afresh).
        model_kwargs: keyword arguments for the callable `model`.
        fit_kwargs: keyword arguments for `model.fit` (`epochs`, `batch_size`, `verbose`, ...).

    Attributes (after `fit`): `model_` (the trained model), `history_` (its `History` dict),
    `n_features_in_`.
    """

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        _require_sklearn(type(self).__name__)
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    def __sklearn_clone__(self):
        model = self.model if callable(self.model) and not hasattr(self.model, "fit") \
            else copy.deepcopy(self.model)
        return type(self)(model=model, warm_start=self.warm_start,
                          model_kwargs=copy.deepcopy(self.model_kwargs),
                          fit_kwargs=copy.deepcopy(self.fit_kwargs))

    def __getstate__(self):
        # A fitted estimator pickles (scikit-learn and joblib rely on it) with its model as the
        # bytes of a `.keras` file: kerasish never pickles tensors or code.
        state = dict(self.__dict__)
        if "model_" in state:
            state["model_"] = _model_to_bytes(state["model_"])
        return state

    def __setstate__(self, state):
        state = dict(state)
        if isinstance(state.get("model_"), bytes):
            state["model_"] = _model_from_bytes(state["model_"])
        self.__dict__.update(state)

    @property
    def epoch_(self):
        return len(getattr(self, "history_", {}).get("loss", []))

    def _get_model(self, X, y):
        from kerasish.models import Model, clone_model

        if isinstance(self.model, Model):
            from kerasish.saving.compile_restore import compile_from_config

            # A fresh copy with new weights, compiled as the given model is (Keras's clone_model
            # compiles its clones).
            model = clone_model(self.model)
            if getattr(self.model, "compiled", False):
                compile_from_config(model, self.model.get_compile_config())
            return model
        if not callable(self.model):
            raise TypeError("`model` must be a compiled kerasish Model or a callable returning one. "
                            f"Received: model={self.model!r}")
        return self.model(X=X, y=y, **(self.model_kwargs or {}))

    def fit(self, X, y, **kwargs):
        """Trains a new model on `X`, `y`; `kwargs` go to `model.fit` (after `fit_kwargs`)."""
        X, y = _validate_data(self, X, y)
        y = self._process_target(y, reset=True)
        model = self._get_model(X, y)
        _check_model(model)
        fit_kwargs = dict(self.fit_kwargs or {})
        fit_kwargs.update(kwargs)
        self.history_ = model.fit(X, y, **fit_kwargs).history
        self.model_ = model
        return self

    def predict(self, X):
        """The model's predictions, mapped back to the target's form (labels for classifiers)."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = _validate_data(self, X, reset=False)
        return self._reverse_process_target(self.model_.predict(X, verbose=0))

    def _process_target(self, y, reset=False):
        _type_of_target(y)
        if reset:
            self._target_encoder = _TargetReshaper().fit(y)
        return self._target_encoder.transform(y)

    def _reverse_process_target(self, y):
        return self._target_encoder.inverse_transform(y)


def _model_to_bytes(model):
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        model.save(path)
        with open(path, "rb") as f:
            return f.read()


def _model_from_bytes(data):
    import os
    import tempfile

    from kerasish.saving import load_model

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        with open(path, "wb") as f:
            f.write(data)
        return load_model(path)  # safe mode: a `.keras` file, no code runs


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """A scikit-learn classifier around a kerasish model.

    Labels are one-hot encoded for the model (so end it with `softmax` and `n_classes` units and
    use `categorical_crossentropy`); `predict` returns labels, `decision_function` the model's
    raw outputs. `classes_` holds the labels seen in `fit`.

    Args: see `SKLBase` (`model`, `warm_start`, `model_kwargs`, `fit_kwargs`).

    Example:

    ```python
    def build(X, y):
        model = kerasish.Sequential([kerasish.Input((X.shape[1],)),
                                     kerasish.layers.Dense(y.shape[1], activation="softmax")])
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        return model

    clf = kerasish.wrappers.SKLearnClassifier(build, fit_kwargs={"epochs": 20, "verbose": 0})
    clf.fit(X, labels).predict(X)
    ```
    """

    def decision_function(self, X):
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = _validate_data(self, X, reset=False)
        return self.model_.predict(X, verbose=0)

    def _process_target(self, y, reset=False):
        target_type = _type_of_target(y)
        if target_type not in ("binary", "multiclass"):
            raise ValueError("Only binary and multiclass targets are supported. "
                             f"Received: target type {target_type!r}")
        if reset:
            self._target_encoder = _OneHotTarget().fit(y)
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError("Classifier can't train when only one class is present. "
                                 f"Received: classes={self.classes_.tolist()}")
        return self._target_encoder.transform(y)

    def _reverse_process_target(self, y):
        return np.squeeze(self._target_encoder.inverse_transform(y), axis=1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags


class SKLearnRegressor(RegressorMixin, SKLBase):
    """A scikit-learn regressor around a kerasish model (1-D targets become a column for the
    model and come back 1-D from `predict`). Args: see `SKLBase`.

    Example:

    ```python
    reg = kerasish.wrappers.SKLearnRegressor(build, fit_kwargs={"epochs": 50, "verbose": 0})
    reg.fit(X, y).score(X, y)
    ```
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags


class SKLearnTransformer(TransformerMixin, SKLBase):
    """A scikit-learn transformer around a kerasish model: `fit(X, y)` trains it, `transform(X)`
    returns its outputs (for example an encoder's embedding). Args: see `SKLBase`.

    Example:

    ```python
    pipe = sklearn.pipeline.make_pipeline(kerasish.wrappers.SKLearnTransformer(build), Ridge())
    ```
    """

    def transform(self, X):
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = _validate_data(self, X, reset=False)
        return self.model_.predict(X, verbose=0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags
