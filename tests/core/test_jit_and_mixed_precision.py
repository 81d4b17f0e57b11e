"""`compile(jit_compile=True)` (torch.compile with eager fallback) and mixed precision policies."""

import warnings

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers


@pytest.fixture
def policy():
    yield kerasish.mixed_precision
    kerasish.mixed_precision.set_global_policy("float32")


def _dense_model():
    return kerasish.Sequential([kerasish.Input((20,)), layers.Dense(16, activation="relu"),
                                layers.Dense(3, activation="softmax")])


def _conv_model():
    return kerasish.Sequential([kerasish.Input((8, 8, 1)), layers.Conv2D(4, 3, activation="relu"),
                                layers.Flatten(), layers.Dense(3, activation="softmax")])


@pytest.mark.parametrize("build,shape,backend", [
    (_dense_model, (20,), "inductor"),
    (_conv_model, (8, 8, 1), "aot_eager"),
])
def test_compiled_training_matches_eager(monkeypatch, build, shape, backend):
    monkeypatch.setenv("KERASISH_COMPILE_BACKEND", backend)
    rng = np.random.default_rng(0)
    x = rng.random((64,) + shape).astype("float32")
    y = rng.integers(3, size=64)
    weights = []
    for jit in (False, True):
        kerasish.utils.set_random_seed(0)
        model = build()
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=jit)
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # no fallback: it really compiled
            history = model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
        weights.append((model.get_weights(), history.history))
        if jit:
            assert model.__dict__["_compiled_forward_and_loss"].is_compiled()
    for a, b in zip(weights[0][0], weights[1][0]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(weights[0][1]["loss"], weights[1][1]["loss"], rtol=1e-5)


class Uncompilable(layers.Layer):
    """Refuses Dynamo outright (raises `Unsupported` while being traced), as code torch.compile
    cannot handle does; eagerly it just doubles its input."""

    def call(self, inputs):
        if torch._dynamo.is_compiling():
            raise torch._dynamo.exc.Unsupported("this layer refuses to be compiled")
        return inputs * 2.0


def test_uncompilable_model_falls_back_with_one_warning(monkeypatch):
    monkeypatch.setenv("KERASISH_COMPILE_BACKEND", "aot_eager")
    model = kerasish.Sequential([kerasish.Input((4,)), Uncompilable(), layers.Dense(1)])
    model.compile("sgd", "mse", jit_compile=True)
    x = np.ones((32, 4), "float32")
    with pytest.warns(RuntimeWarning, match="could not be compiled") as record:
        history = model.fit(x, np.zeros((32, 1), "float32"), epochs=3, batch_size=8, verbose=0)
    assert len([r for r in record if "could not be compiled" in str(r.message)]) == 1
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_policies_and_per_layer_dtype(policy):
    policy.set_global_policy("mixed_bfloat16")
    dense = layers.Dense(4)
    out_layer = layers.Dense(2, dtype="float32")
    assert dense.dtype == "float32" and dense.compute_dtype == "bfloat16"
    assert policy.global_policy().name == "mixed_bfloat16"
    model = kerasish.Sequential([kerasish.Input((3,)), dense, out_layer])
    assert dense.kernel.dtype == torch.float32  # variables stay float32, as in Keras
    seen = {}
    dense.register_forward_hook(lambda m, i, o: seen.update(hidden=o.dtype))
    out_layer.register_forward_hook(lambda m, i, o: seen.update(out=o.dtype))
    model.predict(np.ones((2, 3), "float32"), verbose=0)
    assert seen == {"hidden": torch.bfloat16, "out": torch.float32}
    with pytest.raises(ValueError, match="mixed_float16"):
        policy.DTypePolicy("mixed_int8")


def test_mixed_bfloat16_trains_the_mnist_cnn_like_float32(policy):
    data = np.load(__import__("tests.conftest", fromlist=["MNIST_5K"]).MNIST_5K)
    x = (data["x_train"][:2000, ..., None] / 255.0).astype("float32")
    y = data["y_train"][:2000]
    xt = (data["x_test"][..., None] / 255.0).astype("float32")
    yt = data["y_test"]
    accuracies = {}
    for name in ("float32", "mixed_bfloat16"):
        policy.set_global_policy(name)
        kerasish.utils.set_random_seed(0)
        model = kerasish.Sequential([
            kerasish.Input((28, 28, 1)), layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
            layers.Flatten(), layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax", dtype="float32"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=64, verbose=0)
        accuracies[name] = model.evaluate(xt, yt, verbose=0)[1]
    assert accuracies["float32"] > 0.85
    assert abs(accuracies["float32"] - accuracies["mixed_bfloat16"]) <= 0.01, accuracies


def test_loss_scaling_skips_an_overflowing_step(policy):
    policy.set_global_policy("mixed_float16")
    model = kerasish.Sequential([kerasish.Input((4,)), layers.Dense(1, dtype="float32")])
    model.compile(kerasish.optimizers.SGD(0.1), "mse")
    opt = model.optimizer
    assert isinstance(opt, policy.LossScaleOptimizer) and opt.dynamic_scale == 2.0 ** 15
    before = [w.copy() for w in model.get_weights()]
    # An injected overflow: a huge target makes the scaled float16-range loss overflow to inf.
    model.train_on_batch(np.ones((4, 4), "float32"), np.full((4, 1), 3e38, "float32"))
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)  # step skipped
    assert opt.dynamic_scale == 2.0 ** 14  # scale halved
    model.train_on_batch(np.ones((4, 4), "float32"), np.ones((4, 1), "float32"))
    assert not np.array_equal(model.get_weights()[0], before[0])  # finite step applied
    assert int(opt.iterations.numpy()) == 1


def test_dropout_traces_into_one_graph_with_distinct_masks():
    torch._dynamo.reset()
    first, second = layers.Dropout(0.5), layers.Dropout(0.5)

    def twice(x):
        return second(first(x, training=True), training=True)

    x = torch.ones(256, 512, requires_grad=True)
    assert torch._dynamo.explain(twice)(x).graph_break_count == 0
    y = torch.compile(twice, backend="aot_eager")(x)
    y.sum().backward()
    # Two independent masks keep a quarter of the entries (one shared mask would keep half).
    assert abs(float((y != 0).float().mean()) - 0.25) < 0.01
    torch.testing.assert_close(x.grad, y.detach())
