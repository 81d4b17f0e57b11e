"""Runs a whole sequence through one of torch's fused RNN kernels (`torch._VF.lstm`, `gru`,
`rnn_tanh`, `rnn_relu`; cuDNN on CUDA), with Keras's semantics for `go_backwards` and masks.

A mask is handled when every sequence's valid steps form one non-empty contiguous block (right- or
left-padded data): the block is shifted to the front, packed with its length, run, and the outputs are
put back where Keras's step loop would have them. Other masks return None (the caller loops).
"""

import torch
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from kerasish.layers.recurrent.rnn_loop import gather_block, scatter_block, valid_block

# kind -> (kernel, number of state tensors)
_KERNELS = {
    "lstm": (torch._VF.lstm, 2),
    "gru": (torch._VF.gru, 1),
    "rnn_tanh": (torch._VF.rnn_tanh, 1),
    "rnn_relu": (torch._VF.rnn_relu, 1),
}


def _hx(states, n):
    hs = tuple(s.unsqueeze(0) for s in states[:n])
    return hs if n > 1 else hs[0]


def _unpack(result, n):
    out = result[0]
    finals = [s.squeeze(0) for s in result[1:1 + n]]
    return out, finals


def run(kind, weights, inputs, states, go_backwards, mask, zero_output_for_mask, return_sequences):
    """`(last_output, outputs, new_states)` from the fused kernel, or None if `mask` needs the loop.

    Args:
        kind: `"lstm"`, `"gru"`, `"rnn_tanh"` or `"rnn_relu"`.
        weights: `[w_ih, w_hh, b_ih, b_hh]` in torch's layout (`kerasish.backend.rnn_weights`).
        inputs: `(batch, time, features)`.
        states: initial states, each `(batch, units)`.
    """
    kernel, n = _KERNELS[kind]
    x = inputs.flip(1) if go_backwards else inputs
    if x.device.type == "meta":
        # Shape inference of a functional model runs layers on meta inputs: the kernel wants its
        # weights and states on the input's device (a meta copy holds no data).
        weights = [w.to("meta") for w in weights]
        states = [s.to("meta") for s in states]
        mask = None  # the outputs' shapes do not depend on it, and its values cannot be read
    if mask is None:
        out, finals = _unpack(kernel(x, _hx(states, n), weights, True, 1, 0.0, False, False, True), n)
        return out[:, -1], (out if return_sequences else None), finals
    block = valid_block(mask, go_backwards)
    if block is None:
        return None
    start, lengths = block
    if bool(start.any()):
        x = gather_block(x, start, lengths)
    packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
    hx = tuple(s.unsqueeze(0).index_select(1, packed.sorted_indices) for s in states[:n])
    res = kernel(packed.data, packed.batch_sizes, hx if n > 1 else hx[0], weights, True, 1, 0.0,
                 False, False)
    finals = [s.index_select(1, packed.unsorted_indices).squeeze(0) for s in res[1:1 + n]]
    if not return_sequences and not zero_output_for_mask:
        return finals[0], None, finals
    out, _ = pad_packed_sequence(
        PackedSequence(res[0], packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices),
        batch_first=True, total_length=inputs.shape[1])
    outputs = scatter_block(out, start, lengths, zero_output_for_mask)
    return outputs[:, -1], (outputs if return_sequences else None), finals
