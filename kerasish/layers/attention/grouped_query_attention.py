"""`GroupedQueryAttention` (Keras 3's `GroupQueryAttention`): multi-head attention whose query heads
share fewer key/value heads. The computation is `MultiHeadAttention`'s (fused SDPA with
`enable_gqa` where Keras's semantics allow, the explicit path otherwise); the sublayers, their
equations and their file paths (`_query_dense`, ...) are Keras's."""

from kerasish import regularizers
from kerasish.layers.activations.softmax import Softmax
from kerasish.layers.attention.multi_head_attention import MultiHeadAttention, check_positive_int
from kerasish.layers.core.dropout import Dropout
from kerasish.layers.core.einsum_dense import EinsumDense


def _sublayer(name):
    return property(lambda self: self._modules.get(name))


class GroupedQueryAttention(MultiHeadAttention):
    """Grouped-query attention (Ainslie et al., 2023), exported as `GroupQueryAttention`.

    Args:
        head_dim: size of each attention head.
        num_query_heads: number of query heads.
        num_key_value_heads: number of key and value heads; must divide `num_query_heads`.
        dropout: dropout rate on the attention probabilities (training only).
        use_bias: whether the projections have biases. Defaults to `True`.
        sliding_window: optional positive int: each query attends only to keys within
            `sliding_window - 1` positions.
        flash_attention: as in `MultiHeadAttention`.
            activity regularizer also applies to the output, as in Keras).
        use_gate: adds a sigmoid gate projection of the query. Defaults to `False`.
        seed: seed of the attention dropout.

    `kernel_initializer`, `bias_initializer`, `kernel_regularizer`, `bias_regularizer`,
    `activity_regularizer`, `kernel_constraint`, `bias_constraint`: for the projections (the

    Call arguments are `MultiHeadAttention`'s; inputs are `(batch, seq, features)` and the
    output has the query's shape.

    Example:

    ```python
    gqa = kerasish.layers.GroupQueryAttention(head_dim=16, num_query_heads=8,
                                              num_key_value_heads=2)
    x = np.random.rand(2, 10, 64).astype("float32")
    y = gqa(x, x)  # (2, 10, 64)
    ```
    """

    _keras_class_name = "GroupQueryAttention"  # the name Keras exports and writes in files
    query_dense, _query_dense = _sublayer("_query_dense"), _sublayer("_query_dense")
    key_dense, _key_dense = _sublayer("_key_dense"), _sublayer("_key_dense")
    value_dense, _value_dense = _sublayer("_value_dense"), _sublayer("_value_dense")
    output_dense, _output_dense = _sublayer("_output_dense"), _sublayer("_output_dense")

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0,
                 use_bias=True, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        check_positive_int("head_dim", head_dim)
        check_positive_int("num_query_heads", num_query_heads)
        check_positive_int("num_key_value_heads", num_key_value_heads)
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError("`num_query_heads` must be divisible by `num_key_value_heads`. "
                             f"Received: num_query_heads={num_query_heads}, "
                             f"num_key_value_heads={num_key_value_heads}")
        super().__init__(num_query_heads, head_dim, dropout=dropout, use_bias=use_bias,
                         sliding_window=sliding_window, flash_attention=flash_attention,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         use_gate=use_gate, seed=seed, **kwargs)
        self._num_kv_heads = num_key_value_heads
        self._kv_repeats = num_query_heads // num_key_value_heads
        # Keras sets the layer's own activity regularizer too (on the output).
        self.activity_regularizer = regularizers.get(activity_regularizer)

    head_dim = property(lambda self: self._key_dim)
    num_query_heads = property(lambda self: self._num_heads)
    num_key_value_heads = property(lambda self: self._num_kv_heads)

    def _dense(self, equation, output_shape, bias_axes, name, activation=None):
        return EinsumDense(equation, output_shape=output_shape,
                           bias_axes=bias_axes if self._use_bias else None, name=name,
                           activation=activation, **self._sublayer_kwargs())

    def build(self, query_shape, value_shape, key_shape=None):
        """Creates Keras's projections: query `bqm,muh->bquh`, key and value `bkm,mvh->bkvh`,
        output `bquh,uhm->bqm`."""
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        shapes = {"query_shape": query_shape, "value_shape": value_shape}
        if key_shape is not None:
            shapes["key_shape"] = tuple(key_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        self._check_shapes(query_shape, value_shape, key_shape)
        for name, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) != 3:
                raise ValueError(f"GroupQueryAttention takes 3D `{name}` (batch, seq, features). "
                                 f"Received: {name}_shape={shape}")
        heads, kv, dim = self._num_heads, self._num_kv_heads, self._key_dim
        mods = self._modules
        mods["_query_dense"] = self._dense("bqm,muh->bquh", (None, heads, dim), "uh", "query")
        self.query_dense.build(query_shape)
        mods["_key_dense"] = self._dense("bkm,mvh->bkvh", (None, kv, dim), "vh", "key")
        self.key_dense.build(key_shape)
        if self._use_gate:
            mods["_gate_dense"] = self._dense("bqm,muh->bquh", (None, heads, dim), "uh", "gate",
                                              activation="sigmoid")
            self.gate_dense.build(query_shape)
        mods["_value_dense"] = self._dense("bkm,mvh->bkvh", (None, kv, dim), "vh", "value")
        self.value_dense.build(value_shape)
        self._softmax = Softmax(axis=-1, dtype=self._dtype_policy.name)
        self._dropout_layer = Dropout(rate=self._dropout, seed=self.seed,
                                      dtype=self._dtype_policy.name)
        self._attention_axes, self._standard, self._scores_rank = (1,), True, 4
        self._dot_product_equation = "bkuh,bquh->buqk"  # (key, query): MHA's operand order
        self._combine_equation = "buqk,bkuh->bquh"
        mods["_output_dense"] = self._dense("bquh,uhm->bqm", (None, query_shape[-1]), "m",
                                            "attention_output")
        self.output_dense.build((None, None, heads, dim))
        self._build_shapes_dict = shapes
        self.built = True

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        value_shape = tuple(query_shape) if value_shape is None else tuple(value_shape)
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(
                "The last dimension of `query_shape` and `value_shape` must be equal, but are "
                f"{query_shape[-1]}, {value_shape[-1]}. Received: query_shape={query_shape}, "
                f"value_shape={value_shape}")
        return super().compute_output_shape(query_shape, value_shape, key_shape)

    def get_config(self):
        config = super().get_config()
        for key in ("num_heads", "key_dim", "value_dim", "output_shape", "attention_axes"):
            config.pop(key)
        config.update({"head_dim": self._key_dim, "num_query_heads": self._num_heads,
                       "num_key_value_heads": self._num_kv_heads})
        return config


GroupQueryAttention = GroupedQueryAttention
