"""`kerasish.saving`: Keras's file formats (`.keras`, legacy `.h5`, `.weights.h5`) and serialization."""

from kerasish.saving.object_registration import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from kerasish.saving.file_editor import KerasFileEditor  # noqa: F401
from kerasish.saving.saving_api import load_model, load_weights, save_model, save_weights  # noqa: F401
from kerasish.saving.serialization import (  # noqa: F401
    deserialize_keras_object,
    model_from_config,
    model_from_json,
    serialize_keras_object,
)
