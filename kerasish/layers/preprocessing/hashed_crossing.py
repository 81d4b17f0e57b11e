"""`HashedCrossing`: crosses categorical features into `num_bins` bins, as
`tf.sparse.cross_hashed` does (Keras 3's layer, no TensorFlow)."""

import numpy as np
import torch

from kerasish.layers.keras_tensor import any_symbolic
from kerasish.layers.preprocessing import hash_functions
from kerasish.layers.preprocessing.data_layer import (
    PreprocessingLayer, place, refuse_sparse, to_numpy)
from kerasish.layers.preprocessing.encoding import encode_categorical

_MASK64 = (1 << 64) - 1


class HashedCrossing(PreprocessingLayer):
    """Crosses two or more features, hashing each combination into `num_bins` bins.

    Each feature value is fingerprinted (FarmHash Fingerprint64 for strings, the value itself
    for integers), the fingerprints are chained with TensorFlow's `FingerprintCat64` from its
    default key, and the result is taken modulo `num_bins`: Keras's numbers.

    Args:
        num_bins: the number of bins.
        output_mode: `"int"` or `"one_hot"`. Defaults to `"int"`.
        sparse: refused (kerasish returns dense tensors).

    Inputs: a list or tuple of equally shaped features of shape `()`, `(batch,)` or
    `(batch, 1)`, each integer or string.

    Example:

    ```python
    layer = kerasish.layers.HashedCrossing(num_bins=5)
    layer((np.array([1, 2, 3]), np.array(["A", "B", "C"])))
    ```
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        refuse_sparse(sparse, "HashedCrossing")
        if output_mode not in ("int", "one_hot"):
            raise ValueError("Unknown value for `output_mode` of HashedCrossing: expected one of "
                             f"('int', 'one_hot'). Received: output_mode={output_mode!r}")
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse

    def __call__(self, *args, **kwargs):
        if args and isinstance(args[0], (list, tuple)) and not any_symbolic(args):
            return self.call(*args, **kwargs)
        return super().__call__(*args, **kwargs)

    def _check(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("`HashedCrossing` should be called on a list or tuple of inputs. "
                             f"Received: inputs={inputs}")
        if len(inputs) < 2:
            raise ValueError("`HashedCrossing` should be called on at least two inputs. "
                             f"Received: inputs={inputs}")
        arrays = [to_numpy(x) for x in inputs]
        shape = arrays[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError("All `HashedCrossing` inputs should have shape `()`, `(batch_size)` "
                             f"or `(batch_size, 1)`. Received: shapes {[a.shape for a in arrays]}")
        if any(a.shape != shape for a in arrays[1:]):
            raise ValueError("All `HashedCrossing` inputs should have equal shape. "
                             f"Received: shapes {[a.shape for a in arrays]}")
        if any(a.dtype.kind not in "iuUSO" for a in arrays):
            raise ValueError("All `HashedCrossing` inputs should have an integer or string "
                             f"dtype. Received: dtypes {[str(a.dtype) for a in arrays]}")
        return arrays

    @staticmethod
    def _fingerprints(arr):
        if arr.dtype.kind in "iu":
            return [int(v) & _MASK64 for v in arr.reshape(-1).tolist()]
        return [hash_functions.fingerprint64(v) for v in arr.reshape(-1).tolist()]

    def call(self, inputs):
        arrays = self._check(inputs)
        columns = [self._fingerprints(a) for a in arrays]
        out = []
        for values in zip(*columns):
            h = hash_functions.CROSS_HASH_KEY
            for v in values:
                h = hash_functions.fingerprint_cat64(h, v)
            out.append(h % self.num_bins)
        indices = torch.as_tensor(np.asarray(out, dtype=np.int64).reshape(arrays[0].shape))
        return place(encode_categorical(indices, self.output_mode, self.num_bins,
                                        self.compute_dtype), inputs[0])

    def compute_output_shape(self, input_shape):
        first = tuple(input_shape[0])
        if self.output_mode == "int":
            return first
        if not first:
            return (self.num_bins,)
        if first[-1] != 1:
            return first + (self.num_bins,)
        return first[:-1] + (self.num_bins,)

    def get_config(self):
        return {"num_bins": self.num_bins, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self._dtype_policy.name}
