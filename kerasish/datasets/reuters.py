"""Reuters newswire topics (46 classes): `load_data()` -> `(x_train, y_train), (x_test, y_test)` of
word-index lists; read without unpickling (`_safe_npz.py`)."""

import numpy as np

from kerasish.datasets import _fetch, _safe_npz, _sequences

FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113,
              start_char=1, oov_char=2, index_from=3, **kwargs):
    """Arguments as in `imdb.load_data`, plus `test_split` (the last fraction after shuffling).

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = load_data(num_words=1000, test_split=0.2)
    ```
    """
    if "nb_words" in kwargs:
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
    f = _safe_npz.load_npz(_fetch.fetch(path, remote_name="reuters.npz", file_hash=FILE_HASH))
    xs, labels = f["x"], f["y"]
    indices = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(indices)
    xs = _sequences.shift(xs[indices], start_char, index_from)
    labels = list(labels[indices])
    if maxlen:
        xs, labels = _sequences.remove_long_seq(maxlen, xs, labels)
    xs = _sequences.limit_vocabulary(xs, num_words, skip_top, oov_char)
    idx = int(len(xs) * (1 - test_split))
    return ((_sequences.to_object_array(xs[:idx]), np.array(labels[:idx])),
            (_sequences.to_object_array(xs[idx:]), np.array(labels[idx:])))


def get_word_index(path="reuters_word_index.json"):
    """`{word: index}` (indices before the `index_from` offset).

    Args:
        path: where to cache the file (relative to `~/.keras/datasets`).

    Returns:
        A dict from each word to its rank by frequency (1 is the most frequent).

    Example:

    ```python
    (x_train, _), _ = kerasish.datasets.reuters.load_data()
    word_index = kerasish.datasets.reuters.get_word_index()
    # load_data's default index_from=3 shifts every index by 3 (0-2 are reserved).
    words = {index + 3: word for word, index in word_index.items()}
    print(" ".join(words.get(i, "?") for i in x_train[0][1:]))
    ```
    """
    return _sequences.load_word_index(path, "reuters_word_index.json", WORD_INDEX_HASH)
