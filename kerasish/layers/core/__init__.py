from kerasish.layers.core.activation import Activation  # noqa: F401
from kerasish.layers.core.dense import Dense  # noqa: F401
from kerasish.layers.core.dropout import Dropout  # noqa: F401
from kerasish.layers.core.input_layer import Input, InputLayer  # noqa: F401
