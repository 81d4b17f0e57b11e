from kerasish.layers.core.activation import Activation  # noqa: F401
from kerasish.layers.core.dense import Dense  # noqa: F401
from kerasish.layers.core.dropout import Dropout  # noqa: F401
from kerasish.layers.core.embedding import Embedding  # noqa: F401
from kerasish.layers.core.input_layer import Input, InputLayer  # noqa: F401
from kerasish.layers.core.masking import Masking  # noqa: F401
from kerasish.layers.core.lambda_layer import Lambda  # noqa: F401
from kerasish.layers.core.op_layer import TensorOp  # noqa: F401
from kerasish.layers.core.torch_module_wrapper import TorchModuleWrapper  # noqa: F401
from kerasish.layers.core.einsum_dense import EinsumDense  # noqa: F401
from kerasish.layers.core.identity import Identity  # noqa: F401
from kerasish.layers.core.reversible_embedding import ReversibleEmbedding  # noqa: F401
from kerasish.layers.core.wrapper import Wrapper  # noqa: F401
from kerasish.layers.core.foreign_layers import FlaxLayer, JaxLayer, TFSMLayer  # noqa: F401
