"""Sequence preprocessing: `pad_sequences`, `TimeseriesGenerator`, `skipgrams`, `make_sampling_table`."""

import random

import numpy as np

from kerasish.utils.sequence import PyDataset

_TRUNCATE = {"pre": lambda s, n: s[-n:], "post": lambda s, n: s[:n]}


def _place_pre(row, values):
    row[-len(values):] = values


def _place_post(row, values):
    row[:len(values)] = values


_PLACE = {"pre": _place_pre, "post": _place_post}


def _sample_shape(sequences):
    for s in sequences:
        if len(s) > 0:
            return np.asarray(s).shape[1:]
    return ()


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Pads (and truncates) a list of sequences to one length: a `(num_samples, maxlen)` array.

    Args:
        sequences: list of sequences (lists of numbers, or of same-shaped arrays).
        maxlen: length of the result. Defaults to the longest sequence.
        dtype: dtype of the result. Defaults to `"int32"`.
        padding: `"pre"` (default) or `"post"`: pad before or after each sequence.
        truncating: `"pre"` (default) or `"post"`: drop values from the start or the end of
            sequences longer than `maxlen`.
        value: the padding value. Defaults to `0.0`.

    Example:

    >>> pad_sequences([[1], [2, 3], [4, 5, 6]])
    array([[0, 0, 1],
           [0, 2, 3],
           [4, 5, 6]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"`sequences` must be iterable. Received: sequences={sequences!r}")
    lengths = []
    for s in sequences:
        if not hasattr(s, "__len__"):
            raise ValueError(f"`sequences` must be a list of iterables. Found non-iterable: {s!r}")
        lengths.append(len(s))
    for name, arg in (("padding", padding), ("truncating", truncating)):
        if arg not in _PLACE:
            raise ValueError(f'`{name}` must be "pre" or "post". Received: {name}={arg!r}')
    maxlen = int(np.max(lengths)) if maxlen is None and lengths else (maxlen or 0)
    sample_shape = _sample_shape(sequences)
    is_str_dtype = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.object_)
    if isinstance(value, str) and dtype is not object and not is_str_dtype:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}. You should set "
            f"`dtype=object` for variable length strings. Received: value={value!r}")
    x = np.full((len(sequences), maxlen) + sample_shape, value, dtype=dtype)
    for idx, s in enumerate(sequences):
        if not len(s) or maxlen == 0:
            continue
        trunc = np.asarray(_TRUNCATE[truncating](s, maxlen), dtype=dtype)
        if trunc.shape[1:] != sample_shape:
            raise ValueError(
                f"Shape of sample {trunc.shape[1:]} of sequence at position {idx} is different from "
                f"expected shape {sample_shape}. Received: sequence of shape {np.shape(s)}")
        _PLACE[padding](x[idx], trunc)
    return x


