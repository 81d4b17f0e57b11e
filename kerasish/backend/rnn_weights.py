"""Recurrent weights: Keras's layout (what the layers store) -> the flat list torch's fused RNN kernels
(`torch._VF.lstm`, `gru`, `rnn_tanh`, `rnn_relu`) take.

Keras stores `kernel (input_dim, G*units)`, `recurrent_kernel (units, G*units)` and a bias; torch wants
`w_ih (G*units, input_dim)`, `w_hh (G*units, units)`, `b_ih`, `b_hh`. The views are built per call and
stay in the autograd graph, so gradients reach the Keras-layout parameters. LSTM gates agree (Keras
i,f,c,o = torch i,f,g,o); GRU gates differ (Keras z,r,h, torch r,z,n) and are reordered.
"""

import torch

_ZEROS = {}


def _zeros(n, like):
    key = (n, like.dtype, like.device)
    z = _ZEROS.get(key)
    if z is None:
        z = _ZEROS[key] = torch.zeros(n, dtype=like.dtype, device=like.device)
    return z


def _gru_reorder(w, units, dim):
    z, r, h = torch.split(w, units, dim=dim)
    return torch.cat([r, z, h], dim=dim)


def lstm_flat_weights(kernel, recurrent_kernel, bias):
    """`[w_ih, w_hh, b_ih, b_hh]` for `torch._VF.lstm` from Keras's LSTM weights."""
    b_ih = bias if bias is not None else _zeros(kernel.shape[1], kernel)
    return [kernel.t(), recurrent_kernel.t(), b_ih, _zeros(kernel.shape[1], kernel)]


def simple_rnn_flat_weights(kernel, recurrent_kernel, bias):
    """`[w_ih, w_hh, b_ih, b_hh]` for `torch._VF.rnn_tanh`/`rnn_relu` from SimpleRNN weights."""
    return lstm_flat_weights(kernel, recurrent_kernel, bias)


def gru_flat_weights(kernel, recurrent_kernel, bias):
    """`[w_ih, w_hh, b_ih, b_hh]` for `torch._VF.gru` from a `reset_after=True` Keras GRU."""
    units = recurrent_kernel.shape[0]
    w_ih = _gru_reorder(kernel, units, 1).t()
    w_hh = _gru_reorder(recurrent_kernel, units, 1).t()
    if bias is None:
        zeros = _zeros(3 * units, kernel)
        return [w_ih, w_hh, zeros, zeros]
    both = _gru_reorder(bias, units, 1)  # (2, 3*units): input bias, recurrent bias
    return [w_ih, w_hh, both[0], both[1]]
