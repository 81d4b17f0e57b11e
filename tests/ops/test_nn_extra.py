"""`ops.nn` behaviour the parity table cannot show: kerasish's additions over Keras's torch backend
(the attention soft cap), flash-attention switches, argument errors, and meta tensors (which the
symbolic path runs the eager ops on)."""

import copy

import numpy as np
import pytest
import torch

from kerasish import ops
from kerasish.backend import config
from tests.ops.cases_nn import CASES
from tests.ops.parity import flatten, resolve


def _attention_reference(q, k, v, cap, causal):
    q, k, v = (np.swapaxes(a, 1, 2).astype("float64") for a in (q, k, v))
    logits = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    logits = cap * np.tanh(logits / cap)
    if causal:
        logits = np.where(np.tril(np.ones(logits.shape[-2:], bool)), logits, -1e30)
    w = np.exp(logits - logits.max(-1, keepdims=True))
    w /= w.sum(-1, keepdims=True)
    return np.swapaxes(w @ v, 1, 2)


@pytest.mark.parametrize("causal", [False, True])
def test_attention_soft_cap_matches_the_formula(causal):
    rng = np.random.default_rng(0)
    q, k, v = (rng.normal(size=(2, 6, 3, 4)).astype("float32") * 3 for _ in range(3))
    out = ops.dot_product_attention(q, k, v, attn_logits_soft_cap=2.0, is_causal=causal)
    np.testing.assert_allclose(out.numpy(), _attention_reference(q, k, v, 2.0, causal),
                               rtol=1e-4, atol=1e-5)
    # The cap changes the result (it is not ignored).
    plain = ops.dot_product_attention(q, k, v, is_causal=causal)
    assert not torch.allclose(out, plain, atol=1e-3)


def test_flash_attention_switches():
    rng = np.random.default_rng(1)
    q = torch.tensor(rng.normal(size=(1, 8, 2, 16)).astype("float32"))
    default = ops.dot_product_attention(q, q, q)
    config.disable_flash_attention()
    try:
        assert config.is_flash_attention_enabled() is False
        torch.testing.assert_close(ops.dot_product_attention(q, q, q), default)
    finally:
        config.enable_flash_attention()
    if q.device.type == "cpu":
        # Keras's torch backend: flash kernels are CUDA-only, so insisting on one raises.
        with pytest.raises(RuntimeError, match="Flash attention is not supported"):
            ops.dot_product_attention(q, q, q, flash_attention=True)


def test_data_format_defaults_to_the_configured_image_data_format():
    x = np.random.default_rng(2).normal(size=(2, 3, 6, 6)).astype("float32")  # NCHW
    k = np.ones((3, 3, 3, 4), "float32")
    explicit = [ops.max_pool(x, 2, data_format="channels_first"),
                ops.conv(x, k, padding="same", data_format="channels_first"),
                ops.adaptive_average_pool(x, 2, data_format="channels_first")]
    config.set_image_data_format("channels_first")
    try:
        default = [ops.max_pool(x, 2), ops.conv(x, k, padding="same"),
                   ops.adaptive_average_pool(x, 2)]
    finally:
        config.set_image_data_format("channels_last")
    for a, b in zip(default, explicit):
        torch.testing.assert_close(a, b)


@pytest.mark.parametrize("call, match", [
    (lambda: ops.conv(np.ones((1, 4, 4, 2)), np.ones((3, 3, 2, 1)), padding="full"), "padding="),
    (lambda: ops.conv(np.ones((1, 4, 4, 3)), np.ones((3, 3, 2, 1))), "input channels"),
    (lambda: ops.max_pool(np.ones((4, 4)), 2), "inputs.shape="),
    (lambda: ops.max_pool(np.ones((1, 4, 4, 1)), (2, 2, 2)), "pool_size="),
    (lambda: ops.glu(np.ones((2, 3))), "axis="),
    (lambda: ops.normalize(np.ones(3), order=0), "order=0"),
    (lambda: ops.depth_to_space(np.ones((1, 2, 2, 4)), 1), "block_size=1"),
    (lambda: ops.ctc_decode(np.ones((1, 3, 2)), np.array([3]), strategy="best"), "strategy="),
    (lambda: ops.rearrange(np.ones((2, 3)), "a b -> a c"), "pattern="),
    (lambda: ops.rearrange(np.ones((2, 3)), "a b c -> a b c"), "tensor.shape="),
    (lambda: ops.rearrange(np.ones((6, 3)), "(a b) c -> a b c"), "axes_lengths="),
    (lambda: ops.dot_product_attention(np.ones((2, 3, 4)), np.ones((2, 3, 4)),
                                       np.ones((2, 3, 4))), "4D"),
    (lambda: ops.one_hot([1], 3, sparse=True), "sparse=True"),
    (lambda: ops.moments(np.ones(3, "float32"), 0, synchronized=True), "synchronized=True"),
])
def test_bad_arguments_name_the_argument(call, match):
    with pytest.raises((ValueError, TypeError, NotImplementedError), match=match):
        call()


def _meta(a):
    if isinstance(a, np.ndarray):
        return torch.empty(a.shape, dtype=torch.from_numpy(a.reshape(-1)[:0]).dtype, device="meta")
    if isinstance(a, torch.Tensor):
        return torch.empty(a.shape, dtype=a.dtype, device="meta")
    return copy.deepcopy(a)


_STATIC = [c for c in CASES if c.symbolic]


@pytest.mark.parametrize("c", _STATIC, ids=[c.id for c in _STATIC])
def test_shape_static_ops_run_on_meta_tensors(c):
    fn = resolve(ops, c)
    real = fn(*copy.deepcopy(c.args), **copy.deepcopy(c.kwargs))
    meta = fn(*map(_meta, c.args), **{k: _meta(v) for k, v in c.kwargs.items()})
    for r, m in zip(flatten(real), flatten(meta), strict=True):
        assert (m.shape, m.dtype) == (r.shape, r.dtype), c.id
