from kerasish.layers.regularization.activity_regularization import ActivityRegularization  # noqa: F401
from kerasish.layers.regularization.alpha_dropout import AlphaDropout  # noqa: F401
from kerasish.layers.regularization.gaussian_dropout import GaussianDropout  # noqa: F401
from kerasish.layers.regularization.gaussian_noise import GaussianNoise  # noqa: F401
from kerasish.layers.regularization.spatial_dropout1d import SpatialDropout1D  # noqa: F401
from kerasish.layers.regularization.spatial_dropout2d import SpatialDropout2D  # noqa: F401
from kerasish.layers.regularization.spatial_dropout3d import SpatialDropout3D  # noqa: F401
