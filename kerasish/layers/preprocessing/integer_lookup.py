"""`IntegerLookup`: maps integers to contiguous indices through a vocabulary (Keras 3's layer)."""

from kerasish.layers.preprocessing.index_lookup import IndexLookup
from kerasish.layers.preprocessing.string_lookup import _refuse_file_in_safe_mode


class IntegerLookup(IndexLookup):
    """Maps integers from a vocabulary to integer indices.

    As `StringLookup`, for `int64` tokens: out-of-vocabulary values go to the OOV indices by
    `value % num_oov_indices` (`oov_method="floormod"`, Keras's default) or by FarmHash of their
    decimal string (`"farmhash"`; SipHash with `salt`).

    Args:
        max_tokens: the largest vocabulary, mask and OOV indices included. Defaults to `None`.
        num_oov_indices: the number of OOV indices. Defaults to `1`.
        mask_token: the value of index 0 (dropped in non-int modes). Defaults to `None`.
        oov_token: returned for OOV indices when `invert=True`. Defaults to `-1`.
        vocabulary: a list/array of ints or a text file path, one value per line.
        vocabulary_dtype: only `"int64"`.
        idf_weights, invert, output_mode, pad_to_max_tokens: as `StringLookup`.
        sparse: refused (kerasish returns dense tensors).
        oov_method: `"floormod"` or `"farmhash"`. Defaults to `"floormod"`.
        salt: with `oov_method="farmhash"`, SipHash's key (one int or two).

    Inputs are numpy arrays, lists or torch tensors of integers; outputs are torch tensors.

    Example:

    ```python
    layer = kerasish.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    layer(np.array([[12, 1138, 42], [42, 1000, 36]]))  # tensor([[1, 3, 4], [4, 0, 2]])
    ```
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, name=None, **kwargs):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError("If `max_tokens` is set for `IntegerLookup`, it must be greater "
                             f"than 1. Received: max_tokens={max_tokens}")
        if vocabulary_dtype != "int64":
            raise ValueError("Only `vocabulary_dtype='int64'` is supported at this time. "
                             f"Received: vocabulary_dtype={vocabulary_dtype}")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         vocabulary_dtype=vocabulary_dtype, idf_weights=idf_weights,
                         invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method, salt=salt,
                         name=name, **kwargs)

    def get_config(self):
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None and not isinstance(config["vocabulary"], str):
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        _refuse_file_in_safe_mode(config)
        return cls(**config)
