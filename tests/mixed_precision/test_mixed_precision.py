"""Mixed precision beyond the basics: per-layer policies in functional models, `mixed_float16` on
the CPU, LossScaleOptimizer's EMA forwarding, config and saving, and `jit_compile` for
`evaluate`/`predict`."""

import warnings

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers
from kerasish.mixed_precision import LossScaleOptimizer


@pytest.fixture
def policy():
    yield kerasish.mixed_precision
    kerasish.mixed_precision.set_global_policy("float32")


class DtypeProbe(layers.Layer):
    """Records the dtype it receives; passes its input through."""

    seen = []

    def call(self, inputs):
        DtypeProbe.seen.append(inputs.dtype)
        return inputs


def _data(n=64, features=6):
    rng = np.random.default_rng(0)
    return rng.random((n, features)).astype("float32"), rng.integers(3, size=n)


def test_per_layer_policies_in_a_functional_model(policy):
    DtypeProbe.seen = []
    inputs = kerasish.Input((6,))
    hidden = layers.Dense(8, activation="relu", dtype="mixed_bfloat16", name="hidden")(inputs)
    probed = DtypeProbe(dtype="mixed_bfloat16")(hidden)
    outputs = layers.Dense(3, activation="softmax", name="head")(probed)  # global policy: float32
    model = kerasish.Model(inputs, outputs)
    DtypeProbe.seen = []
    x, _ = _data()
    out = model(torch.as_tensor(x))
    assert DtypeProbe.seen == [torch.bfloat16] and out.dtype == torch.float32
    assert all(w.dtype == torch.float32 for w in model.weights)
    # The float32 head computed in float32: it matches a float32 head on the same (bf16) features.
    with torch.no_grad():
        features = model.get_layer("hidden")(torch.as_tensor(x)).float()
        expected = model.get_layer("head")(features)
    np.testing.assert_allclose(out.detach().numpy(), expected.numpy(), rtol=1e-6, atol=1e-7)
    clone = kerasish.Model.from_config(model.get_config(), custom_objects={"DtypeProbe": DtypeProbe})
    assert clone.get_layer("hidden").dtype_policy.name == "mixed_bfloat16"
    assert clone.get_layer("head").dtype_policy.name == "float32"


def test_global_mixed_policy_with_a_float32_output_layer_in_a_functional_model(policy):
    policy.set_global_policy("mixed_bfloat16")
    inputs = kerasish.Input((6,))
    hidden = layers.Dense(16, activation="relu")(inputs)
    outputs = layers.Dense(3, activation="softmax", dtype="float32")(hidden)
    model = kerasish.Model(inputs, outputs)
    x, y = _data(256)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.predict(x, verbose=0).dtype == np.float32
    assert model.layers[1].compute_dtype == "bfloat16" and model.layers[2].compute_dtype == "float32"


def test_mixed_float16_on_cpu_trains_with_loss_scaling(policy):
    with torch.autocast("cpu", dtype=torch.float16):  # this torch's CPU autocast supports float16
        assert torch.nn.functional.linear(torch.ones(1, 2), torch.ones(3, 2)).dtype == torch.float16
    policy.set_global_policy("mixed_float16")
    DtypeProbe.seen = []
    model = kerasish.Sequential([kerasish.Input((6,)), layers.Dense(16, activation="relu"),
                                 DtypeProbe(), layers.Dense(3, activation="softmax", dtype="float32")])
    model.compile("adam", "sparse_categorical_crossentropy")
    assert isinstance(model.optimizer, LossScaleOptimizer)
    x, y = _data(256)
    history = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
    assert torch.float16 in DtypeProbe.seen
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert all(w.dtype == torch.float32 for w in model.weights)
    assert model.optimizer.iterations.numpy() == 24


def test_loss_scale_optimizer_forwards_finalize_to_the_inner_ema():
    x, y = _data()
    model = kerasish.Sequential([kerasish.Input((6,)), layers.Dense(3, activation="softmax")])
    opt = LossScaleOptimizer(kerasish.optimizers.SGD(0.5, use_ema=True, ema_momentum=0.5))
    model.compile(opt, "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    averages = [a.detach().clone() for a in opt.inner_optimizer._ema_averages]
    for w, a in zip(model.trainable_weights, averages):
        np.testing.assert_allclose(w.detach().numpy(), a.numpy(), rtol=1e-6)
    assert not np.allclose(averages[0].numpy(), 0.0)


def test_loss_scale_optimizer_config_round_trip():
    opt = LossScaleOptimizer(kerasish.optimizers.Adam(0.003), initial_scale=128.0, dynamic_growth_steps=7)
    config = kerasish.optimizers.serialize(opt)
    assert config["class_name"] == "LossScaleOptimizer" and config["module"] == "keras.optimizers"
    clone = kerasish.optimizers.deserialize(config)
    assert isinstance(clone, LossScaleOptimizer) and isinstance(clone.inner_optimizer, kerasish.optimizers.Adam)
    assert clone.initial_scale == 128.0 and clone.dynamic_growth_steps == 7
    assert clone.get_config() == opt.get_config()
    assert LossScaleOptimizer.from_config(opt.get_config()).get_config() == opt.get_config()


def test_saved_model_keeps_the_loss_scale_optimizer_state(tmp_path):
    x, y = _data()
    model = kerasish.Sequential([kerasish.Input((6,)), layers.Dense(3, activation="softmax")])
    model.compile(LossScaleOptimizer(kerasish.optimizers.Adam(0.01), initial_scale=64.0,
                                     dynamic_growth_steps=3), "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)  # 4 finite steps: the scale doubled once
    assert model.optimizer.dynamic_scale == 128.0
    model.save(tmp_path / "m.keras")
    restored = kerasish.models.load_model(tmp_path / "m.keras")
    opt = restored.optimizer
    assert isinstance(opt, LossScaleOptimizer) and opt.dynamic_scale == 128.0 and opt._good_steps == 1
    assert int(opt.iterations.numpy()) == 4
    for a, b in zip(opt.variables, model.optimizer.variables):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


def test_jit_compile_evaluate_and_predict_match_eager(monkeypatch):
    monkeypatch.setenv("KERASISH_COMPILE_BACKEND", "aot_eager")
    x, y = _data()
    results = []
    for jit in (False, True):
        kerasish.utils.set_random_seed(0)
        model = kerasish.Sequential([kerasish.Input((6,)), layers.Dense(8, activation="relu"),
                                     layers.Dropout(0.5), layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=jit)
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # no eager fallback
            results.append((model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True),
                            model.predict(x, batch_size=16, verbose=0)))
        if jit:
            assert model.__dict__["_compiled_predict_forward"].is_compiled()
    (eager_eval, eager_pred), (jit_eval, jit_pred) = results
    np.testing.assert_allclose(jit_pred, eager_pred, rtol=1e-5, atol=1e-6)
    for key in eager_eval:
        np.testing.assert_allclose(jit_eval[key], eager_eval[key], rtol=1e-5)
