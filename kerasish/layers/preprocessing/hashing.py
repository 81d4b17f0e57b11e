"""`Hashing`: values to `num_bins` bins by TensorFlow's hashes (Keras 3's layer, no TensorFlow)."""

import numpy as np
import torch

from kerasish.layers.preprocessing import hash_functions
from kerasish.layers.preprocessing.data_layer import (
    PreprocessingLayer, place, refuse_sparse, to_numpy)
from kerasish.layers.preprocessing.encoding import encode_categorical


def check_salt(salt, caller):
    if salt is None:
        return None
    if isinstance(salt, (tuple, list)) and len(salt) == 2:
        return [int(s) for s in salt]
    if isinstance(salt, int) and not isinstance(salt, bool):
        return [salt, salt]
    raise ValueError(f"The `salt` argument for `{caller}` can only be a tuple of size 2 "
                     f"integers, or a single integer. Received: salt={salt}.")


class Hashing(PreprocessingLayer):
    """Hashes strings or integers into `num_bins` bins, with Keras's bin numbers.

    Values are hashed as strings (integers in decimal; floats truncated to int64 first) with
    FarmHash's Fingerprint64, as `tf.strings.to_hash_bucket_fast` does, or with SipHash-2-4
    keyed by `salt`, as `to_hash_bucket_strong` does. With `mask_value`, bin 0 is kept for it.

    Args:
        num_bins: the number of bins (mask bin included).
        mask_value: the value that goes to bin 0. Defaults to `None`.
        salt: one int or two: use SipHash keyed by it. Defaults to `None` (FarmHash).
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"` or `"count"`. Defaults to `"int"`.
        sparse: refused (kerasish returns dense tensors).

    Example:

    ```python
    layer = kerasish.layers.Hashing(num_bins=3)
    layer(np.array([["A"], ["B"], ["C"], ["D"], ["E"]]))  # tensor([[1], [0], [1], [1], [2]])
    ```
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError("The `num_bins` for `Hashing` cannot be `None` or non-positive "
                             f"values. Received: num_bins={num_bins}.")
        if output_mode == "int" and self._dtype_policy.name not in ("int32", "int64"):
            raise ValueError('When `output_mode="int"`, `dtype` should be an integer type, '
                             f"'int32' or 'int64'. Received: dtype={kwargs['dtype']}")
        modes = ("int", "one_hot", "multi_hot", "count")
        if output_mode not in modes:
            raise ValueError(f"Unknown value for `output_mode` of Hashing: expected one of "
                             f"{modes}. Received: output_mode={output_mode!r}")
        if sparse and output_mode == "int":
            raise ValueError('`sparse` may only be true if `output_mode` is `"one_hot"`, '
                             f'`"multi_hot"`, or `"count"`. Received: sparse={sparse} and '
                             f"output_mode={output_mode}")
        refuse_sparse(sparse, "Hashing")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.salt = check_salt(salt, "Hashing")
        self.strong_hash = self.salt is not None
        self.output_mode = output_mode
        self.sparse = sparse

    def _bins(self, values):
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == self.mask_value
        out = hash_functions.hash_buckets(values, bins, self.salt)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return out

    def call(self, inputs):
        values = to_numpy(inputs)
        if values.dtype.kind == "O" or values.dtype.kind in "US":
            values = values.astype(object)
        if self.output_mode == "one_hot" and values.ndim and values.shape[-1] == 1:
            values = values.squeeze(-1)
        indices = torch.from_numpy(np.asarray(self._bins(values), dtype=np.int64))
        return place(encode_categorical(indices, self.output_mode, self.num_bins,
                                        self.compute_dtype), inputs)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        if not input_shape:
            return (self.num_bins,)
        return input_shape[:-1] + (self.num_bins,)

    def get_config(self):
        config = super().get_config()
        config.update({"num_bins": self.num_bins, "salt": self.salt,
                       "mask_value": self.mask_value, "output_mode": self.output_mode,
                       "sparse": self.sparse})
        return config
