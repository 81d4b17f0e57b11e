"""A sublayer first built during a shape run on meta tensors gets real weights, not meta ones."""

import numpy as np
import torch

import kerasish
from kerasish import layers, ops


class _TokenAndPosition(layers.Layer):
    """keras.io's TokenAndPositionEmbedding: its sublayers are built inside `call`, and the CPU
    `arange` added to a meta tensor makes the meta shape run fail (the zeros run follows)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.token_emb = layers.Embedding(20, 4)
        self.pos_emb = layers.Embedding(6, 4)
        self.att = layers.MultiHeadAttention(num_heads=2, key_dim=2)

    def call(self, x):
        positions = self.pos_emb(ops.arange(0, ops.shape(x)[-1]))
        h = self.token_emb(x) + positions
        return self.att(h, h)


def test_sublayers_built_in_a_shape_run_have_real_weights():
    inputs = layers.Input(shape=(6,))
    block = _TokenAndPosition()
    model = kerasish.Model(inputs, block(inputs))
    assert tuple(model.output.shape) == (None, 6, 4)
    assert all(w.device.type != "meta" for w in model.weights)
    out = model.predict(np.array([[1, 2, 3, 0, 0, 0]]), verbose=0)
    assert out.shape == (1, 6, 4) and np.isfinite(out).all()
    assert isinstance(block.token_emb.embeddings, torch.nn.Parameter)
