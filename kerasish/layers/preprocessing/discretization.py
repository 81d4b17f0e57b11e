"""`Discretization`: buckets continuous values by boundaries, given or learned as approximate
quantiles (Keras 3's layer and its quantile summaries, in numpy)."""

import numpy as np
import torch

from kerasish.layers.preprocessing.data_layer import (
    PreprocessingLayer, iter_batches, refuse_sparse, to_numpy)
from kerasish.layers.preprocessing.encoding import encode_categorical


class Discretization(PreprocessingLayer):
    """Maps each value to the index of its bin: `i` with `bin_boundaries[i-1] <= x <
    bin_boundaries[i]`.

    Args:
        bin_boundaries: the sorted boundaries (`n` boundaries make `n + 1` bins).
        num_bins: the number of bins to learn with `adapt` (instead of `bin_boundaries`).
        epsilon: the error tolerance of the quantile summary. Defaults to `0.01`.
        output_mode: `"int"` (`int32` bin indices), `"one_hot"`, `"multi_hot"` or `"count"`.
        sparse: refused (kerasish returns dense tensors).

    Example:

    ```python
    layer = kerasish.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    layer(np.array([[-1.5, 1.0, 3.4, 0.5]]))  # tensor([[0, 2, 3, 1]], dtype=torch.int32)
    ```
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, dtype=None, name=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        if sparse and output_mode == "int":
            raise ValueError("`sparse=True` may only be used if `output_mode` is `'one_hot'`, "
                             f"`'multi_hot'`, or `'count'`. Received: sparse={sparse} and "
                             f"output_mode={output_mode}")
        refuse_sparse(sparse, "Discretization")
        modes = ("int", "one_hot", "multi_hot", "count")
        if output_mode not in modes:
            raise ValueError(f"Unknown value for `output_mode` of Discretization: expected one "
                             f"of {modes}. Received: output_mode={output_mode!r}")
        if num_bins is not None and num_bins < 0:
            raise ValueError(f"`num_bins` must be greater than or equal to 0. "
                             f"Received: `num_bins={num_bins}`")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError("Both `num_bins` and `bin_boundaries` should not be set. Received: "
                             f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`. "
                             "Received: num_bins=None, bin_boundaries=None")
        self.bin_boundaries = list(bin_boundaries) if bin_boundaries is not None else None
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = None if self.bin_boundaries else np.array([[], []], dtype="float32")

    def adapt(self, data, steps=None):
        """Learns `num_bins` quantile boundaries from `data` (an array, tensor, dataset or
        iterable of batches)."""
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer that has been initialized "
                             "with `bin_boundaries`, use `num_bins` instead.")
        self.reset_state()
        for batch in iter_batches(data, steps, list_is_batch=False):
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        data = to_numpy(data).astype("float32")
        summary = summarize(data, self.epsilon)
        self.summary = merge_summaries(summary, self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is None:
            return
        self.bin_boundaries = get_bin_boundaries(self.summary, self.num_bins).tolist()

    def reset_state(self):
        if self.num_bins is None:
            return
        self.summary = np.array([[], []], dtype="float32")

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError("You need to either pass the `bin_boundaries` argument at "
                             "construction time or call `adapt(dataset)` before you can start "
                             "using the `Discretization` layer.")
        x = inputs if isinstance(inputs, torch.Tensor) else torch.as_tensor(to_numpy(inputs))
        if not x.dtype.is_floating_point:
            x = x.to(torch.float32)  # Keras's input dtype is floatx
        boundaries = torch.as_tensor(self.bin_boundaries, dtype=x.dtype, device=x.device)
        # np.digitize(x, b) == bucketize(right=True): b[i-1] <= x < b[i].
        indices = torch.bucketize(x, boundaries, right=True)
        dtype = "int32" if self.output_mode == "int" else self.compute_dtype
        return encode_categorical(indices, self.output_mode, len(self.bin_boundaries) + 1, dtype)

    @property
    def _symbolic_output_dtype(self):
        return "int32" if self.output_mode == "int" else self.compute_dtype

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None \
            else self.num_bins
        if self.output_mode == "one_hot":
            if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,) if len(input_shape) >= 2 else (depth,)

    def get_config(self):
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self._dtype_policy.name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            # After `adapt` both are set; the constructor takes one (as in Keras).
            boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)

    def load_own_variables(self, store):
        if len(store) == 1:
            self.summary = store["0"]  # Keras's legacy layout


def summarize(values, epsilon):
    """A sorted sample of `values` (every `1/epsilon`-th quantile) with its weights."""
    values = np.sort(np.reshape(values, [-1]))
    elements = np.size(values)
    num_buckets = 1.0 / epsilon
    step = max(elements / num_buckets, 1)
    start = step - 1
    boundaries = values[int(start)::int(step)]
    weights = np.ones_like(boundaries) * step
    return np.stack([boundaries, weights])


def merge_summaries(prev_summary, next_summary, epsilon):
    merged = np.concatenate((prev_summary, next_summary), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)
    return compress_summary(merged, epsilon)


def get_bin_boundaries(summary, num_bins):
    return compress_summary(summary, 1.0 / num_bins)[0, :-1]


def compress_summary(summary, epsilon):
    """Interpolates the summary at `epsilon` steps of its cumulative weight."""
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    cum_weight_percents = cum_weights / cum_weights[-1]
    new_bins = np.interp(percents, cum_weight_percents, summary[0])
    cum_weights = np.interp(percents, cum_weight_percents, cum_weights)
    new_weights = cum_weights - np.concatenate((np.array([0]), cum_weights[:-1]))
    return np.stack((new_bins, new_weights)).astype("float32")
