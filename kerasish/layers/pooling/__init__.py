from kerasish.layers.pooling.max_pooling1d import MaxPooling1D  # noqa: F401
from kerasish.layers.pooling.max_pooling2d import MaxPooling2D  # noqa: F401
from kerasish.layers.pooling.max_pooling3d import MaxPooling3D  # noqa: F401
from kerasish.layers.pooling.average_pooling1d import AveragePooling1D  # noqa: F401
from kerasish.layers.pooling.average_pooling2d import AveragePooling2D  # noqa: F401
from kerasish.layers.pooling.average_pooling3d import AveragePooling3D  # noqa: F401
from kerasish.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D  # noqa: F401
from kerasish.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D  # noqa: F401
from kerasish.layers.pooling.global_average_pooling3d import GlobalAveragePooling3D  # noqa: F401
from kerasish.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D  # noqa: F401
from kerasish.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D  # noqa: F401
from kerasish.layers.pooling.global_max_pooling3d import GlobalMaxPooling3D  # noqa: F401

# Keras 2 short names for the same layers.
MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
MaxPool3D = MaxPooling3D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
AvgPool3D = AveragePooling3D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalMaxPool3D = GlobalMaxPooling3D
from kerasish.layers.pooling.adaptive_average_pooling1d import AdaptiveAveragePooling1D  # noqa: F401
from kerasish.layers.pooling.adaptive_average_pooling2d import AdaptiveAveragePooling2D  # noqa: F401
from kerasish.layers.pooling.adaptive_average_pooling3d import AdaptiveAveragePooling3D  # noqa: F401
from kerasish.layers.pooling.adaptive_max_pooling1d import AdaptiveMaxPooling1D  # noqa: F401
from kerasish.layers.pooling.adaptive_max_pooling2d import AdaptiveMaxPooling2D  # noqa: F401
from kerasish.layers.pooling.adaptive_max_pooling3d import AdaptiveMaxPooling3D  # noqa: F401
