from kerasish.layers.convolutional.conv1d import Conv1D  # noqa: F401
from kerasish.layers.convolutional.conv1d_transpose import Conv1DTranspose  # noqa: F401
from kerasish.layers.convolutional.conv2d import Conv2D  # noqa: F401
from kerasish.layers.convolutional.conv2d_transpose import Conv2DTranspose  # noqa: F401
from kerasish.layers.convolutional.conv3d import Conv3D  # noqa: F401
from kerasish.layers.convolutional.conv3d_transpose import Conv3DTranspose  # noqa: F401
from kerasish.layers.convolutional.depthwise_conv1d import DepthwiseConv1D  # noqa: F401
from kerasish.layers.convolutional.depthwise_conv2d import DepthwiseConv2D  # noqa: F401
from kerasish.layers.convolutional.separable_conv1d import SeparableConv1D  # noqa: F401
from kerasish.layers.convolutional.separable_conv2d import SeparableConv2D  # noqa: F401

# Keras 1/2 class names for the same layers.
Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
Deconvolution2D = Conv2DTranspose
Deconvolution3D = Conv3DTranspose
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
