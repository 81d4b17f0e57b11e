"""The step loop behind every recurrent layer, and the masked-sequence bookkeeping the fused kernels
need.

Masking follows Keras 3: at a masked step the states keep their previous values, and the output is
the previous output (zeros before the first valid step), or zeros when `zero_output_for_mask`.
`go_backwards` processes the sequence from its end and returns the outputs in processing order.
"""

import torch


def _where(mask_t, new, old):
    m = mask_t.reshape(mask_t.shape + (1,) * (new.ndim - mask_t.ndim))
    return torch.where(m, new, old)


def step_loop(step, inputs, states, go_backwards=False, mask=None, zero_output_for_mask=False,
              return_sequences=True):
    """Runs `step(x_t, states) -> (output, new_states)` over axis 1 of `inputs`.

    Args:
        step: the cell step.
        inputs: a `(batch, time, ...)` tensor.
        states: list of state tensors.
        go_backwards: process the time axis in reverse.
        mask: optional `(batch, time)` boolean mask.
        zero_output_for_mask: masked steps output zeros instead of the previous output.
        return_sequences: whether every step's output is kept.

    Returns:
        `(last_output, outputs, new_states)`; `outputs` is `(batch, time, ...)` or None.
    """
    steps = inputs.unbind(1)
    masks = mask.unbind(1) if mask is not None else None
    if go_backwards:
        steps = steps[::-1]
        masks = masks[::-1] if masks is not None else None
    states = list(states)
    outputs, prev = [], None
    for t, x_t in enumerate(steps):
        out, new_states = step(x_t, states)
        new_states = list(new_states) if isinstance(new_states, (list, tuple)) else [new_states]
        if masks is not None:
            if prev is None:
                prev = torch.zeros_like(out)
            keep = torch.zeros_like(out) if zero_output_for_mask else prev
            out = _where(masks[t], out, keep)
            new_states = [_where(masks[t], n, s) for n, s in zip(new_states, states)]
            prev = out
        states = new_states
        if return_sequences:
            outputs.append(out)
    last = outputs[-1] if return_sequences else out
    return last, (torch.stack(outputs, dim=1) if return_sequences else None), states


def valid_block(mask, go_backwards):
    """`(start, length)` per sequence when each mask row is one contiguous run of valid steps (in
    processing order) and no row is empty, else None. Reads the mask on the host once per call (the
    fused kernels need the lengths there anyway)."""
    if go_backwards:
        mask = mask.flip(1)
    mask = mask.to(torch.bool)
    lengths = mask.sum(1)
    start = mask.to(torch.int8).argmax(1)
    t = torch.arange(mask.shape[1], device=mask.device)
    block = (t >= start[:, None]) & (t < (start + lengths)[:, None])
    if not bool(torch.equal(block, mask)) or not bool(lengths.min() > 0):
        return None
    return start, lengths


def gather_block(x, start, lengths):
    """`x` shifted left so each row's valid block starts at step 0 (`x` in processing order)."""
    t = torch.arange(x.shape[1], device=x.device)
    idx = torch.minimum(t[None, :] + start[:, None], (start + lengths - 1)[:, None])
    return torch.gather(x, 1, idx[:, :, None].expand(-1, -1, x.shape[2]))


def scatter_block(out, start, lengths, zero_output_for_mask):
    """Keras's outputs from packed-kernel outputs `out` (valid block at steps `0..length-1`): zeros
    before the block, the block, then the last valid output (or zeros) after it."""
    t = torch.arange(out.shape[1], device=out.device)[None, :]
    rel = t - start[:, None]
    idx = rel.clamp(min=0).minimum((lengths - 1)[:, None])
    res = torch.gather(out, 1, idx[:, :, None].expand(-1, -1, out.shape[2]))
    valid = rel >= 0
    if zero_output_for_mask:
        valid = valid & (rel < lengths[:, None])
    return res * valid[:, :, None].to(res.dtype)