def make_sampling_table(size, sampling_factor=1e-5):
    """Word-rank sampling probabilities for `skipgrams` (word2vec's subsampling of frequent words).

    Assumes word index `i` is the i-th most frequent word and a Zipf distribution of frequencies.

    Args:
        size: vocabulary size.
        sampling_factor: word2vec's `sample` parameter. Defaults to `1e-5`.

    Example:

    >>> make_sampling_table(5).shape
    (5,)
    """
    gamma = 0.577  # Euler-Mascheroni constant, in the Zipf approximation of word frequencies
    rank = np.arange(size)
    rank[0] = 1
    inv_fq = rank * (np.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inv_fq
    return np.minimum(1.0, f / np.sqrt(f))


def _positive_couples(sequence, window_size, sampling_table, categorical):
    couples, labels = [], []
    for i, wi in enumerate(sequence):
        if not wi:
            continue
        if sampling_table is not None and sampling_table[wi] < random.random():
            continue
        for j in range(max(0, i - window_size), min(len(sequence), i + window_size + 1)):
            if j != i and sequence[j]:
                couples.append([wi, sequence[j]])
                labels.append([0, 1] if categorical else 1)
    return couples, labels


def skipgrams(sequence, vocabulary_size, window_size=4, negative_samples=1.0, shuffle=True,
              categorical=False, sampling_table=None, seed=None):
    """Skip-gram word pairs `(couples, labels)`: neighbours within `window_size` get label 1,
    random words label 0. Index 0 is skipped (it is padding). Uses Python's `random`, as Keras does.

    Args:
        sequence: list of word indices.
        vocabulary_size: number of words (indices are in `[1, vocabulary_size)`).
        window_size: half-width of the context window. Defaults to `4`.
        negative_samples: negative pairs per positive pair. Defaults to `1.0`.
        shuffle: shuffle the pairs. Defaults to `True`.
        categorical: labels as `[0, 1]` / `[1, 0]` instead of `1` / `0`.
        sampling_table: `make_sampling_table(vocabulary_size)` output, to subsample frequent words.
        seed: shuffling seed.

    Example:

    >>> couples, labels = skipgrams([1, 2, 3], vocabulary_size=4, window_size=1, shuffle=False)
    """
    couples, labels = _positive_couples(sequence, window_size, sampling_table, categorical)
    if negative_samples > 0:
        num_negative = int(len(labels) * negative_samples)
        words = [c[0] for c in couples]
        random.shuffle(words)
        couples += [[words[i % len(words)], random.randint(1, vocabulary_size - 1)]
                    for i in range(num_negative)]
        labels += ([[1, 0]] if categorical else [0]) * num_negative
    if shuffle:
        if seed is None:
            seed = random.randint(0, 10e6)
        # The same seed twice keeps couples and labels aligned.
        random.seed(seed)
        random.shuffle(couples)
        random.seed(seed)
        random.shuffle(labels)
    return couples, labels


class TimeseriesGenerator(PyDataset):
    """Batches of sliding windows over a time series, for `fit` (Keras 2's `TimeseriesGenerator`).

    Batch `i` holds windows ending just before rows `start_index + length + i * batch_size * stride`,
    ...; the target of a window is the row right after it.

    Args:
        data: array-like of timesteps (first axis is time).
        targets: array-like of the same length as `data`.
        length: timesteps per window (before `sampling_rate`).
        sampling_rate: keep every `sampling_rate`-th timestep of a window. Defaults to `1`.
        stride: step between consecutive windows. Defaults to `1`.
        start_index, end_index: the rows used (`end_index` inclusive; defaults to the last row).
        shuffle: draw random windows for each batch. Defaults to `False`.
        reverse: windows in reverse time order. Defaults to `False`.
        batch_size: windows per batch. Defaults to `128`.

    Example:

    ```python
    gen = TimeseriesGenerator(np.arange(100), np.arange(100), length=10, batch_size=8)
    x, y = gen[0]   # x.shape == (8, 10)
    ```
    """

    def __init__(self, data, targets, length, sampling_rate=1, stride=1, start_index=0, end_index=None,
                 shuffle=False, reverse=False, batch_size=128, **kwargs):
        super().__init__(**kwargs)
        if len(data) != len(targets):
            raise ValueError("Data and targets have to be of same length. "
                             f"Received: len(data)={len(data)}, len(targets)={len(targets)}")
        self.data, self.targets, self.length = data, targets, length
        self.sampling_rate, self.stride = sampling_rate, stride
        self.start_index = start_index + length
        self.end_index = len(data) - 1 if end_index is None else end_index
        self.shuffle, self.reverse, self.batch_size = shuffle, reverse, batch_size
        if self.start_index > self.end_index:
            raise ValueError(
                f"`start_index+length={self.start_index} > end_index={self.end_index}` is disallowed, "
                "as no part of the sequence would be left to be used as current step. "
                f"Received: start_index={start_index}, length={length}, end_index={end_index}")

    def __len__(self):
        span = self.batch_size * self.stride
        return (self.end_index - self.start_index + span) // span

    def __getitem__(self, index):
        if self.shuffle:
            rows = np.random.randint(self.start_index, self.end_index + 1, size=self.batch_size)
        else:
            i = self.start_index + self.batch_size * self.stride * index
            rows = np.arange(i, min(i + self.batch_size * self.stride, self.end_index + 1), self.stride)
        samples = np.array([self.data[row - self.length:row:self.sampling_rate] for row in rows])
        targets = np.array([self.targets[row] for row in rows])
        if self.reverse:
            return samples[:, ::-1, ...], targets
        return samples, targets
