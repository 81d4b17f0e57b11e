"""`kerasish.legacy.saving`: Keras 2's `serialize_keras_object` / `deserialize_keras_object`."""

from kerasish.utils.legacy import deserialize_keras_object, serialize_keras_object  # noqa: F401
