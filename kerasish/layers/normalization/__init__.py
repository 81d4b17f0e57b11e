from kerasish.layers.normalization.batch_normalization import BatchNormalization  # noqa: F401
from kerasish.layers.normalization.group_normalization import GroupNormalization  # noqa: F401
from kerasish.layers.normalization.layer_normalization import LayerNormalization  # noqa: F401
from kerasish.layers.normalization.unit_normalization import UnitNormalization  # noqa: F401
from kerasish.layers.normalization.rms_normalization import RMSNormalization  # noqa: F401
from kerasish.layers.normalization.spectral_normalization import SpectralNormalization  # noqa: F401
