"""`kerasish.wrappers`: scikit-learn estimators around kerasish models (Keras 3's
`keras.wrappers`). Needs scikit-learn: `pip install kerasish[sklearn]`."""

from kerasish.wrappers.sklearn_wrapper import (  # noqa: F401
    SKLearnClassifier, SKLearnRegressor, SKLearnTransformer,
)
