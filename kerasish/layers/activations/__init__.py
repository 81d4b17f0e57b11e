from kerasish.layers.activations.elu import ELU  # noqa: F401
from kerasish.layers.activations.leaky_relu import LeakyReLU  # noqa: F401
from kerasish.layers.activations.prelu import PReLU  # noqa: F401
from kerasish.layers.activations.relu import ReLU  # noqa: F401
from kerasish.layers.activations.softmax import Softmax  # noqa: F401
