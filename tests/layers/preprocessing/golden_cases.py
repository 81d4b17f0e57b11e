"""The cases of tools/make_preprocessing_goldens.py, shared with the tests that read its goldens.

A case is `{"id", "layer", "kwargs", "adapt"?, "adapt_batches"?, "vocabulary_file"?, "calls"}`:
the layer built with `kwargs` (a `"callable:NAME"` standardize/split names one of `CALLABLES`),
adapted on `adapt` (one array, or a list of batches), then called on each of `calls`.
An input is a plain list or `{"dtype": ..., "value": ...}`.
"""

import numpy as np

DOCS = ["The quick brown fox.", "the lazy dog", "Quick, quick! said the FOX",
        "Émile a mangé l'ÉTÉ", "tabs\tand\nnewlines  here", "", "dog dog dog cat",
        "naïve café résumé", "a\u00a0b nbsp", "x-ray e-mail don't", "fox,dog,cat", "The END"]
TEST_DOCS = ["the fox and the dog", "QUICK brown cat!", "unseen words only", "",
             "Émile café", "fox,cat,bird", "dog"]
TOKENS = [["a", "b", "c"], ["b", "b", "d"], ["e", "a", "b"], ["c", "c", "c"], ["z", "y", "a"]]
TOKENS_TEST = [["a", "q", "c"], ["", "b", "zz"], ["d", "[MASK]", "a"]]
INTS = [[12, 36, 1138], [42, 12, 12], [7, 36, 99], [1138, 1138, 5], [0, 3, 12]]
INTS_TEST = [[12, 1000, 36], [-7, 0, 5], [99, 123456789, 1138]]
I64 = "int64"


def _ints(v):
    return {"dtype": I64, "value": v}


def _text_cases():
    base = {"layer": "TextVectorization", "adapt": DOCS, "calls": [TEST_DOCS]}
    specs = [
        ("tv_default", {}),
        ("tv_max_len", {"max_tokens": 8, "output_sequence_length": 6}),
        ("tv_chars", {"standardize": "lower", "split": "character", "max_tokens": 20,
                      "output_sequence_length": 10}),
        ("tv_bigram_multi_hot", {"standardize": None, "ngrams": 2, "output_mode": "multi_hot",
                                 "max_tokens": 30}),
        ("tv_ngrams_count_pad", {"ngrams": (1, 3), "output_mode": "count",
                                 "pad_to_max_tokens": True, "max_tokens": 40}),
        ("tv_tf_idf", {"output_mode": "tf_idf", "max_tokens": 12}),
        ("tv_tf_idf_pad", {"output_mode": "tf_idf", "max_tokens": 30, "pad_to_max_tokens": True}),
        ("tv_strip_no_split", {"standardize": "strip_punctuation", "split": None}),
        ("tv_lower_only", {"standardize": "lower", "output_sequence_length": 3}),
        ("tv_callable_standardize", {"standardize": "callable:upper", "max_tokens": 15}),
        ("tv_callable_split", {"split": "callable:split_comma", "output_sequence_length": 4}),
        ("tv_binary_alias", {"output_mode": "binary", "standardize": "lower"}),
    ]
    cases = [dict(base, id=i, kwargs=k) for i, k in specs]
    cases[7] = dict(cases[7], calls=[[[d] for d in TEST_DOCS]])
    cases[7]["adapt"] = [[d] for d in DOCS]
    cases.append({"id": "tv_vocabulary", "layer": "TextVectorization",
                  "kwargs": {"vocabulary": ["the", "fox", "dog", "quick"],
                             "output_sequence_length": 4}, "calls": [TEST_DOCS]})
    cases.append({"id": "tv_vocabulary_idf", "layer": "TextVectorization",
                  "kwargs": {"vocabulary": ["the", "fox", "dog"], "idf_weights": [0.5, 1.5, 2.0],
                             "output_mode": "tf_idf"}, "calls": [TEST_DOCS]})
    cases.append({"id": "tv_one_hot_no_split", "layer": "TextVectorization",
                  "kwargs": {"split": None, "output_mode": "one_hot"},
                  "adapt": [[d] for d in DOCS], "calls": [[[d] for d in DOCS[:5]]]})
    cases.append({"id": "tv_batches", "layer": "TextVectorization",
                  "kwargs": {"output_mode": "tf_idf"}, "adapt": [DOCS[:5], DOCS[5:]],
                  "adapt_batches": True, "calls": [TEST_DOCS]})
    return cases


