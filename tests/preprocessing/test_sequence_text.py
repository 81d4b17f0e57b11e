"""`pad_sequences`, `Tokenizer`, `skipgrams`, `TimeseriesGenerator` against real Keras 3."""

import random

import numpy as np
import pytest

from kerasish.preprocessing import sequence, text

SEQS = [[1, 2, 3, 4, 5], [6, 7], [], [8, 9, 10]]
TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "cat and dog, dog and cat", "zebra"]


@pytest.fixture
def legacy(keras):
    from keras.src.legacy.preprocessing import sequence as k_seq
    from keras.src.legacy.preprocessing import text as k_text

    return k_seq, k_text


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
@pytest.mark.parametrize("maxlen", [None, 3])
def test_pad_sequences_matches_keras(keras, padding, truncating, maxlen):
    ours = sequence.pad_sequences(SEQS, maxlen=maxlen, padding=padding, truncating=truncating, value=-1)
    theirs = keras.utils.pad_sequences(SEQS, maxlen=maxlen, padding=padding, truncating=truncating, value=-1)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_pad_sequences_float_and_multidim(keras):
    seqs = [np.ones((2, 3)), np.full((4, 3), 2.0)]
    ours = sequence.pad_sequences(seqs, maxlen=3, dtype="float32", value=0.5)
    np.testing.assert_array_equal(ours, keras.utils.pad_sequences(seqs, maxlen=3, dtype="float32", value=0.5))
    strings = sequence.pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert strings.tolist() == [["a", "b"], ["<pad>", "c"]]


def test_pad_sequences_errors():
    with pytest.raises(ValueError, match="padding"):
        sequence.pad_sequences(SEQS, padding="middle")
    with pytest.raises(ValueError, match="non-iterable"):
        sequence.pad_sequences([1, 2])
    with pytest.raises(ValueError, match="dtype"):
        sequence.pad_sequences([[1]], value="x")


@pytest.mark.parametrize("kwargs", [{}, {"num_words": 5}, {"oov_token": "<oov>", "num_words": 4},
                                    {"char_level": True}, {"lower": False, "filters": ""}])
def test_tokenizer_matches_keras(legacy, kwargs):
    _, k_text = legacy
    ours, theirs = text.Tokenizer(**kwargs), k_text.Tokenizer(**kwargs)
    ours.fit_on_texts(TEXTS)
    theirs.fit_on_texts(TEXTS)
    assert ours.word_index == theirs.word_index
    probe = TEXTS + ["an unknown cat appears"]
    assert ours.texts_to_sequences(probe) == theirs.texts_to_sequences(probe)
    seqs = theirs.texts_to_sequences(probe)
    assert ours.sequences_to_texts(seqs) == theirs.sequences_to_texts(seqs)
    for mode in ("binary", "count", "tfidf", "freq"):
        np.testing.assert_allclose(ours.texts_to_matrix(probe, mode=mode), theirs.texts_to_matrix(probe, mode=mode),
                                   rtol=1e-12)


def test_tokenizer_json_round_trip_and_keras_reads_it(legacy):
    _, k_text = legacy
    tok = text.Tokenizer(num_words=6, oov_token="?")
    tok.fit_on_texts(TEXTS)
    back = text.tokenizer_from_json(tok.to_json())
    assert back.texts_to_sequences(TEXTS) == tok.texts_to_sequences(TEXTS)
    keras_tok = k_text.tokenizer_from_json(tok.to_json())
    np.testing.assert_array_equal(keras_tok.texts_to_matrix(TEXTS, "tfidf"), tok.texts_to_matrix(TEXTS, "tfidf"))


def test_tokenizer_errors():
    with pytest.raises(ValueError, match="fit on some text"):
        text.Tokenizer().sequences_to_matrix([[1]])
    tok = text.Tokenizer(num_words=3)
    with pytest.raises(ValueError, match="mode"):
        tok.sequences_to_matrix([[1]], mode="bogus")


def test_text_functions_match_keras(legacy):
    _, k_text = legacy
    s = "Hello, World! Hello again\tfriend."
    assert text.text_to_word_sequence(s) == k_text.text_to_word_sequence(s)
    assert text.hashing_trick(s, 50, hash_function="md5") == k_text.hashing_trick(s, 50, hash_function="md5")
    assert text.one_hot(s, 30) == k_text.one_hot(s, 30)


def test_skipgrams_and_sampling_table_match_keras(legacy):
    k_seq, _ = legacy
    np.testing.assert_allclose(sequence.make_sampling_table(50), k_seq.make_sampling_table(50))
    seq = [1, 4, 0, 3, 2, 5, 6]
    random.seed(7)
    ours = sequence.skipgrams(seq, 8, window_size=2, seed=3)
    random.seed(7)
    theirs = k_seq.skipgrams(seq, 8, window_size=2, seed=3)
    assert ours == theirs
    random.seed(1)
    cat = sequence.skipgrams(seq, 8, window_size=1, categorical=True, shuffle=False)
    random.seed(1)
    assert cat == k_seq.skipgrams(seq, 8, window_size=1, categorical=True, shuffle=False)


@pytest.mark.parametrize("kwargs", [{}, {"sampling_rate": 2, "stride": 3}, {"reverse": True, "start_index": 4,
                                                                          "end_index": 40}])
def test_timeseries_generator_matches_keras(legacy, kwargs):
    k_seq, _ = legacy
    data = np.arange(100).reshape(50, 2)
    targets = np.arange(50)
    ours = sequence.TimeseriesGenerator(data, targets, length=6, batch_size=7, **kwargs)
    theirs = k_seq.TimeseriesGenerator(data, targets, length=6, batch_size=7, **kwargs)
    assert len(ours) == len(theirs)
    for i in range(len(ours)):
        for a, b in zip(ours[i], theirs[i]):
            np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="same length"):
        sequence.TimeseriesGenerator(data, targets[:3], length=2)


def test_timeseries_dataset_from_array_windows_and_targets():
    from kerasish.utils import timeseries_dataset_from_array

    data = np.arange(30)
    ds = timeseries_dataset_from_array(data, data * 10, sequence_length=4, sequence_stride=2, sampling_rate=2,
                                       batch_size=3, start_index=2)
    x, y = next(iter(ds))
    np.testing.assert_array_equal(x[1], [4, 6, 8, 10])
    np.testing.assert_array_equal(y, [20, 40, 60])
    assert sum(len(b[0]) for b in ds) == len(range(0, 30 - 2 - 3 * 2, 2))
