"""`IndexLookup`: the vocabulary core shared by `StringLookup`, `IntegerLookup` and
`TextVectorization` (Keras 3's `keras.src.layers.preprocessing.index_lookup`, without TensorFlow).

The vocabulary is a python dict (token -> index); adapting counts tokens (and documents, for
TF-IDF) in `collections.Counter`s. Indices, ordering and IDF weights follow Keras: the learned
vocabulary is sorted by count, ties by token from high to low; index 0 is the mask token (in
`"int"` mode, when there is one), then `num_oov_indices` OOV indices, then the tokens.
"""

import collections
import math

import numpy as np
import torch

from kerasish.backend import config as backend_config
from kerasish.layers.preprocessing import hash_functions
from kerasish.layers.preprocessing.data_layer import (
    OUTPUT_MODES, PreprocessingLayer, check_output_mode, iter_batches, place, refuse_sparse,
    to_numpy, to_str_array)
from kerasish.layers.preprocessing.encoding import encode_categorical
from kerasish.layers.preprocessing import vocabulary_io

# Keras encodes lookups with the table's value dtype (int64) before TF-IDF scaling.
_COUNT_DTYPE = "int64"


class IndexLookup(PreprocessingLayer):
    """Maps tokens to integer indices through a vocabulary (not exported: see `StringLookup`).

    Args: as Keras's `IndexLookup`: `max_tokens`, `num_oov_indices`, `mask_token`, `oov_token`,
    `vocabulary_dtype` (`"string"` or `"int64"`), `vocabulary`, `idf_weights`, `invert`,
    `output_mode`, `sparse` (refused), `pad_to_max_tokens`, `oov_method`, `salt`.
    """

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype,
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 sparse=False, pad_to_max_tokens=False, oov_method="floormod", name=None,
                 salt=None, **kwargs):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError("If set, `max_tokens` must be greater than 1. "
                             f"Received: max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError("If pad_to_max_tokens is True, must set `max_tokens`. "
                             f"Received: max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError("`num_oov_indices` must be greater than or equal to 0. "
                             f"Received: num_oov_indices={num_oov_indices}")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError("`oov_method` must be one of ('floormod', 'farmhash'). "
                             f"Received: oov_method={oov_method!r}")
        self._is_string = vocabulary_dtype in ("string", "str", str)
        salt = self._check_salt(salt, oov_method)
        output_mode = check_output_mode(output_mode, OUTPUT_MODES, type(self).__name__)
        if invert and output_mode != "int":
            raise ValueError("`output_mode` must be `'int'` when `invert` is true. "
                             f"Received: output_mode={output_mode}")
        if sparse and output_mode == "int":
            raise ValueError("`sparse` may only be true if `output_mode` is `'one_hot'`, "
                             "`'multi_hot'`, `'count'` or `'tf_idf'`. "
                             f"Received: sparse={sparse} and output_mode={output_mode}")
        refuse_sparse(sparse, type(self).__name__)
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError("`idf_weights` should only be set if `output_mode` is `'tf_idf'`. "
                             f"Received: idf_weights={idf_weights} and output_mode={output_mode}")
        frozen = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")
        super().__init__(name=name, trainable=False)
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = "string" if self._is_string else "int64"
        self.oov_method = oov_method
        self.salt = salt
        self._frozen_vocab_size = frozen
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = has_input_vocabulary
        self._tokens = []
        self._table = {}
        self.idf_weights = None
        if output_mode == "tf_idf":
            if has_input_vocabulary and idf_weights is None:
                raise ValueError("When specifying the `vocabulary` argument, in TF-IDF output "
                                 "mode, the `idf_weights` argument must also be provided.")
            if idf_weights is not None:
                self.idf_weights = np.asarray(idf_weights, dtype=backend_config.floatx())
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.reset_state()

    def _check_salt(self, salt, oov_method):
        if salt is None:
            return None
        if not self._is_string and oov_method != "farmhash":
            raise ValueError("`salt` can only be used when `oov_method='farmhash'`. "
                             f"Received: oov_method={oov_method}")
        if isinstance(salt, (tuple, list)) and len(salt) == 2:
            return [int(s) for s in salt]
        if isinstance(salt, int) and not isinstance(salt, bool):
            return [salt, salt]
        raise ValueError(f"The `salt` argument for `{type(self).__name__}` can only be a tuple "
                         f"of 2 integers, or a single integer. Received: salt={salt}.")

    # ------------------------------------------------------------------ vocabulary
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self):
        """The size of the vocabulary, including the mask and OOV indices."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary: index `i` of the list is the token that maps to `i`.

        Args:
            include_special_tokens: whether to keep the mask and OOV tokens at the front.
        """
        vocab = [self.oov_token] * self._token_start_index() + list(self._tokens)
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        if not include_special_tokens:
            vocab = vocab[self._token_start_index():]
        return vocab

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and IDF weights, in `"tf_idf"` mode) instead of `adapt`.

        Args:
            vocabulary: a list, tuple, 1D array or tensor of tokens, or the path of a text file
                with one token per line.
            idf_weights: the IDF weights, as long as `vocabulary` (`"tf_idf"` mode only).
        """
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError("`idf_weights` should only be set if output_mode is `'tf_idf'`. "
                             f"Received: output_mode={self.output_mode} and "
                             f"idf_weights={idf_weights}")
        if isinstance(vocabulary, str):
            if self.output_mode == "tf_idf":
                raise ValueError("output_mode `'tf_idf'` does not support loading a vocabulary "
                                 f"from file. Received: vocabulary={vocabulary!r}")
            tokens = vocabulary_io.read_vocabulary_file(vocabulary, self._is_string)
            self._install(tokens)
            return
        vocab = self._vocab_values(vocabulary)
        if len(vocab) == 0:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        special = [self.mask_token] * self._oov_start_index() + \
            [self.oov_token] * self.num_oov_indices
        found_special = list(vocab[:len(special)]) == special and len(vocab) >= len(special)
        tokens = vocab[len(special):] if found_special else vocab
        vocabulary_io.check_tokens(self, vocab, tokens, special)
        new_size = self._token_start_index() + len(tokens)
        if self.max_tokens is not None and new_size > self.max_tokens:
            raise ValueError("Attempted to set a vocabulary larger than the maximum vocab size. "
                             f"Received vocabulary size is {new_size}; "
                             f"`max_tokens` is {self.max_tokens}.")
        self._install(tokens)
        if self.output_mode == "tf_idf" and idf_weights is not None:
            self.idf_weights = vocabulary_io.pad_idf_weights(self, vocab, idf_weights,
                                                             found_special)

    def _vocab_values(self, vocabulary):
        if isinstance(vocabulary, torch.Tensor):
            vocabulary = vocabulary.detach().cpu().numpy()
        arr = np.asarray(vocabulary, dtype=object if self._is_string else None)
        if arr.ndim != 1:
            raise ValueError("The vocabulary must be 1D (one token per entry). "
                             f"Received: vocabulary with shape {arr.shape}")
        if self._is_string:
            return [v.decode("utf-8") if isinstance(v, bytes) else v for v in arr.tolist()]
        return [int(v) for v in arr.tolist()]

    def _install(self, tokens):
        start = self._token_start_index()
        self._tokens = list(tokens)
        self._table = {t: i + start for i, t in enumerate(self._tokens)}
        self._int_keys = None
        if not self._is_string and self._tokens:
            keys = np.asarray(self._tokens, dtype=np.int64)
            order = np.argsort(keys, kind="stable")
            self._int_keys = (keys[order], order.astype(np.int64) + start)
        self._record_vocabulary_size()

    def _record_vocabulary_size(self):
        size = self.vocabulary_size()
        if self.output_mode != "int" and not self.pad_to_max_tokens and \
                self._frozen_vocab_size is not None and size != self._frozen_vocab_size:
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, the "
                "vocabulary size cannot be changed after the layer is called. Old vocab size is "
                f"{self._frozen_vocab_size}, new vocab size is {size}")
        self._frozen_vocab_size = size

    # ------------------------------------------------------------------ adapt
    def adapt(self, data, steps=None):
        """Learns the vocabulary (and document frequencies) from `data`.

        Args:
            data: a numpy array, list or tensor (each element one token of one document), or the
                kerasish dataset type / any iterable of batches.
            steps: the number of batches to read from an iterable. Defaults to all.
        """
        self.reset_state()
        if isinstance(data, (np.ndarray, list, tuple, torch.Tensor)):
            if np.size(np.asarray(data, dtype=object) if isinstance(data, (list, tuple))
                       else data) == 0:
                list(iter_batches(data, steps))  # raises the empty-data error
            arr = self._as_key_array(data)
            if arr.ndim == 1:
                arr = arr[:, None]
            self.update_state(arr)
        else:
            for batch in iter_batches(data, steps):
                self.update_state(batch)
        self.finalize_state()

    def _as_key_array(self, data):
        if self._is_string:
            return to_str_array(data)
        arr = to_numpy(data)
        if arr.dtype.kind not in "iu":
            raise TypeError(f"{type(self).__name__} expects integer inputs. "
                            f"Received: dtype={arr.dtype}")
        return arr.astype(np.int64)

    def update_state(self, data):
        """Counts the tokens of one batch (`data`: a dense batch or a list of token lists)."""
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static vocabulary "
                             "via `vocabulary` argument or `set_vocabulary()` method.")
        if isinstance(data, list) and data and isinstance(data[0], list):
            rows = data  # ragged: one token list per document
        else:
            arr = self._as_key_array(data)
            if arr.ndim == 0:
                arr = arr.reshape(1)
            if arr.ndim == 1:
                arr = arr[None, :]
            rows = [r.reshape(-1).tolist() for r in arr]
        for row in rows:
            self._token_counts.update(row)
        if self.output_mode == "tf_idf":
            for row in rows:
                self._document_counts.update(set(row))
            self._num_documents += len(rows)

    def finalize_state(self):
        if self._has_input_vocabulary or not self._token_counts:
            return
        for special in (self.mask_token, self.oov_token):
            if special is not None:
                self._token_counts.pop(special, None)
        # Keras: np.lexsort((tokens, counts))[::-1] -> count high to low, ties token high to low.
        tokens = sorted(self._token_counts, key=lambda t: (self._token_counts[t], t), reverse=True)
        if self.max_tokens:
            tokens = tokens[:self.max_tokens - self._token_start_index()]
        self._install(tokens)
        if self.output_mode == "tf_idf":
            self.idf_weights = self._learned_idf(tokens)
        self.reset_state()

    def _learned_idf(self, tokens):
        n = self._num_documents
        idf = np.array([math.log(1 + n / (1 + self._document_counts[t])) for t in tokens],
                       dtype=np.float64).astype(backend_config.floatx())
        front = np.float32(idf.mean()) if idf.size else 0.0
        idf = np.concatenate([np.full(self._token_start_index(), front, idf.dtype), idf])
        if self.pad_to_max_tokens and self.max_tokens is not None:
            idf = np.pad(idf, (0, self.max_tokens - idf.size))
        return idf

    def reset_state(self):
        if self._has_input_vocabulary:
            return
        self._token_counts = collections.Counter()
        self._document_counts = collections.Counter()
        self._num_documents = 0

    # ------------------------------------------------------------------ call
    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size

    def _ensure_known_vocab_size(self):
        if self.output_mode == "int" or self.pad_to_max_tokens:
            return
        if self._frozen_vocab_size is None:
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, you "
                "must set the layer's vocabulary before calling it. Either pass a `vocabulary` "
                "argument to the layer, or call `adapt` with some sample data.")

    def call(self, inputs):
        self._ensure_known_vocab_size()
        if isinstance(inputs, list) and inputs and isinstance(inputs[0], list) and \
                len({len(r) if isinstance(r, list) else -1 for r in inputs}) > 1:
            raise ValueError(f"{type(self).__name__} takes rectangular inputs; ragged inputs "
                             "are not supported in kerasish. Pad them first. "
                             f"Received: a ragged list of {len(inputs)} rows")
        if self.invert:
            return self._invert(inputs)
        keys = self._as_key_array(inputs)
        indices = torch.from_numpy(self._lookup(keys))
        return place(self._encode(indices), inputs)

    def _encode(self, indices):
        if self.output_mode == "int":
            return indices
        out = encode_categorical(indices, "count" if self.output_mode == "tf_idf"
                                 else self.output_mode, self._depth(), _COUNT_DTYPE)
        if self.output_mode == "tf_idf":
            if self.idf_weights is None:
                raise ValueError("When `output_mode` is `'tf_idf'`, `idf_weights` must be "
                                 "provided: adapt the layer or set its vocabulary.")
            out = out.to(torch.float32) * torch.as_tensor(self.idf_weights)
        return out

    def _lookup(self, keys):
        """int64 indices of `keys` (mask -> 0 in int mode, dropped otherwise; OOV hashed)."""
        if self._is_string:
            default = -1
            flat = np.fromiter((self._table.get(k, default) for k in keys.reshape(-1)),
                               dtype=np.int64, count=keys.size).reshape(keys.shape)
        else:
            flat = np.full(keys.shape, -1, dtype=np.int64)
            if self._int_keys is not None:
                sorted_keys, values = self._int_keys
                pos = np.clip(np.searchsorted(sorted_keys, keys), 0, len(sorted_keys) - 1)
                hit = sorted_keys[pos] == keys
                flat[hit] = values[pos[hit]]
        oov = flat == -1
        if self.mask_token is not None:
            mask = keys == self.mask_token
            oov &= ~mask
            # Outside int mode the mask token is dropped: an index past every depth.
            flat[mask] = 0 if self.output_mode == "int" else np.iinfo(np.int64).max
        if oov.any():
            flat[oov] = self._oov_indices(keys[oov])
        return flat

    def _oov_indices(self, keys):
        if self.num_oov_indices == 0:
            raise ValueError("When `num_oov_indices=0` all inputs should be in vocabulary, "
                             f"found OOV values {list(keys[:10])}, consider setting "
                             "`num_oov_indices=1`.")
        start = self._oov_start_index()
        if self.num_oov_indices == 1:
            return start
        if not self._is_string and self.oov_method != "farmhash":
            return np.mod(keys, self.num_oov_indices) + start
        return hash_functions.hash_buckets(keys, self.num_oov_indices, self.salt) + start

    def _invert(self, inputs):
        idx = to_numpy(inputs)
        if idx.dtype.kind not in "iu":
            raise TypeError(f"An inverted {type(self).__name__} expects integer indices. "
                            f"Received: dtype={idx.dtype}")
        start = self._token_start_index()
        out = np.empty(idx.shape, dtype=object)
        flat_idx = idx.reshape(-1).tolist()
        size = len(self._tokens)
        vals = [self._tokens[i - start] if 0 <= i - start < size else self.oov_token
                for i in flat_idx]
        if self.mask_token is not None:
            vals = [self.mask_token if i == 0 else v for i, v in zip(flat_idx, vals)]
        out.reshape(-1)[:] = vals
        if self._is_string:
            return out
        return torch.as_tensor(out.astype(np.int64))

    @property
    def _symbolic_output_dtype(self):
        if self.invert:
            return self.vocabulary_dtype
        return "float32" if self.output_mode == "tf_idf" else "int64"

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        input_shape = tuple(input_shape)
        depth = self._depth()
        if self.output_mode == "one_hot":
            if len(input_shape) > 1 and input_shape[-1] == 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,)

    # ------------------------------------------------------------------ config and saving
    def get_config(self):
        config = super().get_config()
        config.pop("trainable", None)
        config.update({
            "invert": self.invert, "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token,
            "mask_token": self.mask_token, "output_mode": self.output_mode,
            "sparse": self.sparse, "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype,
            "idf_weights": vocabulary_io.listify(self.input_idf_weights),
            "vocabulary": vocabulary_io.listify(self.input_vocabulary),
            "vocabulary_size": self._frozen_vocab_size,
            "oov_method": self.oov_method, "salt": self.salt,
        })
        return config

    def save_own_variables(self, store):
        if self.output_mode == "tf_idf":
            store["idf_weights"] = np.asarray(self.idf_weights)

    def load_own_variables(self, store):
        if self.output_mode == "tf_idf":
            self.idf_weights = np.asarray(store["idf_weights"])

    def save_assets(self, dir_path):
        if self.input_vocabulary is not None:
            return
        vocabulary_io.write_assets(dir_path, self.get_vocabulary(include_special_tokens=True))

    def load_assets(self, dir_path):
        if self.input_vocabulary is not None:
            return
        values = vocabulary_io.read_assets(dir_path, self._is_string)
        if self.output_mode == "tf_idf":
            self.set_vocabulary(values, idf_weights=self.idf_weights)
        else:
            self.set_vocabulary(values)
