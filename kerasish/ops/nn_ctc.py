"""CTC loss and decoding (greedy and beam search) of `kerasish.ops.nn` (re-exported there).

Beam search follows Keras's JAX reference (the one its torch backend ports): per step, every beam
is extended by every class, identical label paths are merged with log-space score sums, and the
best `beam_width` paths are kept with separate "ended in blank" and "ended in a label" scores.
"""

import torch
import torch.nn.functional as F

from kerasish.backend import dtypes
from kerasish.ops.convert import to_tensor
from kerasish.ops.dispatch import keras_op

_PAD = -1
_HASH_BASE = 2654435769  # Knuth's multiplicative constant; int64 overflow is harmless here


def _float_at_least_32(x):
    dtype = dtypes.result_type(dtypes.dtype_name(x.dtype), "float32")
    td = dtypes.to_torch_dtype(dtype)
    return x if x.dtype == td else x.to(td)


@keras_op
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Connectionist temporal classification loss, per sample.

    Args:
        target: Integer tensor `(batch, max_label_length)` of label ids.
        output: Logits `(batch, max_time, num_classes)`.
        target_length: Integer tensor `(batch,)` of label lengths.
        output_length: Integer tensor `(batch,)` of output lengths.
        mask_index: The blank class id. Defaults to `0`.

    Returns:
        Tensor `(batch,)` of losses.

    Example:
    >>> logits = np.zeros((1, 4, 3), "float32")
    >>> ops.ctc_loss(np.array([[1, 2]]), logits, np.array([2]), np.array([4])).shape
    torch.Size([1])
    """
    target, output = to_tensor(target), _float_at_least_32(to_tensor(output))
    target_length, output_length = to_tensor(target_length), to_tensor(output_length)
    if output.is_meta:  # torch has no meta kernel for CTC; the shape is all shape inference needs
        return output.new_empty(output.shape[:1])
    log_probs = F.log_softmax(output.transpose(1, 0), dim=-1)
    return F.ctc_loss(log_probs, target, output_length, target_length, blank=mask_index,
                      reduction="none")


@keras_op
def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    """Decodes the output of a CTC model.

    Args:
        inputs: Tensor `(batch, max_time, num_classes)` of logits or probabilities.
        sequence_lengths: Integer tensor `(batch,)` of sequence lengths.
        strategy: `"greedy"` or `"beam_search"`.
        beam_width: Beams kept by beam search. Defaults to `100`.
        top_paths: Paths returned by beam search. Defaults to `1`.
        merge_repeated: Greedy only: merge repeated labels. Defaults to `True`.
        mask_index: The blank class id (None: the last class). Defaults to `0`.

    Returns:
        `(decoded, scores)`: `decoded` is `(top_paths, batch, max_time)` of label ids padded
        with -1 (top_paths is 1 for greedy); `scores` is `(batch, top_paths)`, the negative sum of
        the best logits for greedy and the log-probability of each path for beam search.

    Example:
    >>> x = np.log(np.array([[[0.1, 0.9], [0.9, 0.1], [0.1, 0.9]]], "float32"))
    >>> ops.ctc_decode(x, np.array([3]))[0]
    tensor([[[ 1,  1, -1]]], dtype=torch.int32)
    """
    inputs = _float_at_least_32(to_tensor(inputs))
    if strategy == "greedy":
        return _greedy(inputs, sequence_lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return _beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index)
    raise ValueError(
        "`ops.ctc_decode`: `strategy` must be 'greedy' or 'beam_search'. "
        f"Received: strategy={strategy!r}"
    )


def _greedy(inputs, sequence_lengths, merge_repeated, mask_index):
    lengths = to_tensor(sequence_lengths, "int32")
    batch, max_len, num_classes = inputs.shape
    if mask_index is None:
        mask_index = num_classes - 1
    scores, indices = torch.max(inputs, dim=-1)
    indices = indices.to(torch.int32)
    beyond = torch.arange(max_len, device=indices.device)[None, :] >= lengths[:, None]
    indices = torch.where(beyond, mask_index, indices)
    scores = torch.where(beyond, 0.0, scores)
    if merge_repeated:
        repeat = F.pad(indices[:, 1:] == indices[:, :-1], (1, 0, 0, 0))
        indices = torch.where(repeat, mask_index, indices)
    blank = indices == mask_index
    indices = torch.where(blank, -1, indices)
    # Labels first (in time order), blanks (-1) moved to the end.
    order = torch.arange(max_len, device=indices.device).expand(batch, max_len)
    order = torch.argsort(torch.where(blank, max_len, order), dim=-1)
    indices = torch.take_along_dim(indices, order, dim=-1)
    return indices.unsqueeze(0), -torch.sum(scores, dim=1)[:, None]


def _unique_padded(paths, size):
    """Unique rows of `paths` padded with `_PAD` rows to `size`, and each row's index in them."""
    n, t = paths.shape
    device = paths.device
    powers = _HASH_BASE ** torch.arange(t, dtype=torch.int64, device=device)
    hashes = ((paths.to(torch.int64) + 1) * powers).sum(dim=1)
    order = torch.argsort(hashes, stable=True)
    rows, sorted_hashes = paths[order], hashes[order]
    # Equal hashes are checked row by row, so collisions cannot merge different paths.
    dup = (sorted_hashes[1:] == sorted_hashes[:-1]) & (rows[1:] == rows[:-1]).all(dim=1)
    first = torch.cat([torch.ones(1, dtype=torch.bool, device=device), ~dup])
    inverse = torch.empty(n, dtype=torch.int64, device=device)
    inverse[order] = torch.cumsum(first.to(torch.int64), dim=0) - 1
    unique = rows[first]
    if unique.shape[0] < size:
        fill = torch.full((size - unique.shape[0], t), _PAD, dtype=unique.dtype, device=device)
        unique = torch.cat([unique, fill], dim=0)
    return unique, inverse


