"""EinsumDense and LoRA (Dense, EinsumDense, Embedding) against real Keras 3: outputs, gradients,
weights, `.keras` files both ways (merged kernels); `add_weight(overwrite_with_gradient=True)`
and `K.function(updates=...)`."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import backend as K
from kerasish import layers as L
from tests.conftest import assert_close
from tests.layers.attention.test_multi_head_attention import run_cases


def _np(x):
    return x.detach().cpu().numpy() if torch.is_tensor(x) else np.asarray(x)


EINSUM = [
    ("abc,cde->abde", (None, 2, 4), "de", (3, 5, 8)),
    ("abcd,cde->abe", (None, 8), "e", (3, 5, 2, 4)),
    ("ab,bc->ac", 4, None, (3, 6)),
    ("...b,bc->...c", 4, "c", (3, 5, 6)),
    ("abc,cd->abd", (5, 4), "bd", (3, 5, 6)),
    ("ab...,bc->ac...", (4, None), "c", (3, 6, 5)),
    ("abc,dc->abd", (5, 4), "d", (3, 5, 6)),
    ("btd,ndh->bnth", (2, 5, 3), "nh", (3, 5, 6)),
]


def test_einsum_dense_matches_keras(keras):
    run_cases(keras, EINSUM, lambda k, case: _einsum_case(k, *case))


def _einsum_case(keras, equation, output_shape, bias_axes, shape):
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    kwargs = dict(equation=equation, output_shape=output_shape, bias_axes=bias_axes,
                  activation="tanh")
    k_layer, n_layer = keras.layers.EinsumDense(**kwargs), L.EinsumDense(**kwargs)
    k_layer.build(shape)
    n_layer.build(shape)
    assert [w.shape for w in n_layer.get_weights()] == [w.shape for w in k_layer.get_weights()]
    n_layer.set_weights(k_layer.get_weights())
    xk, xn = torch.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    expected, actual = k_layer(xk), n_layer(xn)
    assert_close(_np(actual), _np(expected), rtol=1e-5, atol=1e-5)
    expected.square().sum().backward()
    actual.square().sum().backward()
    assert_close(_np(xn.grad), _np(xk.grad), rtol=1e-4, atol=1e-5)
    for n, k in zip(n_layer.weights, k_layer.weights):
        assert_close(_np(n.grad), _np(k.value.grad), rtol=1e-4, atol=1e-5)
    unknown = (None,) + shape[1:]
    assert n_layer.compute_output_shape(unknown) == k_layer.compute_output_shape(unknown)
    config = n_layer.get_config()
    assert L.EinsumDense.from_config(config).get_config() == config


def test_einsum_dense_errors():
    with pytest.raises(ValueError, match="Invalid einsum equation"):
        L.EinsumDense("ab->b", 3).build((2, 3))
    with pytest.raises(ValueError, match="do not match"):
        L.EinsumDense("abc,cd->abd", (7, 4)).build((2, 5, 3))
    with pytest.raises(ValueError, match="Bias dimension 'z'"):
        L.EinsumDense("ab,bc->ac", 4, bias_axes="z").build((2, 3))


def _lora_layers(lib, alpha):
    return [lib.layers.Dense(6, lora_rank=2, lora_alpha=alpha),
            lib.layers.EinsumDense("abc,cde->abde", (4, 2, 3), bias_axes="de", lora_rank=2,
                                   lora_alpha=alpha),
            lib.layers.Embedding(10, 5, lora_rank=3, lora_alpha=alpha)]


# Keras 3.15's Dense and Embedding turn `lora_alpha` into the rank when `lora_rank=` builds them
# (kerasish keeps the alpha given): the parity runs use alpha == rank there.
def test_lora_matches_keras(keras):
    cases = [("dense", 0, (3, 5)), ("einsum_dense", 1, (2, 4, 5)), ("embedding", 2, (2, 4))]
    run_cases(keras, cases, lambda k, case: _lora_case(k, *case[1:]))


def _lora_case(keras, index, shape):
    rng = np.random.default_rng(2)
    x = rng.integers(0, 10, shape) if index == 2 else rng.standard_normal(shape).astype("float32")
    k_layer, n_layer = _lora_layers(keras, None)[index], _lora_layers(kerasish, None)[index]
    k_layer(x)
    n_layer(x)
    assert [(w.name, w.shape, w.trainable) for w in n_layer.weights] == \
        [(w.name, tuple(w.shape), w.trainable) for w in k_layer.weights]
    assert [w.name for w in n_layer.trainable_weights] == \
        [w.name for w in k_layer.trainable_weights]
    weights = [rng.standard_normal(w.shape).astype("float32") for w in k_layer.get_weights()]
    k_layer.set_weights(weights)
    n_layer.set_weights(weights)
    expected, actual = k_layer(x), n_layer(x)
    assert_close(_np(actual), _np(expected), rtol=1e-5, atol=1e-5)
    expected.sum().backward()
    actual.sum().backward()
    for n, k in zip(n_layer.weights, k_layer.weights):
        assert (n.grad is None) == (k.value.grad is None) == (not k.trainable)
        if n.grad is not None:
            assert_close(_np(n.grad), _np(k.value.grad), rtol=1e-4, atol=1e-5)


def _lora_model(lib):
    inp = lib.Input((4,), dtype="int32")
    x = lib.layers.Embedding(10, 5, lora_rank=3)(inp)
    x = lib.layers.EinsumDense("abc,cde->abde", (4, 2, 3), bias_axes="de", lora_rank=2)(x)
    x = lib.layers.Reshape((24,))(x)
    return lib.Model(inp, lib.layers.Dense(6, lora_rank=2)(x))


def test_lora_files_hold_merged_weights_both_ways(keras, tmp_path):
    rng = np.random.default_rng(3)
    x = rng.integers(0, 10, (3, 4))
    k_model, n_model = _lora_model(keras), _lora_model(kerasish)
    weights = [rng.standard_normal(w.shape).astype("float32") for w in k_model.get_weights()]
    k_model.set_weights(weights)
    n_model.set_weights(weights)
    expected = _np(k_model(x))
    assert_close(n_model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)
    n_model.save(tmp_path / "n.keras")
    k_model.save(tmp_path / "k.keras")
    back = keras.models.load_model(tmp_path / "n.keras")
    assert_close(_np(back(x)), expected, rtol=1e-5, atol=1e-5)
    loaded = kerasish.models.load_model(tmp_path / "k.keras")
    assert_close(loaded.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)
    dense = loaded.layers[-1]
    assert dense.lora_enabled and not dense.kernel.requires_grad
    assert not _np(dense.lora_kernel_a).any() and not _np(dense.lora_kernel_b).any()


def test_enable_lora_trains_only_the_factors():
    layer = L.Dense(3)
    with pytest.raises(ValueError, match="isn't yet built"):
        layer.enable_lora(2)
    layer.build((None, 4))
    before = layer.get_weights()
    layer.enable_lora(2, lora_alpha=4.0)
    assert layer.lora_alpha == 4.0
    with pytest.raises(ValueError, match="already enabled"):
        layer.enable_lora(2)
    model = kerasish.Sequential([kerasish.Input((4,)), layer])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((8, 4), "float32"), np.zeros((8, 3), "float32"), verbose=0, epochs=2)
    assert_close(_np(layer.kernel), before[0], rtol=0, atol=0)
    assert _np(layer.lora_kernel_b).any()
    with pytest.raises(ValueError, match="constraint"):
        L.Dense(3, kernel_constraint="non_neg", lora_rank=2).build((None, 4))
    with pytest.raises(ValueError, match="lora_rank=0"):
        L.Embedding(4, 2, lora_rank=0)


class _Overwritten(L.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(2,), initializer="ones", name="w")
        self.amax = self.add_weight(shape=(2,), initializer="zeros", name="amax",
                                    overwrite_with_gradient=True)

    def call(self, x):
        return x * self.w + x * self.amax * 3.0


def test_overwrite_with_gradient_takes_the_gradient():
    layer = _Overwritten()
    x = torch.tensor([[1.0, 2.0]])
    layer(x)
    assert layer.amax.overwrite_with_gradient and not layer.w.overwrite_with_gradient
    opt = kerasish.optimizers.SGD(0.1)
    out = layer(x).sum()
    grads = torch.autograd.grad(out, [layer.w, layer.amax])
    opt.apply(grads, [layer.w, layer.amax])
    assert_close(_np(layer.amax), np.array([3.0, 6.0]), rtol=0, atol=1e-6)
    assert_close(_np(layer.w), np.array([0.9, 0.8]), rtol=0, atol=1e-6)
    with pytest.raises(TypeError, match="must be a boolean"):
        layer.amax.overwrite_with_gradient = "yes"
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        kerasish.optimizers.SGD(0.1, gradient_accumulation_steps=2).build([layer.amax])


def test_k_function_updates():
    x = kerasish.Input((3,))
    y = L.Dense(2)(x)
    counter = K.variable(np.zeros((1,)))
    total = K.variable(np.zeros(()))
    f = K.function([x], [y], updates=[(counter, lambda: counter + 1), (total, K.sum(x))])
    batch = np.ones((2, 3), "float32")
    f([batch])
    out = f([batch])
    assert out[0].shape == (2, 2)
    assert K.get_value(counter)[0] == 2 and K.get_value(total) == 6
    with pytest.raises(TypeError, match="evaluated at every call"):
        K.function([x], [y], updates=[(counter, counter + 1)])
    with pytest.raises(TypeError, match="pairs"):
        K.function([x], [y], updates=["op"])
