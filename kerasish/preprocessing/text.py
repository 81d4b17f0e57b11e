"""Text preprocessing from Keras 2: `Tokenizer`, `text_to_word_sequence`, `one_hot`, `hashing_trick`.

Word indices start at 1 (0 is left for padding), ordered by decreasing frequency; an `oov_token`
takes index 1.
"""

import collections
import hashlib
import json
import warnings

import numpy as np

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def text_to_word_sequence(input_text, filters=DEFAULT_FILTERS, lower=True, split=" "):
    """Splits a text into words, after lower-casing and replacing `filters` characters by `split`.

    Example:

    >>> text_to_word_sequence("Hello, World!")
    ['hello', 'world']
    """
    if lower:
        input_text = input_text.lower()
    input_text = input_text.translate(str.maketrans({c: split for c in filters}))
    return [w for w in input_text.split(split) if w]


def _md5(word):
    return int(hashlib.md5(word.encode()).hexdigest(), 16)


def hashing_trick(text, n, hash_function=None, filters=DEFAULT_FILTERS, lower=True, split=" ",
                  analyzer=None):
    """Word indices in `[1, n)` by hashing each word (`hash_function`: a callable, `"md5"` for a
    stable hash, or Python's `hash` by default, which varies between runs for strings).

    Example:

    >>> hashing_trick("the cat the", 10, hash_function="md5")[0] == hashing_trick("the", 10, hash_function="md5")[0]
    True
    """
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        hash_function = _md5
    seq = analyzer(text) if analyzer is not None else text_to_word_sequence(
        text, filters=filters, lower=lower, split=split)
    return [(hash_function(w) % (n - 1) + 1) for w in seq]


def one_hot(input_text, n, filters=DEFAULT_FILTERS, lower=True, split=" ", analyzer=None):
    """`hashing_trick` with Python's `hash`: word indices in `[1, n)` (not a one-hot matrix)."""
    return hashing_trick(input_text, n, hash_function=hash, filters=filters, lower=lower, split=split,
                         analyzer=analyzer)


def _tfidf(count, document_count, docs_with_word):
    tf = 1 + np.log(count)
    idf = np.log(1 + document_count / (1 + docs_with_word))
    return tf * idf


# Matrix modes: value for a word seen `count` times in a sequence of `length` words.
_MODES = {
    "binary": lambda tok, j, count, length: 1,
    "count": lambda tok, j, count, length: count,
    "freq": lambda tok, j, count, length: count / length,
    "tfidf": lambda tok, j, count, length: _tfidf(count, tok.document_count, tok.index_docs.get(j, 0)),
}


