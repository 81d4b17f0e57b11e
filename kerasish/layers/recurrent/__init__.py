from kerasish.layers.recurrent.bidirectional import Bidirectional  # noqa: F401
from kerasish.layers.recurrent.gru import GRU, GRUCell  # noqa: F401
from kerasish.layers.recurrent.lstm import LSTM, LSTMCell  # noqa: F401
from kerasish.layers.recurrent.rnn import RNN  # noqa: F401
from kerasish.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell  # noqa: F401
from kerasish.layers.recurrent.stacked_rnn_cells import StackedRNNCells  # noqa: F401
from kerasish.layers.recurrent.time_distributed import TimeDistributed  # noqa: F401
from kerasish.layers.recurrent.conv_lstm1d import ConvLSTM1D  # noqa: F401
from kerasish.layers.recurrent.conv_lstm2d import ConvLSTM2D  # noqa: F401
from kerasish.layers.recurrent.conv_lstm3d import ConvLSTM3D  # noqa: F401
