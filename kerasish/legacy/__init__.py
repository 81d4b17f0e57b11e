"""`kerasish.legacy` (Keras 3's `keras.legacy`): Keras 2's serialization under `legacy.saving`."""

from kerasish.legacy import saving  # noqa: F401