def _string_lookup_cases():
    base = {"layer": "StringLookup", "adapt": TOKENS, "calls": [TOKENS_TEST]}
    specs = [
        ("sl_default", {}),
        ("sl_mask_oov3", {"mask_token": "", "num_oov_indices": 3}),
        ("sl_salt", {"num_oov_indices": 4, "salt": [5, 9]}),
        ("sl_salt_int", {"num_oov_indices": 2, "salt": 1234}),
        ("sl_max_tokens", {"max_tokens": 4}),
        ("sl_one_hot", {"output_mode": "one_hot"}),
        ("sl_multi_hot_mask", {"output_mode": "multi_hot", "mask_token": "[MASK]"}),
        ("sl_count_pad", {"output_mode": "count", "max_tokens": 10, "pad_to_max_tokens": True}),
        ("sl_tf_idf", {"output_mode": "tf_idf"}),
        ("sl_no_oov_mask", {"num_oov_indices": 2, "mask_token": "[MASK]", "oov_token": "?"}),
    ]
    cases = [dict(base, id=i, kwargs=k) for i, k in specs]
    cases[5] = dict(cases[5], calls=[[["a"], ["c"], ["zz"]], ["a", "b", "q"]])
    cases += [
        {"id": "sl_invert", "layer": "StringLookup",
         "kwargs": {"vocabulary": ["a", "b", "c"], "invert": True, "mask_token": "[M]"},
         "calls": [_ints([[0, 1, 2], [3, 4, 9]])]},
        {"id": "sl_vocab_special", "layer": "StringLookup",
         "kwargs": {"vocabulary": ["", "[UNK]", "a", "b"], "mask_token": ""},
         "calls": [TOKENS_TEST]},
        {"id": "sl_vocab_file", "layer": "StringLookup", "kwargs": {},
         "vocabulary_file": ["a", "b", "c", "é"], "calls": [[["a", "é"], ["x", "c"]]]},
        {"id": "sl_1d_adapt", "layer": "StringLookup", "kwargs": {"output_mode": "tf_idf"},
         "adapt": ["a", "b", "b", "c", "a", "b"], "calls": [[["a", "b"], ["c", "q"]]]},
    ]
    return cases


def _integer_lookup_cases():
    base = {"layer": "IntegerLookup", "adapt": _ints(INTS), "calls": [_ints(INTS_TEST)]}
    specs = [
        ("il_default", {}),
        ("il_mask_floormod", {"mask_token": 0, "num_oov_indices": 3}),
        ("il_farmhash", {"num_oov_indices": 3, "oov_method": "farmhash"}),
        ("il_farmhash_salt", {"num_oov_indices": 5, "oov_method": "farmhash", "salt": [3, 4]}),
        ("il_max_tokens", {"max_tokens": 3}),
        ("il_multi_hot", {"output_mode": "multi_hot"}),
        ("il_count", {"output_mode": "count", "mask_token": 12}),
        ("il_tf_idf_pad", {"output_mode": "tf_idf", "max_tokens": 9, "pad_to_max_tokens": True}),
    ]
    cases = [dict(base, id=i, kwargs=k) for i, k in specs]
    cases.append({"id": "il_invert", "layer": "IntegerLookup",
                  "kwargs": {"vocabulary": [12, 36, 1138, 42], "invert": True},
                  "calls": [_ints([[0, 1, 2], [3, 4, 7]])]})
    return cases


