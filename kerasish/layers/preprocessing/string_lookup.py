"""`StringLookup`: maps strings to integer indices through a vocabulary (Keras 3's layer)."""

from kerasish.layers.preprocessing import vocabulary_io
from kerasish.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps strings from a vocabulary to integer indices.

    The vocabulary is given (`vocabulary=` list or file path, `set_vocabulary`) or learned with
    `adapt`: tokens sorted by frequency, ties broken by the token from high to low. Index 0 is the
    mask token (when `mask_token` is set, in `"int"` mode), then `num_oov_indices` indices for
    out-of-vocabulary strings (hashed into them with FarmHash, or SipHash with `salt`, as Keras
    does), then the vocabulary.

    Args:
        max_tokens: the largest vocabulary, mask and OOV indices included. Defaults to `None`.
        num_oov_indices: the number of OOV indices. Defaults to `1`.
        mask_token: the token of index 0 (dropped in non-int modes). Defaults to `None`.
        oov_token: returned for OOV indices when `invert=True`. Defaults to `"[UNK]"`.
        vocabulary: a list/array of strings or a text file path, one token per line.
        idf_weights: the IDF weights in `"tf_idf"` mode, with `vocabulary`.
        invert: map indices back to strings. Defaults to `False`.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        pad_to_max_tokens: pad the encoded outputs to `max_tokens`. Defaults to `False`.
        sparse: refused (kerasish returns dense tensors).
        encoding: the encoding of `bytes` inputs. Defaults to `"utf-8"`.
        salt: one int or two: OOV strings are hashed with SipHash keyed by it.

    Inputs are lists or numpy arrays of `str`/`bytes`; outputs are torch tensors (`int64`
    indices, encodings), or numpy arrays of `str` when `invert=True`.

    Example:

    ```python
    layer = kerasish.layers.StringLookup(vocabulary=["a", "b", "c"])
    layer(np.array([["a", "c"], ["d", "b"]]))  # tensor([[1, 3], [0, 2]])
    ```
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None, salt=None,
                 **kwargs):
        kwargs.pop("vocabulary_dtype", None)
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name,
                         salt=salt, vocabulary_dtype="string", **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"]
        config["encoding"] = self.encoding
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        _refuse_file_in_safe_mode(config)
        return cls(**config)


def _refuse_file_in_safe_mode(config):
    if isinstance(config.get("vocabulary"), str) and vocabulary_io.in_safe_mode():
        raise ValueError(
            "Requested the loading of a vocabulary file outside of the model archive. This "
            "carries a potential risk of loading arbitrary and sensitive files and thus it is "
            "disallowed by default. If you trust the source of the artifact, pass "
            "`safe_mode=False` to the loading function. "
            f"Received: vocabulary={config['vocabulary']!r}")
