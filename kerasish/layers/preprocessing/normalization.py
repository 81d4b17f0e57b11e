"""`Normalization`: feature-wise `(x - mean) / sqrt(variance)`, statistics given or adapted
(Keras 3's layer)."""

import math

import numpy as np
import torch

from kerasish.backend import config as backend_config
from kerasish.layers.layer import Layer
from kerasish.layers.preprocessing.data_layer import iter_batches, to_numpy


class Normalization(Layer):
    """Normalizes inputs with a mean and variance per position of the kept `axis`.

    Args:
        axis: the axis (or axes) that keep separate statistics; `None` for one scalar mean and
            variance. Defaults to `-1`.
        mean, variance: the statistics (broadcastable to the kept axes). Without them, call
            `adapt` first.
        invert: apply the inverse, `mean + x * sqrt(variance)`. Defaults to `False`.

    Weights (when adapted): `mean`, `variance` (float32) and `count` (int32), non-trainable,
    as Keras saves them.

    Example:

    ```python
    layer = kerasish.layers.Normalization(axis=-1)
    layer.adapt(np.array([[0.0, 7.0], [2.0, 7.0], [4.0, 7.0]], "float32"))
    layer(np.array([[2.0, 7.0]], "float32"))  # tensor([[0., 0.]])
    ```
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self._build_input_shape = None
        self.mean = None
        if (mean is not None) != (variance is not None):
            raise ValueError("When setting values directly, both `mean` and `variance` must be "
                             f"set. Received: mean={mean} and variance={variance}")
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError("When setting values directly, `mean` and `variance` must have "
                                 f"the same shape. Received: mean shape {np.shape(mean)} and "
                                 f"variance shape {np.shape(variance)}")
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError("The rank of `mean` must be less than or equal to the number of "
                                 f"axes ({len(self.axis)}). Received: mean shape "
                                 f"{np.shape(mean)} for axis {self.axis}")

    def build(self, input_shape):
        if input_shape is None:
            return
        input_shape = tuple(input_shape)
        ndim = len(input_shape)
        self._build_input_shape = input_shape
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError("All `axis` values must be in the range [-ndim, ndim). Received "
                             f"inputs with ndim={ndim}, while axis={self.axis}")
        self._keep_axis = tuple(sorted(d if d >= 0 else d + ndim for d in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError("All `axis` values to be kept must have a known shape. Received "
                                 f"axis={self.axis}, inputs.shape={input_shape}, with unknown "
                                 f"axis at index {d}")
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = [input_shape[d] if d in self._keep_axis else 1
                                 for d in range(ndim)]
        self._mean_and_var_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._mean_and_var_shape,
                                              initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance",
                                                  shape=self._mean_and_var_shape,
                                                  initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int32",
                                         initializer="zeros", trainable=False)
            self.built = True
            self.finalize_state()
        else:
            self.mean, self.variance = (self._broadcast(v) for v in
                                        (self.input_mean, self.input_variance))
            self.built = True

    def _broadcast(self, value):
        # Aligns a given mean/variance with the kept axes from the right, as Keras does.
        value = torch.as_tensor(np.asarray(value), dtype=torch.float32)
        ndim = len(self._broadcast_shape)
        if value.ndim:
            expanded = [1] * ndim
            for i in range(1, value.ndim + 1):
                expanded[self._keep_axis[-i]] = value.shape[-i]
            value = value.reshape(expanded)
        return value.broadcast_to(self._broadcast_shape).clone()

    def adapt(self, data):
        """Computes the mean and variance of `data` (an array, tensor, dataset or iterable of
        batches) per position of the kept axes."""
        batches = list(iter_batches(data, caller="adapt", list_is_batch=False))
        shape = to_numpy(batches[0]).shape
        if not self.built:
            self.build(shape)
        else:
            for d in self._keep_axis:
                if shape[d] != self._build_input_shape[d]:
                    raise ValueError(f"The layer was built with input_shape="
                                     f"{self._build_input_shape}, but adapt() is being called "
                                     f"with data with an incompatible shape, data.shape={shape}")
        if len(batches) == 1 and isinstance(data, (np.ndarray, torch.Tensor)):
            x = to_numpy(data)
            total_mean = np.mean(x, axis=self._reduce_axis)
            total_var = np.var(x, axis=self._reduce_axis)
        else:
            total_mean, total_var = self._streamed_moments(batches)
        with torch.no_grad():
            self.adapt_mean.copy_(torch.as_tensor(np.asarray(total_mean, dtype=np.float32)))
            self.adapt_variance.copy_(torch.as_tensor(np.asarray(total_var, dtype=np.float32)))
        self.finalize_state()

    def _streamed_moments(self, batches):
        """Keras's batch merge (lack-of-fit sum of squares), in float32."""
        total_mean = np.zeros(self._mean_and_var_shape, np.float32)
        total_var = np.zeros(self._mean_and_var_shape, np.float32)
        total_count = 0
        for batch in batches:
            batch = to_numpy(batch).astype(np.float32)
            for d in self._keep_axis:
                if batch.shape[d] != self._build_input_shape[d]:
                    raise ValueError("adapt() yielded a batch with incompatible shape. Expected "
                                     f"{self._build_input_shape}, got {batch.shape}.")
            batch_mean = batch.mean(axis=self._reduce_axis)
            batch_var = batch.var(axis=self._reduce_axis)
            count = math.prod(batch.shape[d] for d in self._reduce_axis) \
                if self._reduce_axis else 1
            total_count += count
            w = float(count) / total_count
            new_mean = total_mean * (1.0 - w) + batch_mean * w
            total_var = ((total_var + (total_mean - new_mean) ** 2) * (1.0 - w)
                         + (batch_var + (batch_mean - new_mean) ** 2) * w)
            total_mean = new_mean
        return total_mean, total_var

    def finalize_state(self):
        # The adapted statistics are read from the weights at each call (so a weight load, in
        # place, is seen at once); nothing to cache.
        return

    def _statistics(self):
        if self.input_mean is None:
            if not self.built or self._build_input_shape is None:
                raise ValueError("You must call `.build(input_shape)` or `adapt` on the layer "
                                 "before using it.")
            return (self.adapt_mean.reshape(self._broadcast_shape),
                    self.adapt_variance.reshape(self._broadcast_shape))
        if self.mean is None:
            raise ValueError("You must call `.build(input_shape)` on the layer before using it.")
        return self.mean, self.variance

    def call(self, inputs):
        x = inputs if inputs.dtype == torch.float32 else inputs.to(torch.float32)
        mean, variance = self._statistics()
        mean = mean.to(x.device).detach()
        std = torch.clamp(torch.sqrt(variance.to(x.device).detach()), min=backend_config.epsilon())
        if self.invert:
            return mean + x * std
        return (x - mean) / std

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "invert": self.invert,
                       "mean": np.array(self.input_mean).tolist(),
                       "variance": np.array(self.input_variance).tolist()})
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        # Keras writes `np.array(None).tolist()`, i.e. None, for unset statistics.
        if isinstance(config.get("axis"), list):
            config["axis"] = tuple(config["axis"])
        return cls(**config)

    def get_build_config(self):
        if self._build_input_shape:
            return {"input_shape": self._build_input_shape}
        return None

    def build_from_config(self, config):
        if config:
            self.build(config["input_shape"])