def _hashing_cases():
    strs = [["A"], ["B"], ["C"], ["D"], ["E"], ["hello world"], [""]]
    ints = _ints([[1, 2, 3], [-5, 0, 123456789012]])
    floats = {"dtype": "float32", "value": [[1.7, -2.2, 3.0]]}
    specs = [
        ("h_str3", {"num_bins": 3}, [strs]),
        ("h_str1000", {"num_bins": 1000}, [strs, ints, floats]),
        ("h_one", {"num_bins": 1}, [strs]),
        ("h_mask", {"num_bins": 5, "mask_value": "C"}, [strs]),
        ("h_mask_int", {"num_bins": 5, "mask_value": 0}, [ints]),
        ("h_salt", {"num_bins": 7, "salt": 133}, [strs, ints]),
        ("h_salt_pair", {"num_bins": 11, "salt": [1, 2]}, [strs]),
        ("h_one_hot", {"num_bins": 4, "output_mode": "one_hot"}, [strs]),
        ("h_multi_hot", {"num_bins": 6, "output_mode": "multi_hot"}, [ints]),
        ("h_count", {"num_bins": 6, "output_mode": "count"}, [ints, [["a", "a", "b"]]]),
    ]
    cases = [{"id": i, "layer": "Hashing", "kwargs": k, "calls": c} for i, k, c in specs]
    a = _ints([1, 2, 3, -4])
    s = ["A", "B", "C", "hello"]
    cases += [
        {"id": "hx_int_str", "layer": "HashedCrossing", "kwargs": {"num_bins": 5},
         "calls": [[a, {"dtype": "str", "value": s}]]},
        {"id": "hx_str_str_col", "layer": "HashedCrossing", "kwargs": {"num_bins": 1000},
         "calls": [[{"dtype": "str", "value": [[v] for v in s]},
                    {"dtype": "str", "value": [[v] for v in s[::-1]]}]]},
        {"id": "hx_one_hot", "layer": "HashedCrossing",
         "kwargs": {"num_bins": 4, "output_mode": "one_hot"},
         "calls": [[a, _ints([9, 9, 9, 9]), {"dtype": "str", "value": s}]]},
    ]
    return cases


CASES = _text_cases() + _string_lookup_cases() + _integer_lookup_cases() + _hashing_cases()
HASH_INTS = [0, 1, -1, 7, 42, 1138, -123456789, 2 ** 40 + 3, 2 ** 62, -(2 ** 63)]
HASH_KEYS = [[0, 0], [1, 2], [2 ** 40, 7], [-1, 123]]
MODEL_INTS = [[3, 5, 5], [7, 3, 0], [9, 9, 9], [3, 1, 0], [5, 7, 11]]
MODEL_TEXTS = ["the movie was great", "a terrible boring film", "great acting and a great plot",
               "boring", "the plot was terrible", "not great not terrible"]


def hash_strings():
    """ASCII and UTF-8 strings of lengths 0-200 (every FarmHash length branch), and integers."""
    rng = np.random.default_rng(17)
    alphabet = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 .,-_éüß中文🙂")
    out = ["", "a", "A", "hello", "hello world", "[UNK]", "the quick brown fox"]
    for n in list(range(0, 70)) + [95, 127, 128, 129, 150, 200]:
        out.append("".join(rng.choice(alphabet, size=n)))
    return out + [str(i) for i in HASH_INTS]


_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# kerasish's callables get numpy arrays of str; the worker's get tf strings (tf.strings.upper is
# ASCII-only, so is this one).
CALLABLES = {
    "upper": lambda x: np.array([s.translate(_ASCII_UPPER) for s in x.reshape(-1)],
                                dtype=object).reshape(x.shape),
    "split_comma": lambda x: [s.split(",") for s in x],
}


def kerasish_text_model(path):
    """A kerasish model with a string input and adapted TextVectorization, saved to `path`."""
    import kerasish

    kerasish.backend.clear_session()  # the same layer names whatever ran before
    kerasish.utils.set_random_seed(0)
    vec = kerasish.layers.TextVectorization(max_tokens=20, output_sequence_length=6)
    vec.adapt(np.array(MODEL_TEXTS))
    inp = kerasish.Input(shape=(), dtype="string")
    x = kerasish.layers.Embedding(20, 4)(vec(inp))
    x = kerasish.layers.GlobalAveragePooling1D()(x)
    model = kerasish.Model(inp, kerasish.layers.Dense(2)(x))
    model.save(path)
    return model


