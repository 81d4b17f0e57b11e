"""`kerasish.utils`: `to_categorical`, `normalize`, `set_random_seed`, and more."""

from kerasish.utils.numerical_utils import normalize, to_categorical  # noqa: F401
from kerasish.utils.random import set_random_seed  # noqa: F401
from kerasish.utils.model_visualization import model_to_dot, plot_model  # noqa: F401
from kerasish.utils.sequence import PyDataset, Sequence  # noqa: F401
from kerasish.saving.object_registration import (  # noqa: F401
    custom_object_scope, get_custom_objects, register_keras_serializable, CustomObjectScope,
)
