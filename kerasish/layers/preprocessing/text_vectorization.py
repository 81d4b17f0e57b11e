"""`TextVectorization`: strings to token indices or bag-of-words vectors (Keras 3's layer, without
TensorFlow: the string ops are in `text_ops`, the vocabulary in a `StringLookup`)."""

import numpy as np
import torch

from kerasish.layers.preprocessing import text_ops
from kerasish.layers.preprocessing.data_layer import (
    OUTPUT_MODES, PreprocessingLayer, check_output_mode, iter_batches, refuse_sparse,
    to_str_array)
from kerasish.layers.preprocessing.string_lookup import StringLookup, _refuse_file_in_safe_mode
from kerasish.layers.preprocessing.vocabulary_io import listify
from kerasish.saving import object_registration

_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")


def _check_option(value, allowed, arg):
    if value is None or callable(value) or value in allowed:
        return
    raise ValueError(f"`{arg}` must be None, a callable or one of {allowed}. "
                     f"Received: {arg}={value!r}")


class TextVectorization(PreprocessingLayer):
    """Turns strings into sequences of token indices or into token-count vectors.

    Each string is standardized (`"lower_and_strip_punctuation"` by default: ASCII lowercasing
    and ASCII punctuation removed, as TensorFlow does), split into tokens (`"whitespace"`,
    `"character"` or a callable), optionally grouped into n-grams, then looked up in a vocabulary
    learned by `adapt` (or given). Index 0 is padding (`""`), index 1 the OOV token `"[UNK]"`.

    Args:
        max_tokens: the largest vocabulary, padding and OOV included. Defaults to `None`.
        standardize: `None`, `"lower_and_strip_punctuation"`, `"lower"`, `"strip_punctuation"`
            or a callable taking a numpy array of `str` and returning one.
        split: `None`, `"whitespace"`, `"character"` or a callable taking a 1D numpy array of
            `str` and returning one list of tokens per string.
        ngrams: `None`, an int (all n-grams up to it) or a tuple of ints.
        output_mode: `"int"`, `"multi_hot"`, `"count"` or `"tf_idf"` (and `"one_hot"`).
        output_sequence_length: in `"int"` mode, pad or truncate to this length. Without it the
            batch is padded to its longest sequence.
        pad_to_max_tokens: pad the encoded outputs to `max_tokens`.
        vocabulary: a list of strings or a text file path; `idf_weights` with it for `"tf_idf"`.
        sparse, ragged: refused (kerasish returns dense tensors).
        encoding: the encoding of `bytes` inputs. Defaults to `"utf-8"`.

    Example:

    ```python
    layer = kerasish.layers.TextVectorization(max_tokens=10, output_sequence_length=4)
    layer.adapt(["the cat sat", "the dog"])
    layer(["the cat", "a dog sat"])  # tensor([[2, 5, 0, 0], [1, 6, 3, 0]])
    ```
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None,
                 **kwargs):
        refuse_sparse(sparse, "TextVectorization")
        if ragged:
            raise ValueError("`ragged=True` is not supported in kerasish (torch has no ragged "
                             "tensors, as in Keras 3 on torch): use `output_sequence_length` or "
                             f"the padded output. Received: ragged={ragged}")
        _check_option(standardize, _STANDARDIZE, "standardize")
        _check_option(split, _SPLIT, "split")
        output_mode = check_output_mode(output_mode, OUTPUT_MODES, "TextVectorization")
        if not (ngrams is None or (isinstance(ngrams, int) and not isinstance(ngrams, bool))
                or (isinstance(ngrams, tuple) and all(isinstance(i, int) for i in ngrams))):
            raise ValueError("`ngrams` must be None, an integer, or a tuple of integers. "
                             f"Received: ngrams={ngrams}")
        if output_mode == "int" and not (output_sequence_length is None or
                                         isinstance(output_sequence_length, int)):
            raise ValueError("`output_sequence_length` must be either None or an integer when "
                             "`output_mode` is 'int'. "
                             f"Received: output_sequence_length={output_sequence_length}")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError("`output_sequence_length` must not be set if `output_mode` is not "
                             f"'int'. Received output_sequence_length={output_sequence_length}.")
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self._max_tokens = max_tokens
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode,
            has_input_vocabulary=has_input_vocabulary, encoding=encoding,
            vocabulary_size=vocabulary_size)

    # ------------------------------------------------------------------ vocabulary
    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary (and document frequencies, in `"tf_idf"` mode) from `data`: a
        list or array of strings (one document each), or a dataset / iterable of such batches."""
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray, str)):
            arr = to_str_array(data) if np.size(np.asarray(data, dtype=object)) else None
            for batch in iter_batches(arr if arr is not None else data, steps):
                self.update_state(batch if batch.ndim != 1 else batch[:, None])
        else:
            for batch in iter_batches(data, steps):
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        self._lookup_layer.update_state(self._preprocess(data))

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary, index `i` holding the token of index `i` (`""` and `"[UNK]"` first)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (a list or a file path) and, in `"tf_idf"` mode, IDF weights."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # ------------------------------------------------------------------ call
    def _standardize_array(self, arr):
        if callable(self._standardize):
            result = np.asarray(self._standardize(arr.astype(str)))
            return to_str_array(result)
        out = arr
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            out = np.vectorize(text_ops.lower, otypes=[object])(out) if out.size else out
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            out = np.vectorize(text_ops.strip_punctuation, otypes=[object])(out) \
                if out.size else out
        return out

    def _split_array(self, arr):
        if arr.ndim > 1:
            if arr.shape[-1] != 1:
                raise ValueError(
                    "When using `TextVectorization` to tokenize strings, the input rank must be "
                    "1 or the last shape dimension must be 1. "
                    f"Received: inputs.shape={arr.shape} with rank={arr.ndim}")
            arr = arr.squeeze(-1)
        if arr.ndim != 1:
            raise ValueError("TextVectorization expects a batch of strings (rank 1, or rank 2 "
                             f"with a last dimension of 1). Received: inputs.shape={arr.shape}")
        if callable(self._split):
            rows = self._split(arr.astype(str))
            return [[t.decode(self._encoding) if isinstance(t, bytes) else str(t)
                     for t in row] for row in rows]
        fn = text_ops.split_whitespace if self._split == "whitespace" \
            else text_ops.split_characters
        return [fn(s) for s in arr.tolist()]

    def _preprocess(self, inputs):
        """Standardized strings: a dense object array (no split) or one token list per row."""
        arr = to_str_array(inputs)
        arr = self._standardize_array(arr)
        if self._split is None:
            if self._ngrams is None:
                return arr
            rows = [list(r) for r in arr.reshape(-1, arr.shape[-1] if arr.ndim else 1).tolist()]
        else:
            rows = self._split_array(arr)
        if self._ngrams is not None:
            rows = [text_ops.ngrams(r, self._ngrams) for r in rows]
        return rows

    def call(self, inputs):
        scalar = isinstance(inputs, (str, bytes)) or (isinstance(inputs, np.ndarray)
                                                       and inputs.ndim == 0)
        if scalar:
            inputs = [inputs]
        data = self._preprocess(inputs)
        if isinstance(data, np.ndarray):
            out = self._lookup_layer(data)
        else:
            out = self._lookup_rows(data)
        if self._output_mode == "int" and self._output_sequence_length is not None:
            out = _fit_length(out, self._output_sequence_length)
        return out[0] if scalar else out

    def _lookup_rows(self, rows):
        lookup = self._lookup_layer
        lookup._ensure_known_vocab_size()
        width = max((len(r) for r in rows), default=0)
        if self._output_mode == "int" and self._output_sequence_length is not None:
            width = max(width, 0)
        flat = np.empty(sum(len(r) for r in rows), dtype=object)
        flat[:] = [t for r in rows for t in r]
        idx = lookup._lookup(flat)
        pad = 0 if self._output_mode == "int" else -1  # -1 is dropped by the encodings
        dense = np.full((len(rows), width), pad, dtype=np.int64)
        lengths = np.array([len(r) for r in rows], dtype=np.int64)
        mask = np.arange(width)[None, :] < lengths[:, None]
        dense[mask] = idx
        return lookup._encode(torch.from_numpy(dense))

    @property
    def _symbolic_output_dtype(self):
        return self._lookup_layer._symbolic_output_dtype

    def compute_output_shape(self, input_shape):
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = tuple(input_shape) + (1,)
        else:
            input_shape = tuple(input_shape) + (None,)
        return self._lookup_layer.compute_output_shape(input_shape)

    # ------------------------------------------------------------------ config and saving
    def get_config(self):
        config = super().get_config()
        config.update({
            "max_tokens": self._lookup_layer.max_tokens,
            "standardize": _serialize_callable(self._standardize),
            "split": _serialize_callable(self._split),
            "ngrams": self._ngrams_arg, "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": self._lookup_layer.pad_to_max_tokens,
            "sparse": False, "ragged": False,
            "vocabulary": listify(self._lookup_layer.input_vocabulary),
            "idf_weights": listify(self._lookup_layer.input_idf_weights),
            "encoding": self._encoding, "vocabulary_size": self.vocabulary_size(),
        })
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        _refuse_file_in_safe_mode(config)
        for key in ("standardize", "split"):
            config[key] = _deserialize_callable(config.get(key), custom_objects)
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)

    def save_own_variables(self, store):
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)


def _fit_length(out, length):
    """Truncates or zero-pads the last axis to `length` (Keras's `output_sequence_length`)."""
    out = out[..., :length]
    if out.shape[-1] < length:
        pad = torch.zeros(*out.shape[:-1], length - out.shape[-1], dtype=out.dtype)
        out = torch.cat([out, pad], dim=-1)
    return out


def _serialize_callable(fn):
    """A registered function as Keras writes it in configs; strings and None as they are."""
    if fn is None or isinstance(fn, str):
        return fn
    name = object_registration.get_registered_name(fn)
    return {"module": None, "class_name": "function", "config": name, "registered_name": name}


def _deserialize_callable(value, custom_objects=None):
    if not isinstance(value, dict):
        return value
    name = value.get("registered_name") or value.get("config")
    fn = object_registration.get_registered_object(name, custom_objects)
    if fn is None:
        raise ValueError(f"Could not find the function {name!r}: register it with "
                         "`kerasish.saving.register_keras_serializable()` or pass it in "
                         f"`custom_objects`. Received: {value}")
    return fn
