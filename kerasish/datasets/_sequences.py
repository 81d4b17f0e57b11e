"""Keras's word-index post-processing for imdb and reuters (start/oov characters, `num_words`, ...)."""

import json

import numpy as np

from kerasish.datasets import _fetch


def shift(xs, start_char, index_from):
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in xs]
    return [[w + index_from for w in x] for x in xs]


def remove_long_seq(maxlen, seqs, labels):
    kept = [(x, y) for x, y in zip(seqs, labels) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def limit_vocabulary(xs, num_words, skip_top, oov_char):
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def to_object_array(seqs):
    out = np.empty(len(seqs), dtype=object)
    out[:] = seqs
    return out


def load_word_index(path, remote_name, file_hash):
    with open(_fetch.fetch(path, remote_name=remote_name, file_hash=file_hash), encoding="utf-8") as f:
        return json.load(f)
