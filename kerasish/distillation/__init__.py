"""`kerasish.distillation` (Keras 3.15's `keras.distillation`): train a student model to match a
frozen teacher."""

from kerasish.distillation.distillation_loss import (  # noqa: F401
    DistillationLoss, FeatureDistillation, LogitsDistillation,
)
from kerasish.distillation.distiller import Distiller  # noqa: F401