def kerasish_int_model(path):
    """A kerasish model with an adapted IntegerLookup (tf_idf, mask 0) -> Dense, saved to `path`."""
    import kerasish

    kerasish.backend.clear_session()  # the same layer names whatever ran before
    kerasish.utils.set_random_seed(0)
    lookup = kerasish.layers.IntegerLookup(output_mode="tf_idf", max_tokens=6, mask_token=0)
    lookup.adapt(np.array(MODEL_INTS, dtype="int64"))
    inp = kerasish.Input(shape=(3,), dtype="int64")
    model = kerasish.Model(inp, kerasish.layers.Dense(2)(lookup(inp)))
    model.save(path)
    return model


FS_DATA = {
    "age": [34.0, 61.0, 25.0, 47.0, 52.0, 19.0, 38.0, 70.0],
    "income": [1.5, 3.2, 0.8, 2.7, 5.1, 0.4, 2.2, 1.9],
    "city": ["Paris", "Lima", "Paris", "Oslo", "Lima", "Paris", "Kyoto", "Oslo"],
    "zone": [3, 1, 3, 7, 1, 3, 9, 7],
    "tag": ["a", "b", "c", "a", "b", "d", "e", "a"],
    "code": [10, 20, 30, 10, 40, 50, 20, 10],
}
FS_PROBE = {"age": [30.0, 80.0, 19.0], "income": [2.0, 9.0, 0.1],
            "city": ["Lima", "Rome", "Paris"], "zone": [1, 5, 3], "tag": ["a", "z", "b"],
            "code": [10, 99, 30]}
# (id, features, FeatureSpace kwargs). A feature is a type string or [method, kwargs].
FEATURE_SPACE_CASES = [
    ("fs_concat", {"age": "float_normalized", "income": "float", "city": "string_categorical",
                   "zone": "integer_categorical", "tag": "string_hashed",
                   "code": "integer_hashed"},
     {"hashing_dim": 8}),
    ("fs_crosses_dict", {"age": "float_discretized", "city": "string_categorical",
                         "zone": "integer_categorical"},
     {"crosses": [["city", "zone"]], "crossing_dim": 16, "num_discretization_bins": 4,
      "output_mode": "dict"}),
    ("fs_specs", {"age": ["float_discretized", {"num_bins": 3, "output_mode": "int"}],
                  "city": ["string_categorical", {"max_tokens": 3, "num_oov_indices": 2}],
                  "zone": ["integer_categorical", {"output_mode": "int"}],
                  "income": ["float_rescaled", {"scale": 0.5, "offset": -1.0}],
                  "code": ["integer_hashed", {"num_bins": 5, "output_mode": "int"}],
                  "tag": ["string_hashed", {"num_bins": 6}]},
     {"output_mode": "dict"}),
    ("fs_normalized_crosses", {"income": "float_normalized", "tag": "string_categorical",
                               "code": "integer_categorical", "age": "float_rescaled"},
     {"crosses": [["tag", "code"], ["code", "tag"]], "crossing_dim": 8}),
]


# The FeatureSpace saved to `.keras` (both ways): every kind of feature, and a cross.
FS_SAVED_FEATURES = {"age": "float_normalized", "income": "float", "city": "string_categorical",
                     "zone": "integer_categorical", "tag": "string_hashed",
                     "code": ["float_discretized", {"num_bins": 3}]}
FS_SAVED_KWARGS = {"crosses": [["city", "zone"]], "crossing_dim": 8, "hashing_dim": 4}


def kerasish_feature_space(path):
    """Writes kerasish's adapted FeatureSpace (`FS_SAVED_*`) to `path`, for Keras to load."""
    import numpy as np

    from kerasish.utils import FeatureSpace

    specs = {k: getattr(FeatureSpace, v[0])(**v[1]) if isinstance(v, list) else v
             for k, v in FS_SAVED_FEATURES.items()}
    kwargs = dict(FS_SAVED_KWARGS, crosses=[tuple(c) for c in FS_SAVED_KWARGS["crosses"]])
    space = FeatureSpace(specs, **kwargs)
    space.adapt({k: np.array(v, dtype="int32" if isinstance(v[0], int) else None)
                 for k, v in FS_DATA.items() if k in FS_SAVED_FEATURES})
    space.save(path)
    return space
