"""`MultiHeadAttention` (Keras 3's layer): projections as `EinsumDense` sublayers in Keras's layout
and order, attention on torch's fused `scaled_dot_product_attention` whenever Keras's semantics
allow it, and Keras's explicit einsum/softmax path otherwise."""

import math

import torch

from kerasish import constraints, initializers, regularizers
from kerasish.backend import config as backend_config
from kerasish.layers.activations.softmax import Softmax
from kerasish.layers.attention import attention_utils as au
from kerasish.layers.core.dropout import Dropout
from kerasish.layers.core.einsum_dense import EinsumDense
from kerasish.layers.layer import Layer
from kerasish.layers.layer_symbolic import symbolic_call
from kerasish.layers.layer_utils import _shape_of


def check_positive_int(name, value, allow_none=False):
    if allow_none and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"Received an invalid value for argument `{name}`, expected a positive "
                         f"integer{' or `None`' if allow_none else ''}. Received: {name}={value!r}")


def _as_tensor(x, like):
    if x is None or isinstance(x, torch.Tensor):
        return x
    return torch.as_tensor(x, device=like.device)


class MultiHeadAttention(Layer):
    """Multi-head attention ("Attention is all you Need", Vaswani et al., 2017).

    Projects `query`, `key` and `value` into `num_heads` heads, takes scaled dot-product attention
    per head and projects the concatenated heads back (to the query's last dimension, or
    `output_shape`). Weights are Keras's: `query`, `key`, `value` and `attention_output`
    `EinsumDense` sublayers, kernels `(dim, num_heads, key_dim)` ... `(num_heads, value_dim, dim)`.

    Args:
        num_heads: number of attention heads.
        key_dim: size of each attention head for query and key.
        value_dim: size of each attention head for value. Defaults to `key_dim`.
        dropout: dropout rate on the attention probabilities (training only).
        use_bias: whether the projections have biases. Defaults to `True`.
        output_shape: the output's shape besides the batch and sequence dims. Defaults to the
            query's last dimension.
        attention_axes: axes over which attention is applied. Defaults to all axes but batch,
            heads and features.
        sliding_window: optional positive int: each query attends only to keys within
            `sliding_window - 1` positions.
        flash_attention: `True` insists on the flash kernel (an error where it cannot run),
            `None` (default) follows `kerasish.config.is_flash_attention_enabled()`, and torch
            picks the fused kernel.
        use_gate: adds a sigmoid gate projection of the query (`gate` sublayer) multiplying the
            attention output. Defaults to `False`.
        seed: seed of the attention dropout.

    `kernel_initializer`, `bias_initializer`, `kernel_regularizer`, `bias_regularizer`,
    `activity_regularizer`, `kernel_constraint`, `bias_constraint`: for the projections.

    Call arguments:
        query: `(B, T, dim)`. value: `(B, S, dim)`. key: optional `(B, S, dim)`, defaults to
        `value`. attention_mask: boolean `(B, T, S)` (1 = attend), broadcast over heads.
        return_attention_scores: also return the `(B, num_heads, T, S)` probabilities.
        training: dropout on or off. use_causal_mask: each query attends only to earlier keys.
        Masks carried by the inputs (`Embedding(mask_zero=True)`) are combined with these.

    Example:

    ```python
    mha = kerasish.layers.MultiHeadAttention(num_heads=4, key_dim=32)
    x = np.random.rand(2, 10, 128).astype("float32")
    y = mha(x, x)  # (2, 10, 128)
    ```
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        check_positive_int("num_heads", num_heads)
        check_positive_int("key_dim", key_dim)
        check_positive_int("value_dim", value_dim, allow_none=True)
        check_positive_int("sliding_window", sliding_window, allow_none=True)
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) \
                or not 0 <= dropout < 1:
            raise ValueError("Invalid value received for argument `dropout`: expected a float in "
                             f"[0, 1). Received: dropout={dropout!r}")
        super().__init__(**kwargs)
        self.supports_masking = True
        self._num_heads, self._key_dim = num_heads, key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout, self._use_bias, self._use_gate = float(dropout), bool(use_bias), use_gate
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            try:
                output_shape = tuple(int(d) for d in output_shape)
            except (TypeError, ValueError):
                raise ValueError(f"Invalid `output_shape`: {output_shape}. When specified, the "
                                 "`output_shape` should be of type tuple, list, or int. "
                                 f"Received: output_shape={output_shape!r}") from None
        self._output_shape = output_shape or None
        self._flash_attention = flash_attention or backend_config.is_flash_attention_enabled()
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError("`attention_axes` must be an int, list, or tuple. "
                             f"Received: attention_axes={attention_axes}")
        self._attention_axes = tuple(attention_axes) if attention_axes else None
        self._sliding_window = sliding_window
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(self._key_dim))
        if self._flash_attention and self._dropout > 0.0:
            raise ValueError("Dropout is not supported when flash attention is enabled. Please "
                             f"set dropout to 0.0 to use flash attention. Received: dropout={dropout}")
        self._build_shapes_dict = None

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)
    # Keras's private names of the sublayers (code written against Keras reads these).
    _query_dense = property(lambda self: self.query_dense)
    _key_dense = property(lambda self: self.key_dense)
    _value_dense = property(lambda self: self.value_dense)
    _output_dense = property(lambda self: self.output_dense)
    # Keras has no public name for the gate: files keep it under `_gate_dense`.
    gate_dense = property(lambda self: self._modules.get("_gate_dense"))
    _kv_repeats = 1  # query heads per key/value head (GroupedQueryAttention)

    # ------------------------------------------------------------------ build
    def _sublayer_kwargs(self):
        # Fresh initializers per sublayer, as Keras clones them (a shared instance would repeat).
        return dict(
            kernel_initializer=initializers.deserialize(
                initializers.serialize(self._kernel_initializer)),
            bias_initializer=initializers.deserialize(
                initializers.serialize(self._bias_initializer)),
            kernel_regularizer=self._kernel_regularizer, bias_regularizer=self._bias_regularizer,
            activity_regularizer=self._activity_regularizer,
            kernel_constraint=self._kernel_constraint, bias_constraint=self._bias_constraint,
            dtype=self._dtype_policy.name,
        )

    def _projection(self, rank, heads_dims, name, activation=None):
        equation, bias_axes, out_rank = au.build_proj_equation(rank - 1, 1, len(heads_dims))
        return EinsumDense(equation, output_shape=au.output_shape_for(out_rank - 1, heads_dims),
                           bias_axes=bias_axes if self._use_bias else None, name=name,
                           activation=activation, **self._sublayer_kwargs())

    def build(self, query_shape, value_shape, key_shape=None):
        """Creates the projections for inputs of these shapes (batch dimension first)."""
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        shapes = {"query_shape": query_shape, "value_shape": value_shape}
        if key_shape is not None:
            shapes["key_shape"] = tuple(key_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        self._check_shapes(query_shape, value_shape, key_shape)
        heads = [self._num_heads, self._key_dim]
        self.query_dense = self._projection(len(query_shape), heads, "query")
        self.query_dense.build(query_shape)
        self.key_dense = self._projection(len(key_shape), heads, "key")
        self.key_dense.build(key_shape)
        if self._use_gate:
            self._modules["_gate_dense"] = self._projection(
                len(query_shape), [self._num_heads, self._value_dim], "gate", activation="sigmoid")
            self.gate_dense.build(query_shape)
        self.value_dense = self._projection(len(value_shape), [self._num_heads, self._value_dim],
                                            "value")
        self.value_dense.build(value_shape)
        rank = len(self.query_dense.compute_output_shape(query_shape))
        self._build_attention(rank)
        out_dims = list(self._output_shape) if self._output_shape else [query_shape[-1]]
        equation, bias_axes, out_rank = au.build_proj_equation(len(query_shape) - 1, 2,
                                                               len(out_dims))
        self.output_dense = EinsumDense(
            equation, output_shape=au.output_shape_for(out_rank - 1, out_dims),
            bias_axes=bias_axes if self._use_bias else None, name="attention_output",
            **self._sublayer_kwargs())
        out_in = list(self.query_dense.compute_output_shape(query_shape))
        out_in[-1] = self._value_dim
        self.output_dense.build(tuple(out_in))
        self._build_shapes_dict = shapes
        self.built = True

    def _check_shapes(self, query_shape, value_shape, key_shape):
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError("All dimensions of `value` and `key`, except the last one, must be "
                             f"equal. Received: value_shape={value_shape} and key_shape={key_shape}")
        if len(query_shape) != len(value_shape):
            raise ValueError("`query` and `value` must have the same rank. Received: "
                             f"query_shape={query_shape}, value_shape={value_shape}")
        for name, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) < 3 or shape[-1] is None:
                raise ValueError(f"`{name}` must be at least 3D `(batch, ..., features)` with a "
                                 f"known last dimension. Received: {name}_shape={shape}")

    def _build_attention(self, rank):
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(a if a >= 0 else (rank - 1) + a
                                         for a in self._attention_axes)
        for a in self._attention_axes:
            if not 1 <= a < rank - 2:
                raise ValueError("`attention_axes` must name axes of the inputs between the batch "
                                 f"and feature axes. Received: attention_axes={self._attention_axes}")
        self._dot_product_equation, self._combine_equation, self._scores_rank = \
            au.build_attention_equation(rank, self._attention_axes)
        norm_axes = tuple(range(self._scores_rank - len(self._attention_axes), self._scores_rank))
        # Weightless, but present so saved files carry Keras's `_softmax`/`_dropout_layer` paths.
        self._softmax = Softmax(axis=norm_axes, dtype=self._dtype_policy.name)
        self._dropout_layer = Dropout(rate=self._dropout, seed=self.seed,
                                      dtype=self._dtype_policy.name)
        self._standard = len(self._attention_axes) == 1 and rank == 4

    def _maybe_build(self, args, kwargs):
        query, value, key = self._qvk(args, kwargs)
        first = query if isinstance(query, torch.Tensor) else None
        if first is not None and first.device.type != "meta":  # no meta weights from shape runs
            self._build_device = first.device
        if not self.built:
            self.build(_shape_of(query), _shape_of(value),
                       None if key is None else _shape_of(key))
            self.built = True
        if self._initial_weights is not None:
            weights, self._initial_weights = self._initial_weights, None
            self.set_weights(weights)

    @staticmethod
    def _qvk(args, kwargs):
        names = ("query", "value", "key")
        got = {n: a for n, a in zip(names, args)}
        got.update({n: kwargs[n] for n in names if n in kwargs})
        if got.get("query") is None or got.get("value") is None:
            raise TypeError("MultiHeadAttention needs `query` and `value`. Received: "
                            f"{sorted(k for k, v in got.items() if v is not None)}")
        return got["query"], got["value"], got.get("key")

    def _symbolic_call(self, *args, **kwargs):
        if not self.built:
            self._maybe_build(args, kwargs)
        return symbolic_call(self, args, kwargs)

    symbolic_call = _symbolic_call

    def get_build_config(self):
        if self._build_shapes_dict is None:
            return None
        return {"shapes_dict": {k: list(v) for k, v in self._build_shapes_dict.items()}}

    # ------------------------------------------------------------------ call
    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        value = _as_tensor(value, query)
        key_given = key is not None
        key = value if key is None else _as_tensor(key, query)
        attention_mask = _as_tensor(attention_mask, query)
        # Masks carried by the inputs (Embedding(mask_zero=True)), unless given explicitly.
        if query_mask is None:
            query_mask = getattr(query, "_keras_mask", None)
        if value_mask is None:
            value_mask = getattr(value, "_keras_mask", None)
        if key_mask is None and key_given:
            key_mask = getattr(key, "_keras_mask", None)
        # A subclass overriding `_compute_attention` (Keras's extension point) gets the causal
        # mask as a mask, as in Keras.
        causal_only = use_causal_mask and query_mask is None and value_mask is None \
            and key_mask is None and attention_mask is None and self._sliding_window is None \
            and type(self)._compute_attention is MultiHeadAttention._compute_attention
        if not causal_only:
            attention_mask = au.combine_masks(
                query.shape[1], value.shape[1], query.device, query_mask, value_mask, key_mask,
                attention_mask, use_causal_mask, self._sliding_window)
        gate = self.gate_dense(query) if self._use_gate else None
        q = self.query_dense(query)
        k = self.key_dense(key)
        v = self.value_dense(value)
        extra = {"use_causal_mask": True} if causal_only else {}
        out, scores = self._compute_attention(q, k, v, attention_mask, training,
                                              return_attention_scores, **extra)
        if gate is not None:
            out = out * gate
        out = self.output_dense(out)
        if query_mask is not None:
            out._keras_mask = query_mask
        return (out, scores) if return_attention_scores else out

    def compute_mask(self, query, mask=None):
        return None  # `call` puts the query's mask on the attention output (not on the scores)

    def _scores_shape(self, q, k):
        # (<batch dims>, heads, <query attention dims>, <key attention dims>)
        axes = self._attention_axes
        batch = [q.shape[i] for i in range(q.ndim - 1) if i not in axes]
        return tuple(batch) + tuple(q.shape[i] for i in axes) + tuple(k.shape[i] for i in axes)

    def _use_fused(self, q, return_scores, training, mask):
        if return_scores or not self._standard:
            return False
        if self._dropout == 0.0:
            return True  # Keras's own choice
        # With dropout Keras takes the explicit path; the fused one gives the same numbers
        # when no row can be fully masked, and SDPA's dropout is Keras's (on the probabilities).
        return mask is None and (not training or self.seed is None)

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        """Attention of the projected `(B, T, N, H)` query and `(B, S, N, H)` key/value; returns
        `(output, scores or None)`. Keras's signature: subclasses may override it."""
        q, k, v, mask = query, key, value, attention_mask
        return_scores, causal_only = return_attention_scores, use_causal_mask
        if self._flash_attention and return_scores:
            raise ValueError("Returning attention scores is not supported when flash attention "
                             "is enabled. Please disable flash attention to access attention "
                             "scores. Received: return_attention_scores=True")
        n_axes = len(self._attention_axes)
        if mask is not None:
            au.check_mask_shape(mask, self._scores_shape(q, k), n_axes, self.name)
        if self._use_fused(q, return_scores, training, mask):
            if mask is not None:
                mask = au.expand_mask(mask, 4, 1)
            p = self._dropout if training else 0.0
            out = au.sdpa(q, k, v, mask, causal_only, self._inverse_sqrt_key_dim, p,
                          self._flash_attention, gqa=self._kv_repeats > 1)
            return out, None
        if self._kv_repeats > 1:
            k = k.repeat_interleave(self._kv_repeats, dim=2)
            v = v.repeat_interleave(self._kv_repeats, dim=2)
        if causal_only:
            mask = au.causal_mask(q.shape[1], k.shape[1], q.device)
        q = q * self._inverse_sqrt_key_dim
        scores = torch.einsum(self._dot_product_equation, k, q)
        scores = au.masked_softmax(scores, mask, n_axes)
        dropped = self._dropout_layer(scores, training=training) if self._dropout > 0 else scores
        return torch.einsum(self._combine_equation, dropped, v), scores

    # ------------------------------------------------------------------ shapes and config
    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        value_shape = query_shape if value_shape is None else tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError("All dimensions of `value` and `key`, except the last one, must be "
                             f"equal. Received: value_shape={value_shape} and key_shape={key_shape}")
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "num_heads": self._num_heads, "key_dim": self._key_dim,
            "value_dim": self._value_dim, "dropout": self._dropout, "use_bias": self._use_bias,
            "use_gate": self._use_gate, "output_shape": self._output_shape,
            "attention_axes": self._attention_axes, "sliding_window": self._sliding_window,
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self._kernel_constraint),
            "bias_constraint": constraints.serialize(self._bias_constraint),
            "seed": self.seed,
        })
        return config

    def extra_repr(self):
        return f"name={self.name!r}, num_heads={self._num_heads}, key_dim={self._key_dim}"
