"""IMDB movie-review sentiment: `load_data()` -> `(x_train, y_train), (x_test, y_test)` where each
review is a list of word indices (most frequent word = 1, offset by `index_from`).

Keras's `imdb.npz` holds ragged object arrays (pickle streams inside the npz); kerasish reads them
with a parser that executes nothing (`_safe_npz.py`).
"""

import numpy as np

from kerasish.datasets import _fetch, _safe_npz, _sequences

FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1,
              oov_char=2, index_from=3, **kwargs):
    """Args as in Keras:

    Args:
        num_words: keep the `num_words` most frequent words (others become `oov_char`).
        skip_top: also replace the `skip_top` most frequent words.
        maxlen: drop reviews of `maxlen` words or more.
        seed: shuffling seed. start_char: index marking a review's start (1).
        oov_char: index of dropped words (2; None removes them). index_from: offset of word indices (3).

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = load_data(num_words=20000)
    ```
    """
    if "nb_words" in kwargs:
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
    f = _safe_npz.load_npz(_fetch.fetch(path, remote_name="imdb.npz", file_hash=FILE_HASH))
    rng = np.random.RandomState(seed)
    splits = []
    for x_key, y_key in (("x_train", "y_train"), ("x_test", "y_test")):
        x, y = f[x_key], f[y_key]
        indices = np.arange(len(x))
        rng.shuffle(indices)  # one generator for both splits, as Keras draws them
        splits.append((_sequences.shift(x[indices], start_char, index_from), y[indices]))
    (x_train, y_train), (x_test, y_test) = splits
    if maxlen:
        x_train, y_train = _sequences.remove_long_seq(maxlen, x_train, y_train)
        x_test, y_test = _sequences.remove_long_seq(maxlen, x_test, y_test)
        if not x_train or not x_test:
            raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was "
                             "kept. Increase maxlen.")
    xs = _sequences.limit_vocabulary(list(x_train) + list(x_test), num_words, skip_top, oov_char)
    n = len(x_train)
    return ((_sequences.to_object_array(xs[:n]), np.array(y_train)),
            (_sequences.to_object_array(xs[n:]), np.array(y_test)))


def get_word_index(path="imdb_word_index.json"):
    """`{word: index}` (indices before the `index_from` offset).

    Args:
        path: where to cache the file (relative to `~/.keras/datasets`).

    Returns:
        A dict from each word to its rank by frequency (1 is the most frequent).

    Example:

    ```python
    (x_train, _), _ = kerasish.datasets.imdb.load_data()
    word_index = kerasish.datasets.imdb.get_word_index()
    # load_data's default index_from=3 shifts every index by 3 (0-2 are reserved).
    words = {index + 3: word for word, index in word_index.items()}
    print(" ".join(words.get(i, "?") for i in x_train[0][1:]))
    ```
    """
    return _sequences.load_word_index(path, "imdb_word_index.json", WORD_INDEX_HASH)
