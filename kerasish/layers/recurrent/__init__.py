from kerasish.layers.recurrent.bidirectional import Bidirectional  # noqa: F401
from kerasish.layers.recurrent.gru import GRU, GRUCell  # noqa: F401
from kerasish.layers.recurrent.lstm import LSTM, LSTMCell  # noqa: F401
from kerasish.layers.recurrent.rnn import RNN  # noqa: F401
from kerasish.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell  # noqa: F401
from kerasish.layers.recurrent.stacked_rnn_cells import StackedRNNCells  # noqa: F401
from kerasish.layers.recurrent.time_distributed import TimeDistributed  # noqa: F401