def _merge_scores(inverse, scores, count):
    """Log-sum-exp of `scores` per bucket of `inverse`."""
    top = scores.max()
    out = torch.zeros(count, dtype=scores.dtype, device=scores.device)
    out.scatter_add_(0, inverse, torch.exp(scores - top))
    return torch.log(out) + top


def _extend(paths, scores, masked, x, num_classes, mask_index):
    """Every beam extended by every class at one time step."""
    paths = paths.repeat_interleave(num_classes, dim=0)
    scores = scores.repeat_interleave(num_classes)
    prev_masked = masked.repeat_interleave(num_classes)
    tail_at = (paths == _PAD).to(torch.int32).argmax(dim=1)
    rows = torch.arange(paths.shape[0], device=paths.device)
    tails = torch.where(tail_at == 0, _PAD, paths[rows, tail_at - 1])
    classes = torch.arange(num_classes, device=paths.device, dtype=paths.dtype)
    classes[mask_index] = _PAD
    classes = classes.repeat(paths.shape[0] // num_classes)
    masked = classes == _PAD
    # A label repeated without a blank between is the same label (CTC's collapse rule).
    classes = torch.where((~prev_masked) & (tails == classes), _PAD, classes)
    paths[rows, tail_at] = classes
    return paths, scores + x.repeat(paths.shape[0] // num_classes), masked


def _prune(paths, scores, masked, num_classes, beam_width):
    """Merges identical paths and keeps the best `beam_width` (label-ended, blank-ended) pairs."""
    unique, inverse = _unique_padded(paths, 2 * num_classes * beam_width)
    n = unique.shape[0]
    emit = _merge_scores(inverse, torch.where(masked, float("-inf"), scores), n)
    blank = _merge_scores(inverse, torch.where(masked, scores, float("-inf")), n)
    top = torch.argsort(torch.logaddexp(emit, blank), stable=True)[-beam_width:]
    flags = torch.zeros(2 * beam_width, dtype=torch.bool, device=paths.device)
    flags[beam_width:] = True
    return unique[top].repeat(2, 1), torch.cat([emit[top], blank[top]]), flags


def _beam_one(x, length, beam_width, top_paths, num_classes, mask_index):
    max_len = x.shape[0]
    n_init = min(num_classes, beam_width)
    paths = torch.full((2 * beam_width, max_len), _PAD, dtype=torch.int32, device=x.device)
    best = torch.argsort(x[0], stable=True)[-n_init:]
    paths[:n_init, 0] = torch.where(best == mask_index, _PAD, best.to(torch.int32))
    scores = torch.full((2 * beam_width,), float("-inf"), dtype=x.dtype, device=x.device)
    scores[:n_init] = x[0, best]
    masked = paths[:, 0] == _PAD
    for t in range(1, length):
        paths, scores, masked = _extend(paths, scores, masked, x[t], num_classes, mask_index)
        paths, scores, masked = _prune(paths, scores, masked, num_classes, beam_width)
    unique, inverse = _unique_padded(paths, 2 * num_classes * beam_width)
    scores = _merge_scores(inverse, scores, unique.shape[0])
    top = torch.argsort(scores, stable=True)[-top_paths:].flip(0)
    return unique[top], scores[top]


def _beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index):
    lengths = to_tensor(sequence_lengths, "int32")
    batch, _, num_classes = inputs.shape
    if mask_index is None:
        mask_index = num_classes - 1
    # Classes are flipped so that ties break the way Keras's (JAX-derived) reference breaks them.
    x = torch.flip(F.log_softmax(inputs, dim=-1), dims=[2])
    mask_index = num_classes - mask_index - 1
    lengths = lengths.detach().cpu().tolist()  # one host sync per call, not per step
    found = [_beam_one(x[b], int(lengths[b]), beam_width, top_paths, num_classes, mask_index)
             for b in range(batch)]
    paths = torch.stack([p for p, _ in found])
    scores = torch.stack([s for _, s in found])
    paths = torch.where(paths == _PAD, _PAD, num_classes - paths - 1)
    return paths.permute(1, 0, 2), scores