class Tokenizer:
    """Turns texts into sequences of word indices or into bag-of-words matrices.

    Args:
        num_words: keep only the `num_words - 1` most frequent words (by index). Defaults to all.
        filters: characters removed from the texts. Defaults to punctuation, tabs and line breaks.
        lower: lower-case the texts. Defaults to `True`.
        split: word separator. Defaults to `" "`.
        char_level: every character is a token. Defaults to `False`.
        oov_token: if given, the token (index 1) that replaces out-of-vocabulary words.
        analyzer: a callable `text -> list of tokens`, replacing the default splitting.

    Example:

    ```python
    tok = Tokenizer(num_words=100)
    tok.fit_on_texts(["the cat sat", "the dog"])
    tok.texts_to_sequences(["the cat"])          # [[1, 2]]
    tok.texts_to_matrix(["the cat"], mode="count")
    ```
    """

    def __init__(self, num_words=None, filters=DEFAULT_FILTERS, lower=True, split=" ", char_level=False,
                 oov_token=None, analyzer=None, **kwargs):
        if "nb_words" in kwargs:
            warnings.warn("The `nb_words` argument in `Tokenizer` has been renamed `num_words`.",
                          stacklevel=2)
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
        self.word_counts = collections.OrderedDict()
        self.word_docs = collections.defaultdict(int)
        self.index_docs = collections.defaultdict(int)
        self.filters, self.split, self.lower = filters, split, lower
        self.num_words = num_words
        self.document_count = document_count
        self.char_level = char_level
        self.oov_token = oov_token
        self.analyzer = analyzer
        self.word_index = {}
        self.index_word = {}

    def _tokens(self, text):
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, filters=self.filters, lower=self.lower, split=self.split)

    def fit_on_texts(self, texts):
        """Builds the vocabulary (`word_index`, counts) from texts (or lists of tokens)."""
        for text in texts:
            self.document_count += 1
            seq = self._tokens(text)
            for w in seq:
                self.word_counts[w] = self.word_counts.get(w, 0) + 1
            for w in set(seq):
                self.word_docs[w] += 1
        # A stable sort: ties keep first-seen order, which fixes the indices.
        ordered = sorted(self.word_counts.items(), key=lambda kv: kv[1], reverse=True)
        vocab = ([self.oov_token] if self.oov_token is not None else []) + [w for w, _ in ordered]
        self.word_index = {w: i for i, w in enumerate(vocab, start=1)}
        self.index_word = {i: w for w, i in self.word_index.items()}
        for w, c in list(self.word_docs.items()):
            self.index_docs[self.word_index[w]] = c

    def fit_on_sequences(self, sequences):
        """Counts document frequencies of indices (for `tfidf`) from sequences of word indices."""
        self.document_count += len(sequences)
        for seq in sequences:
            for i in set(seq):
                self.index_docs[i] += 1

    def _keep(self, i):
        return not (self.num_words and i >= self.num_words)

    def texts_to_sequences_generator(self, texts):
        """Yields one list of word indices per text (unknown words dropped, or `oov_token`)."""
        oov = self.word_index.get(self.oov_token)
        for text in texts:
            vect = []
            for w in self._tokens(text):
                i = self.word_index.get(w)
                i = i if i is not None and self._keep(i) else oov
                if i is not None:
                    vect.append(i)
            yield vect

    def texts_to_sequences(self, texts):
        """Lists of word indices, one per text."""
        return list(self.texts_to_sequences_generator(texts))

    def sequences_to_texts_generator(self, sequences):
        oov = self.word_index.get(self.oov_token)
        for seq in sequences:
            words = []
            for num in seq:
                word = self.index_word.get(num)
                if word is None or not self._keep(num):
                    word = self.index_word[oov] if oov is not None else None
                if word is not None:
                    words.append(word)
            yield " ".join(words)

    def sequences_to_texts(self, sequences):
        """Texts (words joined by spaces) from lists of word indices."""
        return list(self.sequences_to_texts_generator(sequences))

    def texts_to_matrix(self, texts, mode="binary"):
        """`sequences_to_matrix(texts_to_sequences(texts), mode)`."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """A `(len(sequences), num_words)` float64 matrix.

        Args:
            sequences: lists of word indices.
            mode: `"binary"` (default), `"count"`, `"freq"` or `"tfidf"`.
        """
        if mode not in _MODES:
            raise ValueError(f"Unknown vectorization mode: expected one of {sorted(_MODES)}. "
                             f"Received: mode={mode!r}")
        if self.num_words:
            num_words = self.num_words
        elif self.word_index:
            num_words = len(self.word_index) + 1
        else:
            raise ValueError("Specify a dimension (`num_words` argument), or fit on some text data first.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        value = _MODES[mode]
        x = np.zeros((len(sequences), num_words))
        for i, seq in enumerate(sequences):
            counts = collections.Counter(j for j in seq if j < num_words)
            for j, c in counts.items():
                x[i][j] = value(self, j, c, len(seq))
        return x

    def get_config(self):
        """The tokenizer's state, with its tables as JSON strings (Keras's layout)."""
        return {
            "num_words": self.num_words, "filters": self.filters, "lower": self.lower,
            "split": self.split, "char_level": self.char_level, "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts), "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs), "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs):
        """A JSON string that `tokenizer_from_json` turns back into this tokenizer."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string):
    """A `Tokenizer` from `Tokenizer.to_json()` output (Keras's format).

    Example:

    >>> tok = Tokenizer(); tok.fit_on_texts(["a b b"])
    >>> tokenizer_from_json(tok.to_json()).word_index
    {'b': 1, 'a': 2}
    """
    config = dict(json.loads(json_string).get("config"))
    tables = {name: json.loads(config.pop(name)) for name in
              ("word_counts", "word_docs", "index_docs", "index_word", "word_index")}
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = tables["word_counts"]
    tokenizer.word_docs = tables["word_docs"]
    tokenizer.index_docs = {int(k): v for k, v in tables["index_docs"].items()}
    tokenizer.index_word = {int(k): v for k, v in tables["index_word"].items()}
    tokenizer.word_index = tables["word_index"]
    return tokenizer
